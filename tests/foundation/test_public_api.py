"""The public surface: ``rampwise.assess`` takes a path, a document or a project alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

import rampwise
from rampwise.io.project_file import load_project
from support import TODAY


def test_a_path_a_document_and_a_project_give_one_answer(examples_dir: Path) -> None:
    path = examples_dir / "valve_body_production.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    answers = [
        rampwise.assess(source, today=TODAY)
        for source in (path, str(path), document, load_project(path, today=TODAY))
    ]
    dumps = {a.model_dump_json() for a in answers}
    assert len(dumps) == 1


def test_importing_rampwise_does_not_load_the_pipeline() -> None:
    code = "import sys, rampwise; print('rampwise.pipeline' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
