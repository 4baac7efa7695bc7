"""The import contract of the layers (DESIGN.md "The house").

``core ← maths (quality, geometry) ← rules ← pipeline ← api, app``; ``io`` and ``render``
are used only by ``api`` and ``app`` (and themselves). ``tolerance`` (ISO 286, ISO 2768,
stack-ups) sits with the core: the domain model reads a drawing's tolerance through ISO
286. A rule never calls a sibling to plan its inputs: the pipeline plans each step once
and hands it on. The test reads the source with :mod:`ast`, so it fails on the import that
crosses, naming it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from support import REPO

PACKAGE = REPO / "src" / "rampwise"

LAYER_OF_TOP = {
    "core": "core",
    "catalog": "core",
    "tolerance": "core",
    "quality": "maths",
    "geometry": "maths",
    "rules": "rules",
    "pipeline": "pipeline",
    "io": "io",
    "render": "render",
    "api": "api",
    "app": "app",
}
ALLOWED = {
    "core": {"core"},
    "maths": {"core", "maths"},
    "rules": {"core", "maths", "rules"},
    "pipeline": {"core", "maths", "rules", "pipeline"},
    "io": {"core", "maths", "rules", "pipeline", "io"},
    "render": {"core", "maths", "rules", "pipeline", "render"},
    "api": {"core", "maths", "rules", "pipeline", "io", "api"},
    "app": {"core", "maths", "rules", "pipeline", "io", "render", "api", "app"},
}
"""Which layers each layer may import."""

PLANNERS = {
    "plan_route": "process",
    "plan_validation_run": "validation_run",
    "first_article_need": "first_article",
    "gauge_choices": "inspection",
    "inspection_plan": "inspection",
    "plan_quote": "cost",
    "quote_project": "quote",
    "evaluate_readiness": "readiness",
    "decide_stage": "stage",
}
"""The functions that plan a step of the pipeline, by the rule module that owns each."""


def _modules() -> list[tuple[str, Path]]:
    return [
        (".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts), p)
        for p in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in p.parts and "examples" not in p.parts
    ]


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "rampwise":
        return None
    return LAYER_OF_TOP.get(parts[1].removesuffix("__init__"))


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name.startswith("rampwise.")]


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m, _ in _modules() if m != "rampwise.__init__" and _layer(m) is None]
    assert unplaced == []


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda v: str(v))
def test_imports_respect_the_layers(module: str, path: Path) -> None:
    layer = _layer(module)
    if layer is None:
        return
    crossing = [
        f"{path.name}:{line} imports {name} ({_layer(name)})"
        for line, name in _imports(path)
        if _layer(name) is not None and _layer(name) not in ALLOWED[layer]
    ]
    assert crossing == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "rules").glob("*.py")), ids=lambda p: p.stem)
def test_no_rule_plans_a_siblings_step(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        f"{path.name}:{node.lineno} calls {node.func.id}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in PLANNERS
        and PLANNERS[node.func.id] != path.stem
    ]
    assert calls == []
