"""The printed near-net blank of the hybrid strategy: where it can be printed, cost, build time.

Seed 003's hybrid route prints the blank by laser powder-bed fusion (L-PBF) with
0.5–0.8 mm of stock on the machined faces and finishes those on the CNC. A shop quotes
it only where it can apply:

- the part's own alloy is printed (``catalog/am_materials.csv`` lists, per material
  category, the powder and the ``materials.csv`` grades it reproduces: 316L powder for SS
  316L, Ti-6Al-4V for Ti-6Al-4V; wrought 6061/7075 aluminium hot-cracks in L-PBF [3]_,
  and a 303 or 304 part is not a 316L part);
- the blank fits the printer's build volume in some orientation (catalog default: an
  EOS M 290, 250 × 250 × 325 mm, ``strategies.csv`` ``hybrid_am`` rows);
- the lot is small: at most the low-volume band of ``catalog/stage_bands.csv``.

Build time and cost of a lot follow the layer-wise build-time model of [2]_ (laser time
on the printed volume, a recoat per layer over the build height, a warm-up and
cool-down per build) with the printer's hourly rate, powder price and the
post-processing every build plate needs (stress relief, then wire-EDM off the plate)
[4]_:

- per blank: ``laser_hours`` = printed volume / build rate, printed volume = (part volume
  + machined area × stock) × (1 + support fraction); ``cost`` = laser hours × machine
  rate + printed mass × powder price;
- per build: ``build_fixed_hours`` = ⌈height / layer⌉ × recoat time + warm-up/cool-down;
  ``build_cost`` = those hours × machine rate + stress relief + plate removal;
- blanks are nested on the plate in rows with a spacing, in the orientation that makes
  the build's fixed hours per blank of a full plate least; a lot of ``q`` shares one
  build's cost among min(``q``, blanks per plate) blanks, and ``n`` blanks take
  ⌈n / per plate⌉ builds.

References
----------
.. [1] Seed 003 (hybrid approach: printed blank, 0.5–0.8 mm stock, CNC finish).
.. [2] additive.tools, "Build Time Estimator" (T = V / Q + layers × recoat + warm-up
   and cool-down); EOS process data sheets for the EOS M 290 (volume rate and layer
   thickness per alloy); docs.phas.io metal-LPBF pricing guide (machine rate, powder
   prices, supports).
.. [3] J. H. Martin et al., "3D printing of high-strength aluminium alloys", Nature 549,
   365–369 (2017), doi 10.1038/nature23894 (7075 and 6061 crack in L-PBF).
.. [4] additivemanufacturing.media, "Postprocessing Steps and Costs for Metal 3D
   Printing" (stress relief $500–600 a batch, wire EDM $200–300 a plate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from itertools import permutations

from pydantic import BaseModel, ConfigDict

from rampwise.catalog import load_table
from rampwise.core.checks import require_positive
from rampwise.core.model import Material, Part, Stage
from rampwise.core.shop import ShopConfig
from rampwise.rules.stage import quantity_bands

HYBRID = "hybrid_am"
"""The strategy's name in ``strategies.csv`` (``StrategyName.HYBRID_AM``)."""

MM3_PER_CM3 = 1000.0
G_PER_KG = 1000.0
UM_PER_MM = 1000.0
SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class Printer:
    """The shop's L-PBF printer and its per-build figures (``strategies.csv`` ``hybrid_am``).

    Attributes
    ----------
    build_mm
        Build volume x, y, z [mm].
    spacing_mm
        Gap between blanks on the plate [mm].
    recoat_seconds
        Recoat time per layer [s].
    build_overhead_hours
        Warm-up and cool-down of one build [h].
    rate_per_h
        Machine rate [shop currency/h].
    post_cost
        Stress relief and plate removal of one build plate [shop currency].
    stock_mm
        Finishing stock on the machined faces [mm].
    support_fraction
        Supports printed per unit of blank volume [unitless].
    """

    build_mm: tuple[float, float, float]
    spacing_mm: float
    recoat_seconds: float
    build_overhead_hours: float
    rate_per_h: float
    post_cost: float
    stock_mm: float
    support_fraction: float

    @property
    def volume_words(self) -> str:
        """The build volume in words: ``"250 × 250 × 325 mm"``."""
        return " × ".join(f"{v:g}" for v in self.build_mm) + " mm"


@dataclass(frozen=True, slots=True)
class Alloy:
    """A printable powder (``catalog/am_materials.csv`` row, after the shop file).

    Attributes
    ----------
    name
        Powder alloy (``"316L"``).
    powder_price_per_kg
        Powder price [shop currency/kg].
    build_rate_cm3_per_h
        Volume rate of laser exposure on the printer [cm³/h].
    layer_um
        Layer thickness of that process [µm].
    """

    name: str
    powder_price_per_kg: float
    build_rate_cm3_per_h: float
    layer_um: float


