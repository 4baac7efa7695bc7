"""Stack-up advice: tighten, re-centre or open, with the amounts.

Given the links of a one-dimensional chain (each a signed gain a_i = direction·sensitivity,
a half-tolerance t_i and the centre of its zone), the mean gap m = Σ a_i·centre_i and the
predicted half-width H of the gap — worst case H = Σ|a_i|·t_i, RSS H = √Σ(a_i·t_i)² —
the advice says what makes the gap meet its requirement [L, U] (either side may be open):

* **Re-centre** when the mean gap lies on or outside the requirement (no tolerance helps
  then), or, for a two-sided requirement, when the range would fit once centred
  (H ≤ (U − L)/2). The shift is Δ = (L + U)/2 − m for a two-sided requirement, else the
  least shift that brings the near limit of the range onto the requirement (L + H − m or
  U − H − m). Any link can carry it, its nominal moving by Δ/a_i; the advice names the
  link with the largest |a_i| (the smallest change), the loosest among equals.
* **Tighten** when the range still oversteps: the contributions |a_i|·t_i largest first
  are capped at one common level λ, the least total change that brings H down to the
  room available (the distance from the mean to the nearer limit, or (U − L)/2 after a
  re-centring). Worst case: Σ min(|a_i|t_i, λ) = room; RSS: Σ min(|a_i|t_i, λ)² = room².
  Each capped link's new half-tolerance is λ/|a_i|. When a two-sided requirement is
  failed off-centre, a second plan re-centres first and tightens less.
* **Open** when the range fits with slack: how far each link's tolerance may open on its
  own, the others unchanged, with the range still inside (worst case
  t_i + slack/|a_i|; RSS √(room² − (H² − (a_i t_i)²))/|a_i|).

The functions take plain values (:class:`Link`), so :mod:`rampwise.tolerance.stackup`
builds the advice for each analytic method without a cycle.

References
----------
.. [1] P. J. Drake Jr. (ed.), *Dimensioning and Tolerancing Handbook*, McGraw-Hill 1999,
   ch. 9 (worst-case and RSS stacks; allocating tolerances to meet an assembly limit).
.. [2] Seed 003 (Step 1: "Analyze the Tolerance Map … which tolerances can be opened").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rampwise.core.vocabulary import Vocabulary

AdviceMethod = Literal["worst-case", "rss"]
"""The analytic method an advice is judged by (values of ``StackMethod``)."""

_METHOD_WORDS = {"worst-case": "Worst case", "rss": "RSS"}


class StackAction(Vocabulary):
    """What the advice asks of one contributor."""

    TIGHTEN = (
        "tighten",
        "Tighten",
        "Its tolerance must shrink for the gap to meet the requirement.",
    )
    RECENTRE = (
        "recentre",
        "Re-centre",
        "Its nominal moves to bring the mean gap back inside (or to the middle of) the "
        "requirement.",
    )
    OPEN = (
        "open",
        "Open",
        "The gap meets the requirement with slack: its tolerance may open (alone).",
    )
    KEEP = ("keep", "Keep", "Leave as it is.")


class Link(BaseModel):
    """One contributor as the advice sees it.

    Attributes
    ----------
    name
        Contributor name.
    nominal
        Nominal dimension [mm].
    centre
        Centre of its tolerance zone, nominal + mid-deviation [mm].
    gain
        Signed coefficient, direction × sensitivity [unitless], non-zero.
    half_width
        Half its tolerance, t [mm].
    """

    model_config = ConfigDict(frozen=True)

    name: str
    nominal: float
    centre: float
    gain: float
    half_width: float

    @property
    def contribution(self) -> float:
        """|gain|·t: what the link adds to the worst-case half-width [mm]."""
        return abs(self.gain) * self.half_width


class ToleranceChange(BaseModel):
    """A half-tolerance to change: from ``half_width`` to ``new_half_width`` [mm]."""

    model_config = ConfigDict(frozen=True)

    name: str
    half_width: float
    new_half_width: float

    @property
    def change(self) -> float:
        """New minus present half-tolerance [mm]; negative tightens."""
        return self.new_half_width - self.half_width

    def text(self) -> str:
        """``"K ±0.762 → ±0.1715"``."""
        return f"{self.name} ±{self.half_width:.4g} → ±{self.new_half_width:.4g}"


class NominalChange(BaseModel):
    """A nominal to move so that the mean gap moves by ``gap_shift``.

    Attributes
    ----------
    name
        The contributor whose nominal moves.
    nominal
        Its present nominal [mm].
    by
        Signed change of its nominal, gap_shift / gain [mm].
    gap_shift
        Signed change of the mean gap [mm].
    mean_gap_after
        The mean gap after the move [mm].
    """

    model_config = ConfigDict(frozen=True)

    name: str
    nominal: float
    by: float
    gap_shift: float
    mean_gap_after: float

    def text(self) -> str:
        """``"re-centre nominal Case 200 by −0.025 (to 199.975)"``."""
        return (
            f"re-centre nominal {self.name} {self.nominal:.6g} by {self.by:+.4g} "
            f"(to {self.nominal + self.by:.6g}; mean gap → {self.mean_gap_after:.4g})"
        )


class StackPlan(BaseModel):
    """Changes that together make the gap meet the requirement.

    Attributes
    ----------
    recentre
        The nominal to move first, if any.
    tighten
        Half-tolerances to reduce, largest contribution first.
    level
        The common cap λ on |gain|·t of the tightened links [mm]; ``None`` if none.
    half_width_after
        Predicted half-width of the gap after the plan [mm].
    """

    model_config = ConfigDict(frozen=True)

    recentre: NominalChange | None = None
    tighten: tuple[ToleranceChange, ...] = ()
    level: float | None = None
    half_width_after: float

    def text(self) -> str:
        """The plan in one sentence, starting in lower case [mm]."""
        steps = []
        if self.recentre is not None:
            steps.append(self.recentre.text())
        if self.tighten:
            names = "; ".join(change.text() for change in self.tighten)
            steps.append(
                f"tighten the largest contributors to |sensitivity|·t = {self.level:.4g} mm "
                f"each: {names}"
            )
        return " and ".join(steps) + f" (gap ±{self.half_width_after:.4g} mm after)"


class StackAdvice(BaseModel):
    """The advice for one analytic method.

    Attributes
    ----------
    method
        ``worst-case`` or ``rss``.
    meets
        Whether the predicted range lies within the requirement now.
    mean_gap
        Mean gap [mm].
    half_width
        Predicted half-width by the method [mm].
    shortfall
        How far the range oversteps the nearer limit [mm]; 0 when it meets.
    slack
        Room left between the range and the nearer limit [mm]; 0 when it fails.
    plans
        When it fails: the plans that make it meet, the recommended one first.
    open
        When it meets with slack: how far each contributor may open alone, largest
        contribution first.
    """

    model_config = ConfigDict(frozen=True)

    method: AdviceMethod
    meets: bool
    mean_gap: float
    half_width: float
    shortfall: float
    slack: float
    plans: tuple[StackPlan, ...] = ()
    open: tuple[ToleranceChange, ...] = ()

    def action(self, name: str) -> StackAction:
        """What the recommended plan (or the opening) asks of contributor ``name``."""
        if self.plans:
            plan = self.plans[0]
            if any(change.name == name for change in plan.tighten):
                return StackAction.TIGHTEN
            if plan.recentre is not None and plan.recentre.name == name:
                return StackAction.RECENTRE
            return StackAction.KEEP
        if any(change.name == name and change.change > 0 for change in self.open):
            return StackAction.OPEN
        return StackAction.KEEP

    def action_text(self, name: str) -> str:
        """The action for contributor ``name`` with its amount: ``"tighten to ±0.1715"``."""
        action = self.action(name)
        if action is StackAction.TIGHTEN:
            change = next(c for c in self.plans[0].tighten if c.name == name)
            return f"tighten to ±{change.new_half_width:.4g}"
        if action is StackAction.RECENTRE:
            recentre = self.plans[0].recentre
            assert recentre is not None
            return f"re-centre by {recentre.by:+.4g}"
        if action is StackAction.OPEN:
            change = next(c for c in self.open if c.name == name)
            return f"may open to ±{change.new_half_width:.4g}"
        return action.phrase

    def sentences(self) -> tuple[str, ...]:
        """The advice in words, one sentence per line [mm]."""
        method = _METHOD_WORDS[self.method]
        if self.meets:
            head = f"{method} meets the requirement with {self.slack:.4g} mm to spare"
            if not self.open:
                return (head + ": no tolerance can open.",)
            opened = "; ".join(change.text() for change in self.open)
            return (head + ".", f"Each may open alone, the others unchanged: {opened}.")
        lines = [f"{method} fails by {self.shortfall:.4g} mm."]
        for index, plan in enumerate(self.plans):
            text = plan.text()
            lines.append(f"Or {text}." if index else f"{text[:1].upper()}{text[1:]}.")
        return tuple(lines)


# --------------------------------------------------------------------------------------
# The advice
# --------------------------------------------------------------------------------------


def predicted_half_width(contributions: Sequence[float], method: AdviceMethod) -> float:
    """Σc (worst case) or √Σc² (RSS) of the contributions |gain|·t [mm]."""
    if method == "worst-case":
        return math.fsum(contributions)
    return math.sqrt(math.fsum(c * c for c in contributions))


def cap_level(contributions: Sequence[float], room: float, method: AdviceMethod) -> float:
    """The level λ at which capping the contributions brings the half-width to ``room``.

    Worst case solves Σ min(c_i, λ) = room; RSS Σ min(c_i, λ)² = room². With the
    contributions sorted c_1 ≥ c_2 ≥ …, capping the first k gives λ = (room − Σ_{j>k} c_j)/k
    (RSS: √((room² − Σ_{j>k} c_j²)/k)); the k whose λ lies in [c_{k+1}, c_k] is the one.

    Parameters
    ----------
    contributions
        |gain|·t of each link [mm].
    room
        Half-width the gap may have [mm], 0 < room < the present half-width.
    method
        ``worst-case`` or ``rss``.

    Returns
    -------
    float
        λ [mm].
    """
    ordered = sorted(contributions, reverse=True)
    n = len(ordered)
    slop = 1e-12 * max(ordered[0], room, 1.0) if ordered else 0.0  # round-off at the bounds
    for k in range(1, n + 1):
        rest = ordered[k:]
        below = rest[0] if rest else 0.0
        if method == "worst-case":
            level = (room - math.fsum(rest)) / k
        else:
            left = room * room - math.fsum(c * c for c in rest)
            if left < 0:
                continue
            level = math.sqrt(left / k)
        if below - slop <= level <= ordered[k - 1] + slop:
            return level
    return 0.0  # room ≤ 0 cannot be reached by tightening; callers never ask


def _tighten(links: Sequence[Link], room: float, method: AdviceMethod) -> StackPlan:
    """Cap the largest contributions so that the half-width becomes ``room``."""
    level = cap_level([link.contribution for link in links], room, method)
    ordered = sorted(links, key=lambda link: link.contribution, reverse=True)
    changes = tuple(
        ToleranceChange(
            name=link.name,
            half_width=link.half_width,
            new_half_width=level / abs(link.gain),
        )
        for link in ordered
        if link.contribution > level
    )
    return StackPlan(tighten=changes, level=level, half_width_after=room)


def _recentre(links: Sequence[Link], mean_gap: float, shift: float) -> NominalChange:
    """Move the nominal of the link with the largest |gain| (loosest among equals)."""
    chosen = max(links, key=lambda link: (abs(link.gain), link.contribution))
    return NominalChange(
        name=chosen.name,
        nominal=chosen.nominal,
        by=shift / chosen.gain,
        gap_shift=shift,
        mean_gap_after=mean_gap + shift,
    )


def _with_recentre(
    links: Sequence[Link],
    mean_gap: float,
    shift: float,
    room: float,
    half: float,
    method: AdviceMethod,
) -> StackPlan:
    """Re-centre by ``shift``, then tighten to ``room`` if the range is still too wide."""
    recentre = _recentre(links, mean_gap, shift)
    if half <= room:
        return StackPlan(recentre=recentre, half_width_after=half)
    return _tighten(links, room, method).model_copy(update={"recentre": recentre})


def _opening(
    links: Sequence[Link], room: float, half: float, method: AdviceMethod
) -> tuple[ToleranceChange, ...]:
    """How far each link may open alone while the range stays within ``room``."""
    slack = room - half
    rows = []
    for link in sorted(links, key=lambda item: item.contribution, reverse=True):
        gain = abs(link.gain)
        if method == "worst-case":
            allowed = link.half_width + slack / gain
        else:
            others = half * half - link.contribution**2
            allowed = math.sqrt(max(room * room - others, 0.0)) / gain
        rows.append(
            ToleranceChange(name=link.name, half_width=link.half_width, new_half_width=allowed)
        )
    return tuple(rows)


def stack_advice(
    links: Sequence[Link],
    *,
    low: float | None,
    high: float | None,
    method: AdviceMethod,
) -> StackAdvice | None:
    """Tighten, re-centre or open: what makes the gap meet ``[low, high]`` by ``method``.

    Parameters
    ----------
    links
        The chain's contributors.
    low, high
        Requirement on the gap [mm]; either may be ``None`` (one-sided).
    method
        ``worst-case`` (every assembly) or ``rss`` (the statistical range, each t = 3σ).

    Returns
    -------
    StackAdvice or None
        ``None`` without a requirement.

    References
    ----------
    .. [1] Drake 1999, ch. 9 — see the module references.
    """
    if low is None and high is None:
        return None
    mean = math.fsum(link.gain * link.centre for link in links)
    half = predicted_half_width([link.contribution for link in links], method)
    headroom = min(
        side
        for side in (None if low is None else mean - low, None if high is None else high - mean)
        if side is not None
    )
    meets = (low is None or mean - half >= low) and (high is None or mean + half <= high)
    base = {"method": method, "mean_gap": mean, "half_width": half}
    if meets:
        slack = headroom - half
        opened = _opening(links, headroom, half, method) if slack > 0 else ()
        return StackAdvice(**base, meets=True, shortfall=0.0, slack=slack, open=opened)
    shortfall = half - headroom
    plans: list[StackPlan] = []
    if low is not None and high is not None:
        centre, room = (low + high) / 2, (high - low) / 2
        shift = centre - mean
        if headroom <= 0 or half <= room:
            plans.append(_with_recentre(links, mean, shift, room, half, method))
        else:
            plans.append(_tighten(links, headroom, method))
            if room > headroom:  # off-centre: re-centring first leaves less to tighten
                plans.append(_with_recentre(links, mean, shift, room, half, method))
    elif headroom <= 0:  # one-sided, mean on or beyond the limit: only a shift helps
        shift = low + half - mean if low is not None else (high or 0.0) - half - mean
        plans.append(StackPlan(recentre=_recentre(links, mean, shift), half_width_after=half))
    else:
        plans.append(_tighten(links, headroom, method))
    return StackAdvice(**base, meets=False, shortfall=shortfall, slack=0.0, plans=tuple(plans))
