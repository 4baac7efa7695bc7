"""Result models of the geometry package: plain frozen pydantic, no OpenCascade types.

:class:`PartGeometry` is the contract: ``rampwise analyze F --json`` prints its
``model_dump_json()``, and the quote and route read its plain fields (``removed_volume_mm3``,
``machined_area_mm2``, ``feature_count``, ``setups``, ``turnable``, ``min_wall_mm``).
Lengths are mm, areas mm², volumes mm³, angles degrees.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, computed_field

from rampwise.core.model import Characteristic, FeatureCounts
from rampwise.core.stock import Stock
from rampwise.core.vocabulary import Vocabulary

Vector3 = tuple[float, float, float]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Severity(Vocabulary):
    """How much a DFM finding costs if left as it is (aPriori's three classes)."""

    CRITICAL = (
        "critical",
        "Critical",
        "The part cannot be made as drawn, or only at a large cost: change the design.",
    )
    MAJOR = "major", "Major", "The feature adds cost or risk that a design change would save."
    MINOR = "minor", "Minor", "A small cost or risk, worth knowing before the part is quoted."


class FindingStatus(Vocabulary):
    """Whether a rule was broken or could not be checked on this model."""

    VIOLATED = "violated", "Violated", "The model breaks the rule: expected and actual are given."
    UNVERIFIED = (
        "unverified",
        "Unverified",
        "The rule cannot be checked on this model (no holes on a mesh …); nothing is guessed.",
    )


class Representation(Vocabulary):
    """What the file gave: an exact B-rep, or triangles only."""

    BREP = (
        "brep",
        "B-rep",
        "An exact boundary representation from a STEP file: faces, edges and any PMI.",
    )
    MESH = (
        "mesh",
        "Mesh",
        "Triangles only (STL, OBJ, 3MF): fewer features recognised, some rules unverified.",
    )


class Finding(_Frozen):
    """One DFM finding: the rule, expected vs actual, where, and the fix.

    Attributes
    ----------
    rule
        Rule id from ``catalog/dfm_rules.csv`` (e.g. ``"hole.depth_ratio.critical"``).
    severity
        Critical, major or minor.
    status
        ``violated``, or ``unverified`` when the model cannot show whether the rule holds.
    expected
        What the rule asks, with its threshold and unit.
    actual
        What the model has (or why it cannot be measured).
    where
        Which feature, in words.
    fix
        What to change.
    source
        Where the rule's threshold comes from.
    location_mm
        A point on the feature [mm], when there is one (used to mark the picture).
    """

    rule: str
    severity: Severity
    status: FindingStatus = FindingStatus.VIOLATED
    expected: str
    actual: str
    where: str
    fix: str
    source: str
    location_mm: Vector3 | None = None


class Counterbore(_Frozen):
    """Counterbore at a hole's entry: diameter [mm] and depth [mm]."""

    diameter_mm: float
    depth_mm: float


class Countersink(_Frozen):
    """Countersink at a hole's entry: outer diameter [mm] and included angle [deg]."""

    diameter_mm: float
    angle_deg: float


class Hole(_Frozen):
    """A round hole: concave coaxial cylinders (and cones) whose faces close 360°.

    Attributes
    ----------
    diameter_mm
        Smallest cylindrical diameter of the hole [mm].
    depth_mm
        Cylindrical depth from the entry to the bottom (drill point excluded) [mm].
    through
        True when both ends open to the outside.
    axis
        Unit vector pointing out of the hole at its entry (the tool comes from there).
    entry_mm
        Centre of the entry [mm].
    bottom
        ``through``, ``flat``, ``drill_point`` or ``other``.
    counterbore, countersink
        Entry features, when present.
    tapped
        True / False where the model or its PMI says so; ``None`` when nothing says.
    standard_drill
        Designation of the standard drill with this diameter, ``None`` if none matches.
    face_ids
        B-rep faces of the hole.
    """

    diameter_mm: float
    depth_mm: float
    through: bool
    axis: Vector3
    entry_mm: Vector3
    bottom: str
    counterbore: Counterbore | None = None
    countersink: Countersink | None = None
    tapped: bool | None = None
    standard_drill: str | None = None
    face_ids: tuple[int, ...] = ()


class Pocket(_Frozen):
    """A milled pocket, slot or step: a floor facing the tool with walls around it.

    Attributes
    ----------
    kind
        ``pocket`` (walls all round), ``slot`` (walls on two opposite sides) or ``step``.
    depth_mm
        Wall height above the floor [mm].
    width_mm
        Distance between the nearest facing walls, or the short side of the floor's
        smallest enclosing rectangle when no walls face each other [mm].
    length_mm
        Long side of the floor's smallest enclosing rectangle [mm].
    floor_area_mm2
        Floor area [mm²].
    axis
        Tool direction (floor normal), unit vector.
    location_mm
        Floor centroid [mm].
    corner_radius_mm
        Smallest vertical corner radius in its walls [mm]; ``None`` when it has none.
    """

    kind: str
    depth_mm: float
    width_mm: float
    length_mm: float
    floor_area_mm2: float
    axis: Vector3
    location_mm: Vector3
    corner_radius_mm: float | None = None


class InternalCorner(_Frozen):
    """A vertical internal corner: radius 0 means a sharp corner a milling tool cannot cut.

    Attributes
    ----------
    radius_mm
        Corner radius [mm].
    depth_mm
        Height of the corner along the tool axis [mm].
    axis
        Tool direction along the corner, unit vector.
    location_mm
        A point on the corner [mm].
    """

    radius_mm: float
    depth_mm: float
    axis: Vector3
    location_mm: Vector3


class Boss(_Frozen):
    """A convex full cylinder standing out of the part: diameter and height [mm]."""

    diameter_mm: float
    height_mm: float
    axis: Vector3
    location_mm: Vector3


class ThinWall(_Frozen):
    """A face whose wall is thinner than the thin-wall threshold.

    Attributes
    ----------
    thickness_mm
        Smallest thickness measured from the face [mm].
    location_mm
        Where it was measured [mm].
    face_id
        B-rep face (``None`` for a mesh).
    """

    thickness_mm: float
    location_mm: Vector3
    face_id: int | None = None


class PmiSummary(_Frozen):
    """What the file's PMI held, semantic or graphic.

    Attributes
    ----------
    semantic
        True when dimensions or tolerances carry values (AP242 semantic PMI).
    dimensions, tolerances, datums
        Counts of semantic dimensions, geometric tolerances and datums.
    presentation_only
        Graphic-only annotations (presentation without values).
    unresolved
        Semantic items read without a value (e.g. ``Location_None``).
    """

    semantic: bool = False
    dimensions: int = 0
    tolerances: int = 0
    datums: int = 0
    presentation_only: int = 0
    unresolved: int = 0


class CharacteristicLink(_Frozen):
    """Which faces and hole a PMI characteristic applies to."""

    characteristic_id: int
    face_ids: tuple[int, ...] = ()
    hole_index: int | None = None


class PartGeometry(_Frozen):
    """Everything ``rampwise analyze`` learns from one CAD or mesh file.

    Box, volume and area are over the solids only (STEP files also carry surfaces for PMI
    presentation). Fields a representation cannot give are ``None`` or empty and named in
    ``limitations``.

    Attributes
    ----------
    file
        The file analysed.
    format
        ``step``, ``stl``, ``obj`` or ``3mf``.
    representation
        ``brep`` (exact surfaces) or ``mesh`` (triangles only).
    units
        Length unit the file declares (STEP) or the user gave (meshes); values are in mm.
    units_declared
        False for a mesh read without a unit (mm assumed): absolute-size rules such as
        wall thickness are then unverified.
    solids
        Solids in the file (bodies for a mesh).
    analysed_solid
        0-based index of the solid analysed when there were several.
    bbox_mm
        Axis-aligned box sides [mm].
    bbox_min_mm
        Lower corner of that box [mm].
    obb_mm
        Sides of the minimal oriented box, smallest first [mm].
    volume_mm3, area_mm2
        Solid volume [mm³] (``None`` for an open mesh) and surface area [mm²].
    genus
        Through-holes of a closed mesh, from its Euler number (meshes only).
    face_types
        Faces per surface type after canonical recognition.
    faces_outside_solids
        Faces the file carries outside any solid (left out of every figure).
    valid
        Whether the B-rep checker accepts the solid (meshes: watertight and consistent).
    watertight
        Whether the surface is closed.
    stock
        Smallest standard stock with allowance (:func:`rampwise.core.stock.select_stock`, the
        quote's stock model).
    removed_volume_mm3
        Stock volume minus part volume [mm³].
    machined_area_mm2
        Area of faces that are not left as-stock [mm²].
    holes, pockets, internal_corners, bosses, thin_walls
        Recognised features.
    min_wall_mm
        Thinnest wall found by ray casting [mm]; ``None`` if it cannot be measured.
    min_wall_location_mm
        Where it is [mm].
    setups
        3-axis setup directions needed to reach every reachable face.
    setup_directions
        Those directions (tool comes from them), unit vectors.
    unreachable_faces
        Faces no 3-axis direction reaches (undercuts).
    turnable
        Whether the part's faces are mostly revolved about one axis (a lathe part).
    turning_axis
        That axis, unit vector.
    revolved_area_share
        Share of the area revolved about the best axis [unitless].
    characteristics
        Characteristics read from the file's semantic PMI, in the project's model.
    characteristic_links
        Faces and holes each PMI characteristic applies to.
    pmi
        Counts of what the PMI held.
    findings
        DFM findings, violated and unverified.
    limitations
        What this representation cannot give.
    """

    file: str
    format: str
    representation: Representation
    units: str
    units_declared: bool = True
    solids: int
    analysed_solid: int | None = None
    bbox_mm: Vector3
    bbox_min_mm: Vector3
    obb_mm: Vector3
    volume_mm3: float | None
    area_mm2: float
    genus: int | None = None
    face_types: dict[str, int] = {}
    faces_outside_solids: int = 0
    valid: bool
    watertight: bool
    stock: Stock | None = None
    removed_volume_mm3: float | None = None
    machined_area_mm2: float | None = None
    holes: tuple[Hole, ...] = ()
    pockets: tuple[Pocket, ...] = ()
    internal_corners: tuple[InternalCorner, ...] = ()
    bosses: tuple[Boss, ...] = ()
    thin_walls: tuple[ThinWall, ...] = ()
    min_wall_mm: float | None = None
    min_wall_location_mm: Vector3 | None = None
    setups: int | None = None
    setup_directions: tuple[Vector3, ...] = ()
    unreachable_faces: int = 0
    turnable: bool | None = None
    turning_axis: Vector3 | None = None
    revolved_area_share: float | None = None
    characteristics: tuple[Characteristic, ...] = ()
    characteristic_links: tuple[CharacteristicLink, ...] = ()
    pmi: PmiSummary = PmiSummary()
    findings: tuple[Finding, ...] = ()
    limitations: tuple[str, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def feature_count(self) -> int:
        """Machining features found: holes + pockets/slots/steps + bosses."""
        return len(self.holes) + len(self.pockets) + len(self.bosses)

    @property
    def violations(self) -> tuple[Finding, ...]:
        """Findings whose rule the model breaks."""
        return tuple(f for f in self.findings if f.status is FindingStatus.VIOLATED)

    @property
    def unverified(self) -> tuple[Finding, ...]:
        """Rules the model cannot be checked against."""
        return tuple(f for f in self.findings if f.status is FindingStatus.UNVERIFIED)

    def feature_counts(self) -> FeatureCounts:
        """The features in the form a hand-entered project gives them (for the quote)."""
        thinnest = self.min_wall_mm if self.thin_walls else None
        return FeatureCounts(
            holes=len(self.holes),
            tapped_holes=sum(1 for h in self.holes if h.tapped),
            pockets=sum(1 for p in self.pockets if p.kind == "pocket"),
            slots=sum(1 for p in self.pockets if p.kind == "slot"),
            bores=sum(1 for h in self.holes if h.standard_drill is None),
            setups=self.setups,
            thin_wall_mm=thinnest,
        )
