"""Operating characteristic of attribute sampling plans: OC, AOQ, AOQL, ATI, ASN, design.

A plan is a sequence of :class:`~rampwise.quality.sampling.SamplingStage` (one stage for
single sampling, two for double sampling). The number of nonconforming items in a sample
follows a binomial (infinite lot, fraction ``p``), a hypergeometric (lot of ``N`` items
holding ``round(p·N)`` nonconforming ones, samples drawn without replacement) or a
Poisson distribution (mean ``n·p``; also the model for nonconformities per 100 items).

Rectifying inspection (rejected lots are screened 100 % and nonconforming items
replaced) gives the average outgoing quality AOQ(p), its maximum AOQL and the average
total inspection ATI(p).

References
----------
.. [1] Montgomery, D. C., *Introduction to Statistical Quality Control*, 7th ed., Wiley,
   2013, §15.2 (OC curve, AOQ = Pa·p·(N−n)/N, ATI = n + (1−Pa)(N−n)) and §15.3 (double
   sampling).
.. [2] NIST/SEMATECH e-Handbook of Statistical Methods, §6.2.3.2 "Choosing a single
   sampling plan with a given OC curve" (n 52, c 3, N 10 000).
.. [3] Kiermeier, A., "Visualizing and assessing acceptance sampling plans: the R package
   AcceptanceSampling", *J. Stat. Softw.* 26(6), 2008, doi:10.18637/jss.v026.i06
   (``OC2c``, ``find.plan``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict

from rampwise.core.checks import require_whole
from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.counts import binomial_pmf, hypergeometric_pmf, poisson_pmf
from rampwise.quality.sampling import SamplingPlan, SamplingStage, parse_enum

__all__ = [
    "AOQLResult",
    "Distribution",
    "OCCurve",
    "PlanDesign",
    "aoq",
    "aoql",
    "average_sample_number",
    "average_total_inspection",
    "design_single_plan",
    "oc_curve",
    "plot_oc_curve",
    "probability_of_acceptance",
    "single_stage_plan",
]

FloatArray = NDArray[np.float64]
PlanLike = SamplingPlan | Sequence[SamplingStage]


class Distribution(Vocabulary):
    """Model of the count of nonconforming items in a sample."""

    BINOMIAL = (
        "binomial",
        "Binomial",
        "Items drawn from an infinite lot with a fraction p nonconforming.",
    )
    HYPERGEOMETRIC = (
        "hypergeometric",
        "Hypergeometric",
        "Items drawn without replacement from a lot of N holding round(p·N) nonconforming.",
    )
    POISSON = (
        "poisson",
        "Poisson",
        "A count with mean n·p; also the model of nonconformities per 100 items.",
    )


class AOQLResult(BaseModel):
    """Average outgoing quality limit of a plan under rectifying inspection.

    Parameters
    ----------
    aoql
        Maximum of AOQ(p) over p [fraction nonconforming].
    at_fraction
        Incoming fraction nonconforming p where the maximum occurs [fraction].
    """

    model_config = ConfigDict(frozen=True)

    aoql: float
    at_fraction: float


class OCCurve(BaseModel):
    """Points of a plan's operating characteristic and rectifying-inspection curves.

    Parameters
    ----------
    fraction_nonconforming
        Incoming quality p at each point [fraction].
    probability_of_acceptance
        Pa(p) [unitless].
    aoq, ati
        AOQ(p) [fraction] and ATI(p) [items]; empty without a lot size.
    asn
        Average sample number ASN(p) [items].
    distribution
        Model used.
    lot_size
        Items in the lot [unitless], or ``None`` for an infinite lot.
    aoql
        AOQL and where it occurs; ``None`` without a lot size.
    """

    model_config = ConfigDict(frozen=True)

    fraction_nonconforming: tuple[float, ...]
    probability_of_acceptance: tuple[float, ...]
    aoq: tuple[float, ...]
    ati: tuple[float, ...]
    asn: tuple[float, ...]
    distribution: Distribution
    lot_size: int | None
    aoql: AOQLResult | None


class PlanDesign(BaseModel):
    """A single sampling plan designed through two points of its OC curve.

    Parameters
    ----------
    sample_size, accept, reject
        n, c and c + 1 [unitless].
    producer_pa, consumer_pa
        Pa at the producer's and the consumer's quality [unitless].
    """

    model_config = ConfigDict(frozen=True)

    sample_size: int
    accept: int
    reject: int
    producer_pa: float
    consumer_pa: float


def single_stage_plan(sample_size: int, accept: int) -> tuple[SamplingStage, ...]:
    """A single sampling plan (n, c) with Re = c + 1, for OC work on any plan.

    Parameters
    ----------
    sample_size
        n [unitless], ≥ 1.
    accept
        Acceptance number c [unitless], 0 ≤ c < n.

    Raises
    ------
    InputError
        If n < 1, c < 0 or c ≥ n.
    """
    n = require_whole("sample_size", sample_size, minimum=1)
    c = require_whole("accept", accept, minimum=0)
    if c >= n:
        raise InputError("accept", f"must be smaller than the sample size {n}; got {c}")
    return (SamplingStage(sample_size=n, cumulative_sample_size=n, accept=c, reject=c + 1),)


def _stages(plan: PlanLike) -> tuple[SamplingStage, ...]:
    stages = tuple(plan.stages if isinstance(plan, SamplingPlan) else plan)
    if not stages:
        raise InputError("plan", "must have at least one stage")
    return stages


def _fractions(p: ArrayLike) -> FloatArray:
    values = np.atleast_1d(np.asarray(p, dtype=np.float64))
    if not np.all(np.isfinite(values)) or np.any(values < 0) or np.any(values > 1):
        raise InputError("fraction_nonconforming", "must be finite fractions between 0 and 1")
    return values


def _lot(
    distribution: Distribution, lot_size: int | None, stages: Sequence[SamplingStage]
) -> int | None:
    if lot_size is None:
        if distribution is Distribution.HYPERGEOMETRIC:
            raise InputError("lot_size", "is required for the hypergeometric distribution")
        return None
    size = require_whole("lot_size", lot_size, minimum=1)
    if stages[-1].cumulative_sample_size > size:
        raise InputError(
            "lot_size",
            f"must be ≥ the total sample size {stages[-1].cumulative_sample_size}; got {size}",
        )
    return size


def _stage_pmf(
    distribution: Distribution,
    n: int,
    p: float,
    lot: int | None,
    drawn: int,
    found: NDArray[np.int64],
) -> NDArray[np.float64]:
    """P(x nonconforming among the next n items) per earlier count ``found``: (len(found), n+1)."""
    if distribution is Distribution.BINOMIAL:
        return np.broadcast_to(binomial_pmf(n, p), (found.size, n + 1))
    if distribution is Distribution.POISSON:
        return np.broadcast_to(poisson_pmf(n, n * p), (found.size, n + 1))
    assert lot is not None
    remaining_bad = np.clip(round(p * lot) - found, 0, None)
    return hypergeometric_pmf(np.arange(n + 1)[None, :], lot - drawn, remaining_bad[:, None], n)


def _stage_outcomes(
    stages: Sequence[SamplingStage], p: float, distribution: Distribution, lot: int | None
) -> tuple[FloatArray, FloatArray]:
    """Probability of accepting the lot at each stage and of reaching each stage."""
    continuing = {0: 1.0}
    accepted = np.zeros(len(stages))
    reached = np.zeros(len(stages))
    drawn = 0
    for index, stage in enumerate(stages):
        reached[index] = sum(continuing.values())
        found = np.fromiter(continuing.keys(), dtype=np.int64)
        weights = np.fromiter(continuing.values(), dtype=np.float64)
        pmf = _stage_pmf(distribution, stage.sample_size, p, lot, drawn, found)
        totals = found[:, None] + np.arange(stage.sample_size + 1)[None, :]
        mass = weights[:, None] * pmf
        last = index == len(stages) - 1
        accept_limit = stage.reject - 1 if last else stage.accept
        accepted[index] = float(mass[totals <= accept_limit].sum())
        continuing = {}
        if not last:
            for total in range(stage.accept + 1, stage.reject):
                share = float(mass[totals == total].sum())
                if share > 0.0:
                    continuing[total] = share
        drawn += stage.sample_size
    return accepted, reached


class _Evaluation(BaseModel):
    """Per-point stage outcomes shared by the public OC functions."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    stages: tuple[SamplingStage, ...]
    fractions: FloatArray
    lot: int | None
    accepted_at: FloatArray
    reached: FloatArray

    @property
    def pa(self) -> FloatArray:
        return np.asarray(self.accepted_at.sum(axis=1), dtype=np.float64)

    @property
    def asn(self) -> FloatArray:
        sizes = np.array([s.sample_size for s in self.stages], dtype=np.float64)
        return np.asarray(self.reached @ sizes, dtype=np.float64)

    def rectified(self) -> tuple[FloatArray, FloatArray]:
        """AOQ and ATI under rectifying inspection (requires a lot size)."""
        if self.lot is None:
            raise InputError("lot_size", "is required for AOQ, AOQL and ATI")
        cumulative = np.array([s.cumulative_sample_size for s in self.stages], dtype=np.float64)
        aoq = self.fractions * (self.accepted_at @ (self.lot - cumulative)) / self.lot
        ati = self.accepted_at @ cumulative + (1.0 - self.pa) * self.lot
        return np.asarray(aoq, dtype=np.float64), np.asarray(ati, dtype=np.float64)


