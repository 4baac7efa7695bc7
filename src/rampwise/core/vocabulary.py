"""Closed vocabularies with their words: the one labelled-enum base of every layer.

Each closed set of names that a project file, the CLI or the JSON contract holds (a
stage, a workholding strategy, an inspection step, a batch verdict …) is a
:class:`Vocabulary`. A member carries three things, declared together::

    class StrategyName(Vocabulary):
        VISE = "vise", "Vise", "A plain machine vise: nothing to make, for a few parts."

- the **value** (``"vise"``): what the JSON, the project file and the CLI hold — the
  contract, never changed for the sake of the words;
- the **label** (``"Vise"``): the name as a heading, a table cell or a page shows it;
- the **meaning**: one line for the glossary.

Every other form of the words is derived from the label (:attr:`Vocabulary.phrase`,
:attr:`Vocabulary.adjective`), so no module keeps a dictionary of words beside its enum.
``docs/vocabulary.md`` is generated from the vocabularies by ``docs/make_glossary.py``
with :func:`glossary`; ``tests/foundation/test_vocabulary.py`` fails when it is stale.

This module imports nothing of rampwise: every layer may build on it.
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Iterable
from typing import Self

__all__ = ["Vocabulary", "glossary", "glossary_table"]


class Vocabulary(enum.StrEnum):
    """A string enum whose members carry a label and a one-line meaning.

    Members are declared as ``NAME = value, label, meaning``; the member *is* its value
    (a :class:`str`), so comparisons, ``str()``, pydantic and JSON see only the value.

    Attributes
    ----------
    label
        The name in words, capitalised as a heading: ``"Low volume"``, ``"Hybrid AM"``.
    meaning
        What the value stands for, one line (the glossary's third column).
    """

    _value_: str
    label: str
    meaning: str

    def __new__(cls, value: str, label: str = "", meaning: str = "") -> Self:
        """A member whose value is ``value``, with its ``label`` and ``meaning``.

        Called once per declared member, when the class is made; a lookup by value
        (``Stage("low_volume")``) finds the member and never comes here, which is why
        ``label`` and ``meaning`` have defaults (for the type checker): a member declared
        without them is refused.

        Raises
        ------
        ValueError
            When the label or the meaning is empty, or either is not one line.
        """
        if not label.strip() or not meaning.strip():
            raise ValueError(f"{cls.__name__} {value!r}: a label and a meaning are required")
        if "\n" in meaning or "\n" in label:
            raise ValueError(f"{cls.__name__} {value!r}: the label and meaning are one line")
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.meaning = meaning
        return member

    @property
    def phrase(self) -> str:
        """The label inside a sentence: ``"dedicated fixture"``, ``"hybrid AM"``.

        The first letter is lowered when the rest of the first word is in lower case, so
        an acronym, a symbol or a letter keeps its case (``"SPC"``, ``"X̄ chart"``,
        ``"B-rep"``, ``"S-1"``). A label that starts with a proper name (``"Nelson"``)
        has no phrase of its own: it is lowered like any other word.
        """
        first = re.split(r"[ -]", self.label, maxsplit=1)[0]
        if len(first) > 1 and first[1:].islower():
            return self.label[:1].lower() + self.label[1:]
        return self.label

    @property
    def adjective(self) -> str:
        """The phrase before a noun, hyphenated: ``"a low-volume batch"``, ``"first-article"``."""
        return self.phrase.replace(" ", "-")


def _escape(text: str) -> str:
    """Text for a Markdown table cell."""
    return text.replace("|", "\\|")


def _summary(vocabulary: type[Vocabulary]) -> str:
    """The first paragraph of a vocabulary's docstring, on one line."""
    doc = inspect.getdoc(vocabulary) or ""
    return " ".join(doc.split("\n\n", 1)[0].split())


def glossary_table(vocabulary: type[Vocabulary]) -> str:
    """One vocabulary as a Markdown section: its summary and a value/label/meaning table.

    Parameters
    ----------
    vocabulary
        The enum to describe.

    Returns
    -------
    str
        A ``###`` heading naming the enum, its docstring's first paragraph and the
        table, one row per member in declaration order.
    """
    lines = [f"### `{vocabulary.__name__}`", "", _summary(vocabulary), ""]
    lines += ["| value | label | meaning |", "|---|---|---|"]
    lines += [
        f"| `{member.value}` | {_escape(member.label)} | {_escape(member.meaning)} |"
        for member in vocabulary
    ]
    return "\n".join(lines) + "\n"


def glossary(vocabularies: Iterable[type[Vocabulary]], *, preamble: str = "") -> str:
    """The Markdown glossary of some vocabularies, grouped by the module defining each.

    Parameters
    ----------
    vocabularies
        The enums, in the order they are to appear (modules appear in first-seen order).
    preamble
        Markdown put before the first module's heading (title and how to regenerate).

    Returns
    -------
    str
        The document, ending with one newline.
    """
    by_module: dict[str, list[type[Vocabulary]]] = {}
    for vocabulary in vocabularies:
        by_module.setdefault(vocabulary.__module__, []).append(vocabulary)
    parts = [preamble.strip() + "\n"] if preamble.strip() else []
    for module, members in by_module.items():
        parts.append(f"## `{module}`\n")
        parts.extend(glossary_table(vocabulary) for vocabulary in members)
    return "\n".join(parts)
