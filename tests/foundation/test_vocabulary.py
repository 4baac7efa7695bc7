"""One labelled-enum base for every closed vocabulary, and the glossary generated from it.

``docs/vocabulary.md`` is written by ``docs/make_glossary.py``; the first test fails when
someone changed a vocabulary and did not regenerate it.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import BaseModel

from rampwise.core.model import ReadinessArea, Stage
from rampwise.core.vocabulary import Vocabulary
from rampwise.geometry.models import Representation
from rampwise.quality.batch import Verdict
from rampwise.quality.charts import ChartType
from rampwise.quality.rules import rule_label
from rampwise.rules.inspection import InspectionRole, StepKind
from rampwise.rules.process import MachiningStrategy
from rampwise.rules.readiness import area_name
from rampwise.rules.strategies import StrategyName
from support import REPO

PACKAGE = REPO / "src" / "rampwise"
DOMAIN = ("core", "catalog", "tolerance", "quality", "geometry", "rules")
"""Packages whose enums are vocabularies (``app`` keeps its plumbing enums: job states …)."""


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_glossary", REPO / "docs" / "make_glossary.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
VOCABULARIES: list[type[Vocabulary]] = GENERATOR.vocabularies()


def _domain_modules() -> list[Path]:
    return [p for top in DOMAIN for p in sorted((PACKAGE / top).rglob("*.py"))]


def test_docs_vocabulary_is_what_the_generator_writes() -> None:
    written = (REPO / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    assert written == GENERATOR.render(), "run: .venv/bin/python docs/make_glossary.py"


def test_the_glossary_links_the_vocabulary() -> None:
    assert "(vocabulary.md)" in (REPO / "docs" / "glossary.md").read_text(encoding="utf-8")


def test_the_generator_finds_every_vocabulary() -> None:
    names = {f"{v.__module__}.{v.__qualname__}" for v in VOCABULARIES}
    assert {
        "rampwise.core.model.Stage",
        "rampwise.quality.batch.Verdict",
        "rampwise.rules.strategies.StrategyName",
        "rampwise.rules.inspection.InspectionRole",
        "rampwise.tolerance.stackup.Distribution",
        "rampwise.quality.oc.Distribution",
    } <= names
    assert VOCABULARIES.index(Stage) < VOCABULARIES.index(StrategyName)  # core first


@pytest.mark.parametrize("path", _domain_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_enum_of_the_domain_is_a_vocabulary(path: Path) -> None:
    plain = [
        f"{path.name}:{node.lineno} {node.name}({ast.unparse(base)})"
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef)
        for base in node.bases
        if ast.unparse(base) in {"enum.StrEnum", "StrEnum", "enum.Enum", "Enum"}
        and node.name != "Vocabulary"
    ]
    assert plain == []


def test_no_module_keeps_a_dict_of_words_for_a_vocabulary() -> None:
    """``_STRATEGY_LABELS = {StrategyName.VISE: "Vise", …}`` belongs in the enum itself."""
    names = {v.__name__ for v in VOCABULARIES}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = (
                node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            )
            value = getattr(node, "value", None)
            if not isinstance(value, ast.Dict) or not value.keys:
                continue
            wordy = any(
                isinstance(t, ast.Name) and any(w in t.id for w in ("LABEL", "WORD", "TITLE"))
                for t in targets
            )
            keyed = all(
                isinstance(k, ast.Attribute)
                and isinstance(k.value, ast.Name)
                and k.value.id in names
                for k in value.keys
            )
            if wordy and keyed:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__qualname__)
def test_every_member_has_a_label_and_a_one_line_meaning(vocabulary: type[Vocabulary]) -> None:
    labels = [member.label for member in vocabulary]
    assert len(set(labels)) == len(labels)
    for member in vocabulary:
        assert member.label.strip() == member.label and member.label
        assert member.meaning.endswith(".") and "\n" not in member.meaning
        assert member.label not in ("", member.meaning)


def test_a_member_is_its_value() -> None:
    class Order(BaseModel):
        stage: Stage
        strategy: StrategyName

    order = Order(stage="low_volume", strategy=StrategyName("hybrid_am"))  # type: ignore[arg-type]
    assert order.model_dump_json() == '{"stage":"low_volume","strategy":"hybrid_am"}'
    assert json.dumps([Stage.MASS_PRODUCTION]) == '["mass_production"]'
    assert str(Verdict.STABLE_NO_LIMITS) == f"{Verdict.STABLE_NO_LIMITS}" == "stable_no_limits"
    assert Stage("prototype") is Stage.PROTOTYPE and Stage.PROTOTYPE == "prototype"
    with pytest.raises(ValueError):
        Stage("Prototype")


def test_the_words_derive_from_the_label() -> None:
    assert (Stage.LOW_VOLUME.label, Stage.LOW_VOLUME.adjective) == ("Low volume", "low-volume")
    assert StrategyName.HYBRID_AM.phrase == "hybrid AM"
    assert StepKind.IN_PROCESS_SPC.phrase == "in-process SPC"
    assert MachiningStrategy.TURNING.phrase == "turning"
    assert MachiningStrategy.MILLING_5AXIS.phrase == "5-axis milling"
    assert Representation.BREP.phrase == "B-rep"
    assert ChartType.XBAR.phrase == ChartType.XBAR.label
    assert Verdict.CAPABLE.words == Verdict.CAPABLE.phrase == "capable, not stable"
    assert [role.adjective for role in InspectionRole] == [
        "first-article",
        "in-process",
        "outgoing",
    ]
    assert StepKind.VALIDATION_RUN.role is InspectionRole.FAI
    assert area_name(ReadinessArea.COST_TARGET) == "cost target"
    assert (rule_label("we2"), rule_label("nelson5"), rule_label("ewma")) == (
        "WE 2",
        "Nelson 5",
        "EWMA",
    )


def test_a_member_without_its_words_is_refused() -> None:
    with pytest.raises(ValueError, match="label and a meaning"):

        class Bare(Vocabulary):
            ONLY = "only"

    with pytest.raises(ValueError, match="one line"):

        class Wrapped(Vocabulary):
            TWO = "two", "Two", "A meaning\nover two lines."