def _evaluate(
    plan: PlanLike, p: ArrayLike, distribution: Distribution | str, lot_size: int | None
) -> _Evaluation:
    stages = _stages(plan)
    model = _distribution(distribution)
    lot = _lot(model, lot_size, stages)
    fractions = _fractions(p)
    outcomes = [_stage_outcomes(stages, float(f), model, lot) for f in fractions]
    return _Evaluation(
        stages=stages,
        fractions=fractions,
        lot=lot,
        accepted_at=np.array([o[0] for o in outcomes]),
        reached=np.array([o[1] for o in outcomes]),
    )


def _distribution(value: Distribution | str) -> Distribution:
    return parse_enum("distribution", value, Distribution)


def probability_of_acceptance(
    plan: PlanLike,
    fraction_nonconforming: ArrayLike,
    *,
    distribution: Distribution | str = Distribution.BINOMIAL,
    lot_size: int | None = None,
) -> FloatArray:
    """Probability Pa(p) that a lot of incoming quality p is accepted.

    Parameters
    ----------
    plan
        A :class:`SamplingPlan` or its stages (see :func:`single_stage_plan`).
    fraction_nonconforming
        Incoming fraction nonconforming p, scalar or array [fraction].
    distribution
        ``binomial`` (default), ``hypergeometric`` (needs ``lot_size``) or ``poisson``.
    lot_size
        Items in the lot N [unitless].

    Returns
    -------
    numpy.ndarray
        Pa at each p [unitless].

    Raises
    ------
    InputError
        For p outside [0, 1], an unknown distribution, a missing lot size with the
        hypergeometric model, or a lot smaller than the plan's total sample.

    Notes
    -----
    For double sampling Pa = P(d1 ≤ Ac1) + Σ_{Ac1<d1<Re1} P(d1)·P(d1 + d2 ≤ Ac2). In a
    gapped plan (Re > Ac + 1 at the last stage) a final count below Re accepts the lot
    (Z1.4 clause 10.1.4: accepted, normal inspection reinstated), so the last stage
    accepts up to Re − 1. The hypergeometric model draws later stages from the rest of
    the lot.

    References
    ----------
    Montgomery (2013) §15.2-15.3; Kiermeier (2008) ``OC2c``.
    """
    return _evaluate(plan, fraction_nonconforming, distribution, lot_size).pa