class AdditiveBlank(BaseModel):
    """A printed near-net blank and the build that makes it.

    Attributes
    ----------
    alloy
        Powder alloy printed.
    blank_volume_mm3
        Part volume plus finishing stock on the machined area [mm³].
    footprint_mm
        The blank's footprint on the plate, stock included [mm].
    height_mm
        Its height in the build [mm].
    per_plate
        Blanks nested on one build plate [pieces].
    laser_hours
        Laser time of one blank and its supports [h].
    cost
        Laser time and powder of one blank [shop currency].
    build_fixed_hours
        Recoating over the height plus warm-up and cool-down, once per build [h].
    build_cost
        Those hours at the machine rate plus stress relief and plate removal, once per
        build [shop currency].
    """

    model_config = ConfigDict(frozen=True)

    alloy: str
    blank_volume_mm3: float
    footprint_mm: tuple[float, float]
    height_mm: float
    per_plate: int
    laser_hours: float
    cost: float
    build_fixed_hours: float
    build_cost: float

    def build_share(self, quantity: int) -> float:
        """One build's cost shared by the blanks of a lot on its plate [shop currency/piece].

        A lot of ``quantity`` fills min(``quantity``, per plate) places; larger lots are
        priced at full plates, so the share never rises with quantity.
        """
        return self.build_cost / min(quantity, self.per_plate)

    def build_hours(self, blanks: float) -> float:
        """Printer hours to build ``blanks`` blanks: whole builds plus laser time [h]."""
        return math.ceil(blanks / self.per_plate - 1e-9) * self.build_fixed_hours + (
            blanks * self.laser_hours
        )

    def describe(self) -> str:
        """The build in words: ``"90 per plate (21.6 × 19.6 mm footprint, 111.6 mm tall), …"``."""
        a, b = self.footprint_mm
        return (
            f"{self.per_plate} per plate ({a:g} × {b:g} mm footprint, {self.height_mm:g} mm "
            f"tall), {self.laser_hours:.1f} h laser a blank + {self.build_fixed_hours:.1f} h "
            "recoat and warm-up a build"
        )


def printer(shop: ShopConfig) -> Printer:
    """The shop's printer from its ``hybrid_am`` strategy parameters.

    Parameters
    ----------
    shop
        ``strategies.hybrid_am``: ``build_x_mm``, ``build_y_mm``, ``build_z_mm``,
        ``part_spacing_mm`` [mm], ``recoat_seconds`` [s], ``build_overhead_hours`` [h],
        ``machine_rate_per_h`` [shop currency/h], ``stress_relief_cost`` and
        ``plate_removal_cost`` [shop currency], ``stock_mm`` [mm], ``support_fraction``.
    """
    am = shop.strategies[HYBRID]
    return Printer(
        build_mm=(am["build_x_mm"], am["build_y_mm"], am["build_z_mm"]),
        spacing_mm=am["part_spacing_mm"],
        recoat_seconds=am["recoat_seconds"],
        build_overhead_hours=am["build_overhead_hours"],
        rate_per_h=am["machine_rate_per_h"],
        post_cost=am["stress_relief_cost"] + am["plate_removal_cost"],
        stock_mm=am["stock_mm"],
        support_fraction=am["support_fraction"],
    )


