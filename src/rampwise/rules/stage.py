"""Stage decision: quantity *and* purpose together, gated by readiness for production.

The rules come from the supplier texts (``../shared/seeds``):

- Seed 000/001: "A simple way to separate the two stages is by quantity and purpose
  together" — 1 to 5 pieces for design review, fit check and early function testing suit
  prototyping; dozens or hundreds for pilot runs, customer testing, market validation or
  bridge production suit low-volume manufacturing.
- Seed 002: prototyping runs 1–20 parts typically; production runs 50–10,000+ parts for
  market release, inventory and commercial deployment.
- Seed 004: move to mass production "based on process stability and commercial
  predictability, not only on a higher order quantity" — every readiness area must pass.

References
----------
.. [1] Seeds 000–004 in ``../shared/seeds`` (supplier texts the product is built from).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rampwise.catalog import load_table
from rampwise.core.model import (
    Project,
    PurposeGroup,
    Readiness,
    RuleFired,
    Stage,
    StageDecision,
    StageProfile,
)
from rampwise.rules.readiness import area_name, threshold

SEED_000 = "seed 000"
SEED_001 = "seed 001"
SEED_002 = "seed 002"
SEED_004 = "seed 004"

_STAGE_OF_GROUP = {
    PurposeGroup.LEARNING: Stage.PROTOTYPE,
    PurposeGroup.BATCH_VALIDATION: Stage.LOW_VOLUME,
    PurposeGroup.PRODUCTION: Stage.MASS_PRODUCTION,
}


@dataclass(frozen=True)
class QuantityBand:
    """Inclusive quantity range [pieces] that suggests a stage when no purpose is given."""

    stage: Stage
    min_quantity: int
    max_quantity: int | None
    source: str

    def contains(self, quantity: int) -> bool:
        """True when ``quantity`` lies in the band."""
        return quantity >= self.min_quantity and (
            self.max_quantity is None or quantity <= self.max_quantity
        )


@cache
def quantity_bands() -> tuple[QuantityBand, ...]:
    """The bands of ``catalog/stage_bands.csv``."""
    return tuple(
        QuantityBand(
            stage=Stage(row["stage"]),
            min_quantity=int(row["min_quantity"]),
            max_quantity=int(row["max_quantity"]) if row["max_quantity"] else None,
            source=row["source"],
        )
        for row in load_table("stage_bands")
    )


@cache
def stage_profiles() -> dict[Stage, StageProfile]:
    """The seeds' comparison rows per stage, from ``catalog/stage_profiles.csv``."""
    return {
        Stage(row["stage"]): StageProfile.model_validate(row)
        for row in load_table("stage_profiles")
    }


def stage_for(group: PurposeGroup | None, quantity: int, *, ready: bool) -> Stage:
    """The stage an order runs under, without the reasons.

    Its purpose's stage (its quantity band without a purpose), and low volume for
    production until the readiness gate passes (seed 004).

    Parameters
    ----------
    group
        The purpose group of the order, ``None`` when no purpose is given.
    quantity
        Pieces ordered [pieces].
    ready
        Whether all seven readiness areas pass.
    """
    wanted = band_for(quantity).stage if group is None else _STAGE_OF_GROUP[group]
    if wanted is Stage.MASS_PRODUCTION and not ready:
        return Stage.LOW_VOLUME
    return wanted


def band_for(quantity: int) -> QuantityBand:
    """The quantity band containing ``quantity`` [pieces]."""
    return next(b for b in quantity_bands() if b.contains(quantity))


def decide_stage(project: Project, readiness: Readiness) -> StageDecision:
    """Decide the manufacturing stage of an order.

    Parameters
    ----------
    project
        The order: quantity [pieces] and purpose.
    readiness
        The seven-area gate; mass production needs every area to pass.

    Returns
    -------
    StageDecision
        The stage, the rules that fired with their seed, warnings about quantity/purpose
        mismatches, blockers, and the next stage with what it takes to get there.
    """
    group = project.purpose_group
    quantity = project.quantity
    rules: list[RuleFired] = []
    warnings: list[str] = []
    borderline = False

    if group is None:
        band = band_for(quantity)
        wanted = band.stage
        borderline = True
        rules.append(
            RuleFired(
                rule="quantity_band",
                says=f"no purpose given: {quantity} pcs falls in the {wanted.adjective} "
                f"band ({_band_text(band)}); quantity alone is not enough to decide",
                source=band.source,
            )
        )
        warnings.append(
            "No purpose stated: the seeds separate stages by quantity and purpose together "
            "(seed 000); state what the parts are for to make this decision firm."
        )
    else:
        wanted = _STAGE_OF_GROUP[group]
        rules.append(_purpose_rule(project.purpose or "", group))
        warnings.extend(_mismatch_warnings(group, quantity))

    stage = stage_for(group, quantity, ready=readiness.ready)
    blockers: tuple[str, ...] = ()
    if wanted is Stage.MASS_PRODUCTION:
        if readiness.ready:
            rules.append(
                RuleFired(
                    rule="readiness_gate_passed",
                    says="all seven readiness areas pass: mass production is justified",
                    source=f"{SEED_004}: design frozen, validation complete, demand stable …",
                )
            )
        else:
            blockers = readiness.blockers
            failing = [area_name(a.area) for a in readiness.areas if a.status.value != "pass"]
            rules.append(
                RuleFired(
                    rule="readiness_gate_blocks",
                    says="production purpose, but the readiness gate does not pass "
                    f"({', '.join(failing)}): stay in low-volume manufacturing",
                    source=f"{SEED_004}: 'based on process stability and commercial "
                    "predictability, not only on a higher order quantity'",
                )
            )
            if not borderline:
                warnings.append(
                    "Production requested but not ready: the order is planned as low volume "
                    "until the blockers are closed (seed 004)."
                )

    next_stage, next_steps = _next(stage, readiness)
    return StageDecision(
        stage=stage,
        purpose=project.purpose,
        purpose_group=group,
        quantity=quantity,
        borderline=borderline,
        rules=tuple(rules),
        warnings=tuple(warnings),
        blockers=blockers,
        next_stage=next_stage,
        next_steps=next_steps,
    )