def average_sample_number(
    plan: PlanLike,
    fraction_nonconforming: ArrayLike,
    *,
    distribution: Distribution | str = Distribution.BINOMIAL,
    lot_size: int | None = None,
) -> FloatArray:
    """Average number of items sampled per lot ASN(p), without screening [items].

    Parameters are those of :func:`probability_of_acceptance`.

    References
    ----------
    Montgomery (2013) §15.3: ASN = n1 + n2·P(Ac1 < d1 < Re1) for double sampling.
    """
    return _evaluate(plan, fraction_nonconforming, distribution, lot_size).asn


def aoq(
    plan: PlanLike,
    fraction_nonconforming: ArrayLike,
    *,
    lot_size: int,
    distribution: Distribution | str = Distribution.BINOMIAL,
) -> FloatArray:
    """Average outgoing quality AOQ(p) under rectifying inspection [fraction].

    AOQ = p·Σ_k Pa_k·(N − cumulative n_k)/N, where Pa_k is the probability of accepting
    at stage k (single sampling: Pa·p·(N − n)/N). Rejected lots are screened and leave
    with no nonconforming item.

    Parameters
    ----------
    plan
        A :class:`SamplingPlan` or its stages.
    fraction_nonconforming
        Incoming fraction nonconforming p [fraction].
    lot_size
        Items in the lot N [unitless].
    distribution
        ``binomial`` (default), ``hypergeometric`` or ``poisson``.

    References
    ----------
    Montgomery (2013) §15.2.4; NIST e-Handbook §6.2.3.2.
    """
    return _evaluate(plan, fraction_nonconforming, distribution, lot_size).rectified()[0]


