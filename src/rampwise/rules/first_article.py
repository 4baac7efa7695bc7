"""Whether an order needs a new first article, and which: AS9102's rule for repeat orders.

A new part gets a full first article inspection (FAI). A repeat order
(:attr:`rampwise.core.model.Project.previous_order`) keeps the earlier one unless
AS9102B §4.6 f names a reason to make it again; each reason is a
:class:`~rampwise.core.repeat_order.FaiTrigger`:

- nothing changed and under two years since the previous order was produced: **no new
  first article** (the earlier FAI stands);
- the process, the material source or the location changed: a **delta FAI** — AS9102's
  "partial FAI for affected characteristics" — of the characteristics the project names
  in ``previous_order.affected``, else of the drawing's critical characteristics (the
  ones it marks as key to fit, form and function, which is what AS9102B asks a change
  to be judged by), else of all; it names what changed;
- the revision changed, or two years or more passed (``fai_lapse_years`` of
  ``catalog/inspection_parameters.csv``): a **full FAI**. AS9102 allows a partial FAI for
  the characteristics a design change or a lapse affects, but which ones a new revision
  changed, or the inactivity touched, is not in the project file: rampwise re-verifies
  every characteristic, and says so;
- a repeat order without its previous order stated (``repeat_order: true`` alone): a
  full FAI, as nothing shows that the earlier one still stands.

The pipeline decides once (:meth:`rampwise.pipeline.Plan.first_article`) and hands the
decision to the inspection plan, whose first-article step, cost and lead-time days
follow it.

References
----------
.. [1] SAE AS9102B §4.6 f, quoted on elsmar.com ("When is a new AS9102 report required
   for outsourced processing"): "a full FAI or a partial FAI for affected
   characteristics" on a change in design characteristics (1.), in manufacturing
   source, process, inspection method, location of manufacture, tooling or materials
   (2.), …, and a lapse in production of two years, "from the completion of last
   production operation to the actual restart of production" (6.).
.. [2] AS9102 Rev C (2023): partial and delta FAI re-verify "only the changed or affected
   characteristics", the documentation showing what and why (connect981.com);
   research/readiness.md §3.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from pydantic import BaseModel, ConfigDict

from rampwise.catalog import load_table
from rampwise.core.errors import InputError
from rampwise.core.model import Project
from rampwise.core.repeat_order import FaiTrigger
from rampwise.core.vocabulary import Vocabulary

__all__ = ["AS9102_TRIGGERS", "FirstArticleKind", "FirstArticleNeed", "first_article_need"]

CLAUSE = "AS9102B §4.6 f"
"""The clause every decision cites, short, at the end of its sentence."""

AS9102_TRIGGERS = (
    f"{CLAUSE}: a full or partial (delta) FAI on a change in design, manufacturing "
    "source, process, location, tooling or material, or a lapse in production of two years "
    "(quoted on elsmar.com; research/readiness.md §3)"
)
"""The clause every decision follows, in full: each decision's ``source``."""


class FirstArticleKind(Vocabulary):
    """Which first article an order makes (AS9102B §4.6)."""

    FULL = (
        "full",
        "Full FAI",
        "Every characteristic of the first production part measured and recorded: a new "
        "part, a new revision or a lapse in production.",
    )
    DELTA = (
        "delta",
        "Delta FAI",
        "A partial first article of the characteristics a change affects, naming the "
        "change; the earlier FAI stands for the rest.",
    )
    KEPT = (
        "kept",
        "Earlier FAI kept",
        "A repeat order with nothing changed within two years: no new first article, the "
        "earlier one stands.",
    )


class FirstArticleNeed(BaseModel):
    """The first article an order needs, and why.

    Attributes
    ----------
    kind
        Full, delta or none made (the earlier one kept).
    triggers
        What sets it off: the changes since the previous order and a lapse in
        production; empty for a new part or a kept FAI.
    characteristics
        Ids of the characteristics the first article measures, in drawing order: all for
        a full FAI, the affected ones for a delta, none when the earlier one is kept.
    says
        The decision in one sentence, with the previous order and the clause.
    source
        The clause of AS9102 it follows.
    """

    model_config = ConfigDict(frozen=True)

    kind: FirstArticleKind
    triggers: tuple[FaiTrigger, ...]
    characteristics: tuple[str, ...]
    says: str
    source: str

    @property
    def made(self) -> bool:
        """Whether a first article is made (full or delta)."""
        return self.kind is not FirstArticleKind.KEPT


@cache
def lapse_years() -> int:
    """Years without production after which a first article is made again [years].

    ``fai_lapse_years`` of ``catalog/inspection_parameters.csv`` (AS9102B §4.6 f.6).
    """
    rows = {row["name"]: row["value"] for row in load_table("inspection_parameters")}
    return int(rows["fai_lapse_years"])