def _band_text(band: QuantityBand) -> str:
    if band.max_quantity is None:
        return f"{band.min_quantity}+ pcs"
    return f"{band.min_quantity}–{band.max_quantity} pcs"


def _purpose_rule(purpose: str, group: PurposeGroup) -> RuleFired:
    """The rule a stated purpose fires; the purpose (a ``catalog/purposes.csv`` key) in words."""
    purpose = purpose.replace("_", " ")
    if group is PurposeGroup.LEARNING:
        return RuleFired(
            rule="learning_purpose",
            says=f"'{purpose}' is about learning whether the design works: prototype",
            source=f"{SEED_000}: 'If the project is still testing whether the design works, "
            "prototyping is usually the right choice'",
        )
    if group is PurposeGroup.BATCH_VALIDATION:
        return RuleFired(
            rule="batch_validation_purpose",
            says=f"'{purpose}' needs a batch that is made, inspected and delivered "
            "consistently: low volume",
            source=f"{SEED_001}: 'dozens or hundreds of parts for customer testing, pilot runs, "
            "market validation, or bridge production'",
        )
    return RuleFired(
        rule="production_purpose",
        says=f"'{purpose}' is a production purpose: mass production if the gate passes",
        source=f"{SEED_002}: production runs are ideal for market release, inventory, "
        "commercial deployment",
    )


def _mismatch_warnings(group: PurposeGroup, quantity: int) -> list[str]:
    """Warnings when the quantity does not fit what the purpose usually needs."""
    warnings: list[str] = []
    learning_max = int(threshold("learning_quantity_typical_max"))
    batch_min = int(threshold("batch_quantity_min"))
    production_min = int(threshold("production_quantity_min"))
    prototype_band = next(b for b in quantity_bands() if b.stage is Stage.PROTOTYPE)
    if group is PurposeGroup.LEARNING and quantity > learning_max:
        warnings.append(
            f"Large learning order: {quantity} pcs for a design-learning purpose, where "
            f"prototyping typically needs {prototype_band.min_quantity}–"
            f"{prototype_band.max_quantity} pcs (seed 000) and rarely more than {learning_max} "
            f"(seed 002). Staged plan: order {prototype_band.max_quantity} prototypes first, "
            "revise the design, then order the rest as a low-volume batch."
        )
    if group is PurposeGroup.BATCH_VALIDATION and quantity < batch_min:
        warnings.append(
            f"Small batch: {quantity} pcs cannot show multi-part consistency; batch validation "
            "usually needs dozens or hundreds of parts (seed 000/001: 'one good part is not "
            "enough')."
        )
    if group is PurposeGroup.PRODUCTION and quantity < production_min:
        warnings.append(
            f"Small production order: {quantity} pcs is below the {production_min}+ pcs of "
            "production runs (seed 002); setup will not be amortised."
        )
    return warnings


def _next(stage: Stage, readiness: Readiness) -> tuple[Stage | None, tuple[str, ...]]:
    """The next stage and the actions that lead there."""
    if stage is Stage.PROTOTYPE:
        return Stage.LOW_VOLUME, (
            "Confirm structure, dimensions and function with the prototypes (seed 000).",
            "Release a revision whose design is mostly confirmed, then order dozens or hundreds "
            "of parts for a pilot run to prove batch consistency (seed 000/001).",
        )
    if stage is Stage.LOW_VOLUME:
        actions = tuple(a.action for a in readiness.areas if a.status.value != "pass" and a.action)
        if not actions:
            actions = ("All readiness areas pass: release the order for mass production.",)
        return Stage.MASS_PRODUCTION, actions
    return None, ()