def average_total_inspection(
    plan: PlanLike,
    fraction_nonconforming: ArrayLike,
    *,
    lot_size: int,
    distribution: Distribution | str = Distribution.BINOMIAL,
) -> FloatArray:
    """Average total inspection ATI(p) per lot under rectifying inspection [items].

    ATI = Σ_k Pa_k·cumulative n_k + (1 − Pa)·N (single sampling: n + (1 − Pa)(N − n)).

    Parameters are those of :func:`aoq`.

    References
    ----------
    Montgomery (2013) §15.2.4; NIST e-Handbook §6.2.3.2.
    """
    return _evaluate(plan, fraction_nonconforming, distribution, lot_size).rectified()[1]


def aoql(
    plan: PlanLike,
    *,
    lot_size: int,
    distribution: Distribution | str = Distribution.BINOMIAL,
) -> AOQLResult:
    """Average outgoing quality limit: the maximum of AOQ(p) over p.

    A grid of 1001 points locates the peak; a bounded scalar search refines it
    (hypergeometric AOQ moves in steps of 1/N, where the grid point is kept).

    Parameters
    ----------
    plan
        A :class:`SamplingPlan` or its stages.
    lot_size
        Items in the lot N [unitless].
    distribution
        ``binomial`` (default), ``hypergeometric`` or ``poisson``.

    Returns
    -------
    AOQLResult
        AOQL [fraction] and the incoming p where it occurs [fraction].

    References
    ----------
    Montgomery (2013) §15.2.4; Minitab "Attributes Acceptance Sampling" (AOQL).
    """
    stages = _stages(plan)
    model = _distribution(distribution)
    total = stages[-1].cumulative_sample_size
    upper = min(1.0, 3.0 * (stages[-1].reject + 1) / total)
    grid = np.linspace(0.0, upper, 1001)
    values = aoq(stages, grid, lot_size=lot_size, distribution=model)
    best = int(np.argmax(values))
    at, peak = float(grid[best]), float(values[best])
    if model is not Distribution.HYPERGEOMETRIC:
        low, high = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
        found, value = _golden_maximum(
            lambda f: float(aoq(stages, f, lot_size=lot_size, distribution=model)[0]),
            float(low),
            float(high),
        )
        if value > peak:
            at, peak = found, value
    return AOQLResult(aoql=peak, at_fraction=at)


_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


def _golden_maximum(
    function: Callable[[float], float], low: float, high: float, tolerance: float = 1e-10
) -> tuple[float, float]:
    """Golden-section search for the maximum of a unimodal ``function`` on [low, high].

    Returns the abscissa, to ``tolerance``, and the value there.

    References
    ----------
    .. [1] Press, W. H. et al., *Numerical Recipes*, 3rd ed., 2007, §10.2.
    """
    left, right = high - _GOLDEN * (high - low), low + _GOLDEN * (high - low)
    at_left, at_right = function(left), function(right)
    while high - low > tolerance:
        if at_left >= at_right:
            high, right, at_right = right, left, at_left
            left = high - _GOLDEN * (high - low)
            at_left = function(left)
        else:
            low, left, at_left = left, right, at_right
            right = low + _GOLDEN * (high - low)
            at_right = function(right)
    return (left, at_left) if at_left >= at_right else (right, at_right)


def oc_curve(
    plan: PlanLike,
    *,
    lot_size: int | None = None,
    distribution: Distribution | str = Distribution.BINOMIAL,
    points: int = 101,
    max_fraction: float | None = None,
) -> OCCurve:
    """OC, AOQ, ATI and ASN of a plan on a grid of incoming quality.

    Parameters
    ----------
    plan
        A :class:`SamplingPlan` or its stages.
    lot_size
        Items in the lot N [unitless]; without it AOQ, ATI and AOQL are left out.
    distribution
        ``binomial`` (default), ``hypergeometric`` or ``poisson``.
    points
        Grid points from p = 0 to ``max_fraction`` [unitless], ≥ 2.
    max_fraction
        Largest p on the grid [fraction]; default: where Pa has fallen near zero.

    Returns
    -------
    OCCurve
        The curves and, with a lot size, the AOQL.

    References
    ----------
    Montgomery (2013) §15.2.
    """
    stages = _stages(plan)
    count = require_whole("points", points, minimum=2)
    if max_fraction is None:
        top = min(1.0, 3.0 * (stages[-1].reject + 1) / stages[-1].cumulative_sample_size)
    else:
        top = float(_fractions(max_fraction)[0])
    grid = np.linspace(0.0, top, count)
    evaluation = _evaluate(stages, grid, distribution, lot_size)
    aoq_values, ati_values = (
        evaluation.rectified() if lot_size is not None else (grid[:0], grid[:0])
    )
    return OCCurve(
        fraction_nonconforming=tuple(float(v) for v in grid),
        probability_of_acceptance=tuple(float(v) for v in evaluation.pa),
        aoq=tuple(float(v) for v in aoq_values),
        ati=tuple(float(v) for v in ati_values),
        asn=tuple(float(v) for v in evaluation.asn),
        distribution=_distribution(distribution),
        lot_size=evaluation.lot,
        aoql=aoql(stages, lot_size=lot_size, distribution=distribution)
        if lot_size is not None
        else None,
    )


