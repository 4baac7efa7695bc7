"""Expected scrap from process capability: the normal tails outside the tolerance.

Without evidence of capability a quote takes the catalog's scrap rate: 3 % (``scrap_rate``)
or, when a tolerance is finer than the route's base process holds, seed 003's 12 % with
the standard approach (``scrap_rate_tight``). Where a Cpk is measured (a batch file) or
stated by the supplier, the fraction of parts out of tolerance follows from it instead:
for a normal process with indices Cp and Cpk the mean lies 3·Cpk standard deviations
inside the nearer limit and 3·(2·Cp − Cpk) inside the farther one, so

    p = Φ(−3·Cpk) + Φ(−3·(2·Cp − Cpk))

(Montgomery, *Introduction to Statistical Quality Control*, 7th ed., §8.3: fraction
nonconforming of a process with given capability). Cp is the route's chain's expected
capability at the characteristic's tolerance (:attr:`rampwise.rules.process.
CharacteristicRoute.expected_cp`); a measured Cpk above it means the process is better
than the chain's figure, and Cp is then taken equal to Cpk (centred). A characteristic
without evidence counts with its chain's Cp, centred. A part is scrapped when any
characteristic is out: 1 − Π(1 − pᵢ).

Tails alone would price a capable process at almost no scrap; setups, handling damage
and tool breakage remain, so the rate never goes below ``scrap_rate_floor`` (seed 003:
2 % on the optimised route of its case study).

References
----------
.. [1] Seed 003, comparison table: scrap 12 % (standard approach) → 2 % (optimised).
.. [2] D. C. Montgomery, Introduction to Statistical Quality Control, 7th ed. (Wiley,
   2012), §8.3.
.. [3] AIAG, Statistical Process Control, 2nd ed. (2005): Cpk, Ppk.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist

from pydantic import BaseModel, ConfigDict

from rampwise.core.vocabulary import Vocabulary

__all__ = [
    "CapabilityEvidence",
    "CharacteristicScrap",
    "ScrapBasis",
    "ScrapEstimate",
    "expected_scrap",
    "fraction_out_of_tolerance",
]

_NORMAL = NormalDist()


class ScrapBasis(Vocabulary):
    """Where a quote's scrap rate comes from."""

    CAPABILITY = (
        "capability",
        "from capability",
        "Normal tails outside the tolerance from the measured or stated Cpk and the "
        "chain's Cp, never below the catalog's floor.",
    )
    DEFAULT = (
        "default",
        "catalog default",
        "The catalog's scrap rate (12 % when a tolerance needs a finishing operation, "
        "seed 003; 3 % otherwise): no capability evidence.",
    )


class CapabilityEvidence(BaseModel):
    """A Cpk shown for one characteristic and where it comes from.

    Attributes
    ----------
    cpk
        Process capability index [unitless].
    source
        ``"measured, <file>"`` or ``"stated by supplier"``.
    """

    model_config = ConfigDict(frozen=True)

    cpk: float
    source: str


class CharacteristicScrap(BaseModel):
    """The expected fraction of one characteristic out of tolerance.

    Attributes
    ----------
    id
        Characteristic id.
    cp
        Capability index used [unitless]: the chain's, or the Cpk when that is higher.
    cpk
        Cpk used [unitless]: the evidence's, or ``cp`` (centred) without evidence.
    source
        Where ``cpk`` comes from: the evidence's source, or ``"chain Cp, centred"``.
    fraction
        Expected fraction of parts outside the tolerance [unitless].
    """

    model_config = ConfigDict(frozen=True)

    id: str
    cp: float
    cpk: float
    source: str
    fraction: float


