"""The one pipeline: a :class:`Project` in, an :class:`Assessment` out.

The CLI, the API and the web pages all call :func:`assess`; none re-implements a rule
(DESIGN.md). The order of the steps matters because the stage depends on the readiness
gate, and the gate reads facts that other steps compute:

1. readiness gate over what the project states (plus measured capability, a quote at the
   cost target's quantity, and the generated inspection plan, as they become available);
2. stage decision from quantity, purpose and the gate;
3. the profile of the chosen stage.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from rampwise import __version__
from rampwise.model import Project, Readiness, Stage, StageDecision, StageProfile
from rampwise.readiness import GateEvidence, evaluate_readiness
from rampwise.stage import decide_stage, stage_profiles


class Assessment(BaseModel):
    """The whole answer for one project; ``model_dump_json()`` is the JSON contract.

    Attributes
    ----------
    stage
        The decided stage (``prototype``, ``low_volume`` or ``mass_production``).
    readiness
        The seven-area gate with ``ready`` and ``areas``.
    stage_decision
        Why: the rules that fired, warnings, blockers and the next stage.
    profile
        The seeds' comparison row for the chosen stage.
    """

    model_config = ConfigDict(frozen=True)

    project: str
    part_number: str
    part_revision: str | None
    quantity: int
    stage: Stage
    readiness: Readiness
    stage_decision: StageDecision
    profile: StageProfile
    assessed_on: date
    rampwise_version: str


def assess(project: Project, *, today: date | None = None) -> Assessment:
    """Assess one project end to end.

    Parameters
    ----------
    project
        The validated project document.
    today
        Date of the assessment [date]; revision ages are counted to it.

    Returns
    -------
    Assessment
        Stage, readiness, the decision's rationale and the stage profile.
    """
    today = today or date.today()
    evidence = GateEvidence(today=today)
    readiness = evaluate_readiness(project, evidence)
    decision = decide_stage(project, readiness)
    return Assessment(
        project=project.project,
        part_number=project.part.number,
        part_revision=project.part.revision,
        quantity=project.quantity,
        stage=decision.stage,
        readiness=readiness,
        stage_decision=decision,
        profile=stage_profiles()[decision.stage],
        assessed_on=today,
        rampwise_version=__version__,
    )