def years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later [date]; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28) + timedelta(days=1)


def first_article_need(project: Project, *, today: date) -> FirstArticleNeed:
    """The first article the order needs under AS9102B §4.6 f.

    Parameters
    ----------
    project
        The order: ``part.revision``, ``part.characteristics`` (ids, ``critical``),
        ``repeat_order`` and ``previous_order`` (revision, date [date], changed,
        affected).
    today
        Date of the assessment [date]: a lapse in production is counted to it.

    Returns
    -------
    FirstArticleNeed
        Full, delta or kept, with the triggers, the characteristics measured and the
        reason in words.

    Raises
    ------
    InputError
        If ``previous_order.date`` is after ``today``.

    References
    ----------
    .. [1] AS9102B §4.6 f.1, f.2 and f.6 (elsmar.com); AS9102 Rev C partial/delta FAI
       (connect981.com).
    """
    every = tuple(str(c.id) for c in project.part.characteristics)
    previous = project.previous_order
    if previous is None:
        says = (
            "repeat order without its previous_order: nothing shows the earlier first article "
            "still stands, so a full one (state previous_order to keep it)"
            if project.repeat_order
            else "first order of the part: a full first article"
        )
        return FirstArticleNeed(
            kind=FirstArticleKind.FULL,
            triggers=(),
            characteristics=every,
            says=f"{says} ({CLAUSE})",
            source=AS9102_TRIGGERS,
        )
    if previous.date > today:
        raise InputError(
            "previous_order.date",
            f"{previous.date.isoformat()} is in the future (today is {today.isoformat()})",
        )
    triggers: list[FaiTrigger] = []
    if previous.revision != project.part.revision:
        triggers.append(FaiTrigger.REVISION)
    triggers.extend(previous.changed)
    years = lapse_years()
    lapsed = today >= years_after(previous.date, years)
    if lapsed:
        triggers.append(FaiTrigger.LAPSE)
    context = f"repeat of {previous.describe()}"
    if not triggers:
        return FirstArticleNeed(
            kind=FirstArticleKind.KEPT,
            triggers=(),
            characteristics=(),
            says=f"{context}, nothing changed and under {years} years since: AS9102 asks no "
            f"new first article, the earlier one stands ({CLAUSE})",
            source=AS9102_TRIGGERS,
        )
    what = _what_changed(triggers, previous.revision, project.part.revision, today, previous.date)
    if FaiTrigger.REVISION in triggers or lapsed:
        return FirstArticleNeed(
            kind=FirstArticleKind.FULL,
            triggers=tuple(triggers),
            characteristics=every,
            says=f"{context}; {what}: a full first article, every characteristic re-verified "
            f"({CLAUSE} allows a partial one for the characteristics a new revision or a "
            "lapse affects; which ones is not in the project file)",
            source=AS9102_TRIGGERS,
        )
    measured, basis = _affected(project, previous.affected)
    listed = ", ".join(measured) or "none: the drawing lists none"
    return FirstArticleNeed(
        kind=FirstArticleKind.DELTA,
        triggers=tuple(triggers),
        characteristics=measured,
        says=f"{context}; {what}: a delta first article of characteristic"
        f"{'' if len(measured) == 1 else 's'} {listed} ({basis}), the earlier one standing "
        f"for the rest ({CLAUSE})",
        source=AS9102_TRIGGERS,
    )


def _what_changed(
    triggers: list[FaiTrigger], was: str, now: str | None, today: date, produced: date
) -> str:
    """The triggers in words: ``"revision E → F, material source changed"``."""
    words = []
    for trigger in triggers:
        if trigger is FaiTrigger.REVISION:
            words.append(f"revision {was} → {now}")
        elif trigger is FaiTrigger.LAPSE:
            words.append(
                f"{(today - produced).days} days since, a lapse in production of "
                f"{lapse_years()} years or more"
            )
        else:
            words.append(f"{trigger.phrase} changed")
    return ", ".join(words)


def _affected(project: Project, stated: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The characteristics a delta FAI measures, in drawing order, and why those."""
    if stated:
        chosen = set(stated)
        basis = "previous_order.affected"
    else:
        chosen = {str(c.id) for c in project.part.critical_characteristics}
        basis = "the critical ones; previous_order.affected names others"
        if not chosen:
            chosen = {str(c.id) for c in project.part.characteristics}
            basis = "all: the drawing marks none critical"
    ids = tuple(str(c.id) for c in project.part.characteristics if str(c.id) in chosen)
    return ids, basis