class ScrapEstimate(BaseModel):
    """A quote's scrap rate and why.

    Attributes
    ----------
    rate
        Fraction of parts made that are scrapped [unitless].
    basis
        Capability or the catalog's default.
    floor
        The lowest rate capability may give [unitless] (``scrap_rate_floor``).
    characteristics
        The tails per characteristic; empty for the default.
    """

    model_config = ConfigDict(frozen=True)

    rate: float
    basis: ScrapBasis
    floor: float
    characteristics: tuple[CharacteristicScrap, ...] = ()

    def describe(self) -> str:
        """One clause for the quote's assumptions."""
        if self.basis is ScrapBasis.DEFAULT:
            return f"{self.rate:.0%} of parts made, the catalog's rate: no Cpk measured or stated"
        shown = "; ".join(
            f"#{c.id} Cpk {c.cpk:.2f} ({c.source}) → {c.fraction:.2%}"
            for c in self.characteristics
            if c.source != _CENTRED
        )
        others = sum(1 for c in self.characteristics if c.source == _CENTRED)
        rest = f"; {others} more at their chain's Cp, centred" if others else ""
        return (
            f"{self.rate:.1%} of parts made, from capability ({shown}{rest}), never below "
            f"{self.floor:.0%} (seed 003's optimised route)"
        )


_CENTRED = "chain Cp, centred"
_MOST = 0.99
"""Highest rate priced: parts made = good / (1 − rate) must stay finite; a process that
scraps more is not one to quote, and its Cpk fails the readiness gate anyway."""


def fraction_out_of_tolerance(cp: float, cpk: float) -> float:
    """Fraction of a normal process outside a two-sided tolerance [unitless].

    Φ(−3·Cpk) + Φ(−3·(2·Cp − Cpk)), with Cp raised to Cpk when smaller (the spread
    cannot be wider than the nearer limit allows). A centred process at Cp = Cpk = 1 has
    2·Φ(−3) = 0.27 % out (Montgomery §8.3).

    Parameters
    ----------
    cp
        Potential capability (tolerance / 6σ) [unitless], > 0.
    cpk
        Actual capability (distance of the mean to the nearer limit / 3σ) [unitless];
        negative when the mean lies outside the tolerance.
    """
    cp = max(cp, cpk)
    return _NORMAL.cdf(-3 * cpk) + _NORMAL.cdf(-3 * (2 * cp - cpk))


def expected_scrap(
    chains: Mapping[str, float | None],
    evidence: Mapping[str, CapabilityEvidence],
    *,
    default_rate: float,
    floor: float,
) -> ScrapEstimate:
    """The scrap rate a quote prices: from capability where a Cpk is shown, else the default.

    Parameters
    ----------
    chains
        Expected Cp of each toleranced characteristic's chain, by id [unitless]; ``None``
        where the chain's capability is unknown.
    evidence
        Measured or stated Cpk by characteristic id.
    default_rate
        The catalog's rate for the route (``scrap_rate`` or ``scrap_rate_tight``)
        [unitless].
    floor
        Lowest rate from capability (``scrap_rate_floor``) [unitless].

    Returns
    -------
    ScrapEstimate
        The default when no characteristic of the route has evidence.
    """
    if not any(key in evidence for key in chains):
        return ScrapEstimate(rate=default_rate, basis=ScrapBasis.DEFAULT, floor=floor)
    rows = []
    for key, chain_cp in chains.items():
        shown = evidence.get(key)
        if shown is not None:
            cp = chain_cp if chain_cp is not None else shown.cpk
            rows.append(_row(key, cp, shown.cpk, shown.source))
        elif chain_cp is not None:
            rows.append(_row(key, chain_cp, chain_cp, _CENTRED))
    good = math.prod(1 - r.fraction for r in rows)
    return ScrapEstimate(
        rate=min(max(floor, 1 - good), _MOST),
        basis=ScrapBasis.CAPABILITY,
        floor=floor,
        characteristics=tuple(rows),
    )


def _row(key: str, cp: float, cpk: float, source: str) -> CharacteristicScrap:
    return CharacteristicScrap(
        id=key,
        cp=max(cp, cpk),
        cpk=cpk,
        source=source,
        fraction=fraction_out_of_tolerance(cp, cpk),
    )
