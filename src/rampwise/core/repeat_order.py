"""The previous order of a repeat order: what AS9102 asks before a new first article.

A project that was made before states its previous order (``previous_order`` in the
project file): the revision made then, when it was produced, and what has changed since
(process, material source, location). The rule that reads it is
:func:`rampwise.rules.first_article.first_article_need`; this module holds only the input
and its vocabulary, so the domain model can validate a project file without the rules.

References
----------
.. [1] SAE AS9102B §4.6 f (quoted on elsmar.com, "When is a new AS9102 report required";
   research/readiness.md §3): a full FAI or a partial FAI for the affected
   characteristics on a change in design characteristics (1.); in manufacturing
   source, process, inspection method, location of manufacture, tooling or materials
   (2.); …; a lapse in production of two years (6.). AS9102 Rev C (2023) keeps the
   triggers (connect981.com on partial and delta FAI).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary

__all__ = ["FaiTrigger", "PreviousOrder"]


class FaiTrigger(Vocabulary):
    """What sets off a new first article on a repeat order (AS9102B §4.6 f).

    ``revision`` and ``lapse`` follow from the project (its revision against the previous
    order's, the time since that order was produced); the others are stated in
    ``previous_order.changed``.
    """

    REVISION = (
        "revision",
        "Revision",
        "The part's revision differs from the previous order's: a design change (AS9102B "
        "§4.6 f.1).",
    )
    PROCESS = (
        "process",
        "Process",
        "The manufacturing process or method changed since the previous order (AS9102B §4.6 f.2).",
    )
    MATERIAL_SOURCE = (
        "material_source",
        "Material source",
        "The raw material comes from another source than for the previous order (AS9102B "
        "§4.6 f.2).",
    )
    LOCATION = (
        "location",
        "Location",
        "The part is made at another location than the previous order (AS9102B §4.6 f.2).",
    )
    LAPSE = (
        "lapse",
        "Lapse in production",
        "Two years or more since the previous order was produced (AS9102B §4.6 f.6).",
    )


STATED_TRIGGERS = (FaiTrigger.PROCESS, FaiTrigger.MATERIAL_SOURCE, FaiTrigger.LOCATION)
"""The triggers a project file states in ``previous_order.changed``."""


class PreviousOrder(BaseModel):
    """The last order of the same part number, for a repeat order.

    Attributes
    ----------
    revision
        Part revision made in the previous order; compared with ``part.revision``.
    date
        When the previous order was produced (its last production operation, from which
        AS9102 counts a lapse in production) [date]; not after the assessment date.
    changed
        What changed since: ``process``, ``material_source``, ``location``
        (:data:`STATED_TRIGGERS`); empty when nothing did.
    affected
        Ids of the characteristics the stated changes can affect: a delta first article
        measures these (default: the drawing's critical characteristics).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    revision: str
    date: date
    changed: tuple[FaiTrigger, ...] = ()
    affected: tuple[str, ...] = ()

    @field_validator("revision")
    @classmethod
    def _revision_given(cls, value: str) -> str:
        if not value.strip():
            raise InputError("revision", "must name the revision made in the previous order")
        return value.strip()

    @field_validator("changed", mode="before")
    @classmethod
    def _stated_changes(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            return value
        valid = ", ".join(t.value for t in STATED_TRIGGERS)
        for item in value:
            if item == FaiTrigger.REVISION:
                raise InputError(
                    "changed", "state the previous revision as previous_order.revision instead"
                )
            if item == FaiTrigger.LAPSE:
                raise InputError(
                    "changed", "a lapse in production follows from previous_order.date"
                )
            if item not in STATED_TRIGGERS:
                raise InputError("changed", f"must list some of {valid}; got {item!r}")
        return tuple(dict.fromkeys(value))

    @field_validator("affected", mode="before")
    @classmethod
    def _ids_as_text(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple(str(item) for item in value)
        return value

    def describe(self) -> str:
        """``"rev F produced 2025-06-01"``."""
        return f"rev {self.revision} produced {self.date.isoformat()}"