@cache
def _powders() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Material category → (powder alloy, grades it prints), from ``am_materials.csv``."""
    return {
        row["category"]: (row["am_alloy"], tuple(n for n in row["prints"].split(";") if n))
        for row in load_table("am_materials")
    }


def alloy_for(material: Material, shop: ShopConfig) -> Alloy | None:
    """The powder that prints ``material`` itself, or ``None`` when none does.

    Parameters
    ----------
    material
        The part's material.
    shop
        ``am_materials`` figures per category: powder price [shop currency/kg], build
        rate [cm³/h], layer thickness [µm].

    Raises
    ------
    InputError
        If the shop file sets the build rate or layer thickness to 0.
    """
    if material.category not in _powders():
        return None
    name, prints = _powders()[material.category]
    if material.name not in prints:
        return None
    figures = shop.am_materials[material.category]
    field = f"shop.am_materials.{material.category}"
    return Alloy(
        name=name,
        powder_price_per_kg=shop.am_powders[material.category],
        build_rate_cm3_per_h=require_positive(
            f"{field}.build_rate_cm3_per_h", figures["build_rate_cm3_per_h"]
        ),
        layer_um=require_positive(f"{field}.layer_um", figures["layer_um"]),
    )


def _fixed_hours(height_mm: float, alloy: Alloy, machine: Printer) -> float:
    """Recoats over ``height_mm`` plus warm-up and cool-down of one build [h]."""
    layers = math.ceil(height_mm / (alloy.layer_um / UM_PER_MM) - 1e-9)
    return layers * machine.recoat_seconds / SECONDS_PER_HOUR + machine.build_overhead_hours


def nest(
    envelope_mm: tuple[float, float, float], alloy: Alloy, machine: Printer
) -> tuple[tuple[float, float], float, int] | None:
    """The orientation and count of blanks on one plate, or ``None`` when none fits.

    Each of the six orientations of the blank (envelope + stock on every side) that fits
    the build volume is laid out in rows and columns with ``spacing_mm`` between blanks;
    the one with the least fixed build hours per blank of a full plate wins (the first in
    permutation order on a tie).

    Returns
    -------
    tuple or None
        ``((a, b), height, per_plate)``: footprint [mm], height [mm], blanks per plate.
    """
    x, y, z = machine.build_mm
    gap = machine.spacing_mm
    blank = tuple(v + 2 * machine.stock_mm for v in envelope_mm)
    best: tuple[float, tuple[tuple[float, float], float, int]] | None = None
    for a, b, h in permutations(blank):
        if a > x or b > y or h > z:
            continue
        count = math.floor((x + gap) / (a + gap)) * math.floor((y + gap) / (b + gap))
        per_blank = _fixed_hours(h, alloy, machine) / count
        if best is None or per_blank < best[0]:
            best = (per_blank, ((a, b), h, count))
    return None if best is None else best[1]


def small_lot_limit() -> int | None:
    """The largest lot the hybrid route takes: the low-volume band's top [pieces]."""
    return next(b.max_quantity for b in quantity_bands() if b.stage is Stage.LOW_VOLUME)


def why_not_printed(part: Part, quantity: int, shop: ShopConfig) -> str | None:
    """Why the part's blank cannot be printed for this order, or ``None`` when it can.

    Parameters
    ----------
    part
        Material and envelope [mm].
    quantity
        Pieces ordered [pieces].
    shop
        The printer and the powders.
    """
    alloy = alloy_for(part.material, shop)
    if alloy is None:
        printable = ", ".join(n for _, prints in _powders().values() for n in prints)
        return (
            f"no L-PBF powder prints {part.material.name} (catalog/am_materials.csv "
            f"prints {printable})"
        )
    machine = printer(shop)
    if part.envelope_mm is None:
        return "no envelope to check against the printer's build volume"
    if nest(part.envelope_mm, alloy, machine) is None:
        size = " × ".join(f"{v:g}" for v in part.envelope_mm)
        return (
            f"the {size} mm part with {machine.stock_mm:g} mm stock a side does not fit the "
            f"{machine.volume_words} build volume"
        )
    limit = small_lot_limit()
    if limit is not None and quantity > limit:
        return f"{quantity:,} pcs is not a small lot (hybrid AM up to {limit:,} pcs)"
    return None


def printed_blank(
    material: Material,
    envelope_mm: tuple[float, float, float],
    *,
    part_volume_mm3: float,
    machined_area_mm2: float,
    shop: ShopConfig,
) -> AdditiveBlank | None:
    """The printed blank of one part and its build, or ``None`` when it cannot be printed.

    Parameters
    ----------
    material
        The part's material (density [g/cm³]; its category and grade pick the powder).
    envelope_mm
        Part envelope [mm], for the build volume and the nesting.
    part_volume_mm3
        Part volume [mm³].
    machined_area_mm2
        Area finished by CNC, which carries the stock [mm²].
    shop
        The printer and powders.
    """
    alloy = alloy_for(material, shop)
    if alloy is None:
        return None
    machine = printer(shop)
    nested = nest(envelope_mm, alloy, machine)
    if nested is None:
        return None
    footprint, height, per_plate = nested
    blank_volume = part_volume_mm3 + machined_area_mm2 * machine.stock_mm
    printed = blank_volume * (1 + machine.support_fraction)
    laser = printed / MM3_PER_CM3 / alloy.build_rate_cm3_per_h
    mass_kg = printed / MM3_PER_CM3 * material.density_g_cm3 / G_PER_KG
    fixed = _fixed_hours(height, alloy, machine)
    return AdditiveBlank(
        alloy=alloy.name,
        blank_volume_mm3=blank_volume,
        footprint_mm=footprint,
        height_mm=height,
        per_plate=per_plate,
        laser_hours=laser,
        cost=laser * machine.rate_per_h + mass_kg * alloy.powder_price_per_kg,
        build_fixed_hours=fixed,
        build_cost=fixed * machine.rate_per_h + machine.post_cost,
    )