def design_single_plan(
    producer_quality: float,
    producer_pa: float,
    consumer_quality: float,
    consumer_pa: float,
    *,
    distribution: Distribution | str = Distribution.BINOMIAL,
    lot_size: int | None = None,
    max_sample_size: int = 10_000,
) -> PlanDesign:
    """Smallest single sampling plan (n, c) through two points of the OC curve.

    Finds the smallest n, and for it the smallest c, with Pa(producer_quality) ≥
    ``producer_pa`` and Pa(consumer_quality) ≤ ``consumer_pa``.

    Parameters
    ----------
    producer_quality
        Producer's risk point p1 (e.g. the AQL) [fraction].
    producer_pa
        Required Pa at p1, 1 − α [unitless].
    consumer_quality
        Consumer's risk point p2 (e.g. the LTPD), > p1 [fraction].
    consumer_pa
        Largest allowed Pa at p2, β [unitless].
    distribution
        ``binomial`` (default), ``hypergeometric`` (needs ``lot_size``) or ``poisson``.
    lot_size
        Items in the lot N [unitless].
    max_sample_size
        Search limit for n [unitless].

    Raises
    ------
    InputError
        If the points are not ordered (p1 < p2, Pa1 > Pa2) or no plan up to
        ``max_sample_size`` meets them.

    References
    ----------
    Kiermeier (2008), ``find.plan``; Montgomery (2013) §15.2.5.
    """
    p1, p2 = (float(v) for v in _fractions([producer_quality, consumer_quality]))
    pa1, pa2 = (float(v) for v in _fractions([producer_pa, consumer_pa]))
    if not (p1 < p2 and pa1 > pa2):
        raise InputError(
            "design", "needs producer quality < consumer quality and producer Pa > consumer Pa"
        )
    model = _distribution(distribution)
    limit = require_whole("max_sample_size", max_sample_size, minimum=1)
    if lot_size is not None:
        limit = min(limit, require_whole("lot_size", lot_size, minimum=1))
    for n in range(1, limit + 1):
        for c in range(n):
            stages = single_stage_plan(n, c)
            pa = probability_of_acceptance(stages, [p1, p2], distribution=model, lot_size=lot_size)
            if pa[0] >= pa1:
                if pa[1] <= pa2:
                    return PlanDesign(
                        sample_size=n,
                        accept=c,
                        reject=c + 1,
                        producer_pa=float(pa[0]),
                        consumer_pa=float(pa[1]),
                    )
                break
    raise InputError("design", f"no single sampling plan with n ≤ {limit} meets both points")


def plot_oc_curve(
    curve: OCCurve, path: str | Path, *, title: str = "Operating characteristic"
) -> Path:
    """Draw the OC curve (and AOQ when present) to an image file.

    Parameters
    ----------
    curve
        Result of :func:`oc_curve`.
    path
        Output file; the suffix (``.png``, ``.svg``, ``.pdf``) picks the format.
    title
        Figure title.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    target = Path(path)
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    percent = np.array(curve.fraction_nonconforming) * 100.0
    ax.plot(percent, curve.probability_of_acceptance, color="tab:blue", label="Pa")
    ax.set_xlabel("incoming quality p [% nonconforming]")
    ax.set_ylabel("probability of acceptance Pa")
    ax.set_ylim(0.0, 1.02)
    ax.grid(alpha=0.3)
    if curve.aoq:
        twin = ax.twinx()
        twin.plot(
            percent, np.array(curve.aoq) * 100.0, color="tab:orange", linestyle="--", label="AOQ"
        )
        twin.set_ylabel("AOQ [% nonconforming]")
        if curve.aoql is not None:
            twin.axhline(curve.aoql.aoql * 100.0, color="tab:orange", alpha=0.4, linewidth=0.8)
    ax.set_title(title)
    fig.legend(loc="upper right", bbox_to_anchor=(0.88, 0.88))
    fig.tight_layout()
    try:
        fig.savefig(target)
    except (OSError, ValueError) as err:
        raise InputError("plot", f"cannot write {target}: {err}") from err
    finally:
        plt.close(fig)
    return target
