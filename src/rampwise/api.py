"""The public surface: read what a project names, then plan it once.

What users, the CLI and the web import. A notebook user writes::

    import rampwise
    answer = rampwise.assess("project.yaml")      # or a Project, or the document's dict
    answer.quote.at(500).unit_price

The CLI, the API and the pages all go through :func:`open_plan` (or :func:`assess`, its
whole answer); none re-implements a rule (DESIGN.md). This module does the reading the
:class:`rampwise.pipeline.Plan` does not: the CAD model the part names, the measured batch
and the gauge studies the project names, and the shop when none is given
(``RAMPWISE_SHOP`` or the catalog). Everything else — route, inspection plan, quote,
gate and stage, each once per stage — is the plan's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from rampwise.core.errors import InputError
from rampwise.core.model import Project
from rampwise.core.shop import ShopConfig
from rampwise.geometry import analyze as analyze_geometry
from rampwise.geometry.models import PartGeometry
from rampwise.io.project_file import load_project, project_from_mapping
from rampwise.io.shop_file import load_shop, resolve_shop
from rampwise.pipeline import Assessment, Evidence, Plan, with_geometry
from rampwise.quality.batch import BatchResult, analyze_batch
from rampwise.quality.measurements import load_measurements
from rampwise.quality.msa import GaugeRRResult, gauge_rr, load_gauge_study
from rampwise.quality.specs import specs_for_characteristics

__all__ = [
    "Assessment",
    "Evidence",
    "Plan",
    "Project",
    "assess",
    "load_project",
    "load_shop",
    "open_plan",
    "read_evidence",
    "read_gauge_study",
]


def open_plan(
    project: Project,
    *,
    today: date | None = None,
    shop: ShopConfig | None = None,
    geometry: PartGeometry | None = None,
    evidence: Evidence | None = None,
) -> Plan:
    """The plan of one project, with what its files say read in.

    Parameters
    ----------
    project
        The validated project document.
    today
        Date of the assessment [date]; default today.
    shop
        Shop rates and limits; ``None`` reads ``RAMPWISE_SHOP`` or the catalog defaults.
    geometry
        An analysis already made of ``project.part.cad`` (the web job passes it); ``None``
        analyses the file when the part names one.
    evidence
        Measured batches and gauge studies already read (the store's); ``None`` reads the
        files the project names (:func:`read_evidence`).

    Raises
    ------
    InputError
        If the CAD model, the measurements or a gauge study cannot be read.
    """
    if geometry is None and project.part.cad is not None:
        geometry = analyze_geometry(project.part.cad, metal=project.part.material.metal)
    if evidence is None:
        evidence = read_evidence(with_geometry(project, geometry))
    return Plan(
        project,
        shop=shop or resolve_shop(),
        today=today or date.today(),
        evidence=evidence,
        geometry=geometry,
    )


def assess(
    project: Project | str | Path | Mapping[str, Any],
    *,
    today: date | None = None,
    shop: ShopConfig | None = None,
    geometry: PartGeometry | None = None,
    evidence: Evidence | None = None,
) -> Assessment:
    """Assess one project end to end: :func:`open_plan` then :meth:`Plan.assess`.

    Parameters
    ----------
    project
        A validated project, the path of a project file, or the document's mapping (the
        YAML's fields; relative paths in it are read from the working folder).
    today, shop, geometry, evidence
        As for :func:`open_plan`.

    Returns
    -------
    Assessment
        Stage and why, readiness, route, inspection plan, price ladder and geometry.

    Raises
    ------
    InputError
        If the CAD model cannot be read or a catalog name in the project is unknown.
    """
    if isinstance(project, str | Path):
        project = load_project(project, today=today)
    elif not isinstance(project, Project):
        project = project_from_mapping(project, base_dir=Path.cwd(), today=today)
    plan = open_plan(project, today=today, shop=shop, geometry=geometry, evidence=evidence)
    return plan.assess()


def read_evidence(project: Project) -> Evidence:
    """The measured batch and gauge studies the project's files hold, as values.

    The project is the one assessed, so a characteristic may come from the CAD model's PMI.

    Raises
    ------
    InputError
        Naming ``measurements`` or ``gauge_studies.<key>`` when a file cannot be read.
    """
    return Evidence(batch=_batch(project), gauge_studies=_gauge_studies(project))


def _batch(project: Project) -> BatchResult | None:
    """Batch consistency of the measurements file the project names (seed 002)."""
    if project.measurements is None:
        return None
    specs = specs_for_characteristics(project.part.characteristics)
    return analyze_batch(load_measurements(project.measurements, specs=specs))


def _gauge_studies(project: Project) -> dict[str, GaugeRRResult]:
    """Gauge R&R of each study the project names, against its characteristic's tolerance.

    The project is the one assessed, so a characteristic may come from the CAD model's PMI.

    Raises
    ------
    InputError
        Naming ``gauge_studies.<key>`` when the key names no characteristic or the study
        cannot be read or analysed.
    """
    return {
        key: read_gauge_study(project, key, path) for key, path in project.gauge_studies.items()
    }


def read_gauge_study(
    project: Project, key: str, path: str | Path, *, name: str | None = None
) -> GaugeRRResult:
    """Gauge R&R of one study of a characteristic of ``project``, against its tolerance.

    The one way a study becomes evidence, whether the project file names it or it was
    uploaded to a stored project.

    Parameters
    ----------
    project
        The project the characteristic belongs to.
    key
        The characteristic's id or name, as ``gauge_studies`` keys it.
    path
        The study file (long form: ``part, appraiser, trial, value``).
    name
        The file's name as its user knows it, for messages (default: the path's).

    Raises
    ------
    InputError
        Naming ``gauge_studies.<key>`` when the key names no characteristic or the study
        cannot be read or analysed.
    """
    field = f"gauge_studies.{key}"
    characteristic = project.part.characteristic(key)
    if characteristic is None:
        known = ", ".join(str(c.id) for c in project.part.characteristics) or "none"
        raise InputError(field, f"names no characteristic (ids: {known})")
    try:
        study = load_gauge_study(path)
        return gauge_rr(study, tolerance=characteristic.tolerance_width)
    except InputError as err:  # name the project's field; keep the study's row
        message = err.message if err.field == "study" else str(err)
        if name is not None:
            message = message.replace(str(path), name)
        raise InputError(field, message) from None
