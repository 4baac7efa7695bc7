"""Semantic PMI (AP242 dimensions, geometric tolerances, datums) into characteristics.

OpenCascade's XCAF reader exposes the PMI of an AP242 file as dimension, geometric
tolerance and datum labels. Two OCP 8 traps are handled here (``research/cad.md`` §3.2,
§3.4):

* ``label.FindAttribute(XCAFDoc_Dimension.GetID_s(), attr)`` returns True without filling
  ``attr``; the attribute is taken from ``TDF_AttributeIterator`` instead.
* ``GetLowerTolValue()`` returns the lower deviation's magnitude without its sign
  (STEP ``lower_bound = -0.1`` reads ``0.1``); it is negated here, which is right for every
  drawing whose lower deviation is ≤ 0 and is said in the characteristic's note.

Location dimensions that arrive as ``Location_None`` with value 0 and graphic-only
presentations are counted, not turned into characteristics.

References
----------
.. [1] ISO 10303-242:2020, semantic PMI (dimensional and geometric tolerances).
.. [2] NIST MBE PMI validation and conformance testing models (CTC/FTC), for the tests.
.. [3] ISO 1101:2017 / ASME Y14.5-2018 tolerance symbols, for the kind names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from OCP.collections import (
    IndexedMap_TopoDS_Shape_TopTools_ShapeMapHasher as ShapeIndex,
)
from OCP.collections import Sequence_TDF_Label
from OCP.TDF import TDF_AttributeIterator, TDF_Label
from OCP.TopAbs import TopAbs_FACE
from OCP.TopExp import TopExp
from OCP.TopoDS import TopoDS_Face
from OCP.XCAFDimTolObjects import (
    XCAFDimTolObjects_DimensionType,
    XCAFDimTolObjects_GeomToleranceMatReqModif,
    XCAFDimTolObjects_GeomToleranceType,
    XCAFDimTolObjects_GeomToleranceTypeValue,
)
from OCP.XCAFDoc import (
    XCAFDoc_Datum,
    XCAFDoc_Dimension,
    XCAFDoc_DimTolTool,
    XCAFDoc_DocumentTool,
    XCAFDoc_GeomTolerance,
    XCAFDoc_ShapeTool,
)

from rampwise.core.model import Characteristic, CharacteristicKind
from rampwise.geometry.models import CharacteristicLink, Hole, PmiSummary
from rampwise.geometry.step import sequence_items

_DIM = XCAFDimTolObjects_DimensionType
_MODIFIER = XCAFDimTolObjects_GeomToleranceMatReqModif
_TOL = XCAFDimTolObjects_GeomToleranceType

_SIZE_KINDS: dict[Any, CharacteristicKind] = {
    _DIM.XCAFDimTolObjects_DimensionType_Size_Diameter: CharacteristicKind.DIAMETER,
    _DIM.XCAFDimTolObjects_DimensionType_Size_SphericalDiameter: CharacteristicKind.DIAMETER,
    _DIM.XCAFDimTolObjects_DimensionType_Size_Radius: CharacteristicKind.RADIUS,
    _DIM.XCAFDimTolObjects_DimensionType_Size_SphericalRadius: CharacteristicKind.RADIUS,
    _DIM.XCAFDimTolObjects_DimensionType_Size_Angular: CharacteristicKind.ANGLE,
    _DIM.XCAFDimTolObjects_DimensionType_Location_Angular: CharacteristicKind.ANGLE,
}

_NOT_SEMANTIC = {
    _DIM.XCAFDimTolObjects_DimensionType_DimensionPresentation,
    _DIM.XCAFDimTolObjects_DimensionType_CommonLabel,
}

_GEOMETRIC_KINDS: dict[Any, CharacteristicKind] = {
    _TOL.XCAFDimTolObjects_GeomToleranceType_Angularity: CharacteristicKind.ANGULARITY,
    _TOL.XCAFDimTolObjects_GeomToleranceType_CircularRunout: CharacteristicKind.RUNOUT,
    _TOL.XCAFDimTolObjects_GeomToleranceType_TotalRunout: CharacteristicKind.RUNOUT,
    _TOL.XCAFDimTolObjects_GeomToleranceType_CircularityOrRoundness: CharacteristicKind.ROUNDNESS,
    _TOL.XCAFDimTolObjects_GeomToleranceType_Coaxiality: CharacteristicKind.CONCENTRICITY,
    _TOL.XCAFDimTolObjects_GeomToleranceType_Concentricity: CharacteristicKind.CONCENTRICITY,
    _TOL.XCAFDimTolObjects_GeomToleranceType_Cylindricity: CharacteristicKind.CYLINDRICITY,
    _TOL.XCAFDimTolObjects_GeomToleranceType_Flatness: CharacteristicKind.FLATNESS,
    _TOL.XCAFDimTolObjects_GeomToleranceType_Parallelism: CharacteristicKind.PARALLELISM,
    _TOL.XCAFDimTolObjects_GeomToleranceType_Perpendicularity: CharacteristicKind.PERPENDICULARITY,
    _TOL.XCAFDimTolObjects_GeomToleranceType_Position: CharacteristicKind.POSITION,
    _TOL.XCAFDimTolObjects_GeomToleranceType_Symmetry: CharacteristicKind.POSITION,
    _TOL.XCAFDimTolObjects_GeomToleranceType_ProfileOfLine: CharacteristicKind.PROFILE,
    _TOL.XCAFDimTolObjects_GeomToleranceType_ProfileOfSurface: CharacteristicKind.PROFILE,
    _TOL.XCAFDimTolObjects_GeomToleranceType_Straightness: CharacteristicKind.STRAIGHTNESS,
}

SIGN_NOTE = "lower deviation sign restored (OpenCascade returns its magnitude)"


@dataclass(frozen=True)
class PmiResult:
    """Characteristics read from the PMI, their face/hole links and the counts."""

    characteristics: tuple[Characteristic, ...]
    links: tuple[CharacteristicLink, ...]
    summary: PmiSummary


def _attribute(label: TDF_Label, kind: type) -> Any:
    """The attribute of ``kind`` on ``label`` (OCP 8: FindAttribute no longer fills it)."""
    iterator = TDF_AttributeIterator(label)
    while iterator.More():
        value = iterator.Value()
        if isinstance(value, kind):
            return value
        iterator.Next()
    return None


def _labels(getter: Any) -> list[TDF_Label]:
    sequence = Sequence_TDF_Label()
    getter(sequence)
    return sequence_items(sequence)


def _face_ids(label: TDF_Label, index: ShapeIndex) -> tuple[int, ...]:
    """0-based indices of the analysed solid's faces a PMI item refers to."""
    first, second = Sequence_TDF_Label(), Sequence_TDF_Label()
    XCAFDoc_DimTolTool.GetRefShapeLabel_s(label, first, second)
    found: set[int] = set()
    for shape_label in [*sequence_items(first), *sequence_items(second)]:
        shape = XCAFDoc_ShapeTool.GetShape_s(shape_label)
        if shape.IsNull():
            continue
        faces = ShapeIndex()
        TopExp.MapShapes_s(shape, TopAbs_FACE, faces)
        for i in range(1, faces.Extent() + 1):
            position = index.FindIndex(faces.FindKey(i))
            if position > 0:
                found.add(position - 1)
    return tuple(sorted(found))


def _dimension(ident: int, dimension: Any) -> tuple[Characteristic | None, bool]:
    """A size characteristic from a dimension object; ``(None, unresolved?)`` if none."""
    kind = _SIZE_KINDS.get(dimension.GetType(), CharacteristicKind.LENGTH)
    value = float(dimension.GetValue())
    upper = lower = None
    note = None
    if dimension.IsDimWithRange():
        low, high = float(dimension.GetLowerBound()), float(dimension.GetUpperBound())
        value = value or (low + high) / 2
        lower, upper = low - value, high - value
    elif dimension.IsDimWithPlusMinusTolerance():
        upper = float(dimension.GetUpperTolValue())
        lower = 0.0 - abs(float(dimension.GetLowerTolValue()))
        note = SIGN_NOTE if abs(lower) != abs(upper) else None
    if value == 0.0:
        return None, True
    symbol = {"diameter": "Ø", "radius": "R"}.get(kind.value, "")
    unit = "°" if kind is CharacteristicKind.ANGLE else " mm"
    name = f"{symbol}{value:g}{unit} ({dimension.GetSemanticName().ToCString() or kind.value})"
    return (
        Characteristic(
            id=ident,
            name=name,
            kind=kind,
            nominal=value,
            upper_deviation=upper,
            lower_deviation=lower,
            note=note,
        ),
        False,
    )


def _words(camel: str) -> str:
    """``"ProfileOfSurface"`` → ``"Profile of surface"``."""
    words = re.findall(r"[A-Z][a-z]*", camel) or [camel]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def _tolerance(ident: int, tolerance: Any, datums: Sequence[str]) -> Characteristic | None:
    kind = _GEOMETRIC_KINDS.get(tolerance.GetType())
    value = float(tolerance.GetValue())
    if kind is None or value <= 0.0:
        return None
    diametral = (
        tolerance.GetTypeOfValue()
        != XCAFDimTolObjects_GeomToleranceTypeValue.XCAFDimTolObjects_GeomToleranceTypeValue_None
    )
    modifier = tolerance.GetMaterialRequirementModifier()
    condition = {
        _MODIFIER.XCAFDimTolObjects_GeomToleranceMatReqModif_M: "MMC",
        _MODIFIER.XCAFDimTolObjects_GeomToleranceMatReqModif_L: "LMC",
    }.get(modifier)
    zone = f"{'Ø' if diametral else ''}{value:g}"
    frame = "|".join(datums)
    symbol = _words(tolerance.GetType().name.rsplit("_", 1)[-1])
    name = (
        f"{symbol} {zone}"
        + (f" {condition}" if condition else "")
        + (f" |{frame}|" if frame else "")
    )
    notes = [n for n in (symbol, condition) if n and n.lower() != kind.value]
    return Characteristic(
        id=ident,
        name=name,
        kind=kind,
        max=value,
        datum=frame or None,
        note="; ".join(notes) or None,
    )


def read_pmi(document: Any, faces: Sequence[TopoDS_Face], holes: Sequence[Hole]) -> PmiResult:
    """Turn a STEP file's semantic PMI into the project's characteristics.

    Parameters
    ----------
    document
        The XCAF document of the file.
    faces
        Faces of the analysed solid, in the order feature face ids use.
    holes
        Holes found, to link each characteristic to the hole whose faces it names.

    Returns
    -------
    PmiResult
        Characteristics numbered from 1 (dimensions, then geometric tolerances), their links,
        and counts of what was present.
    """
    tool = XCAFDoc_DocumentTool.DimTolTool_s(document.Main())
    index = ShapeIndex()
    for face in faces:
        index.Add(face)
    hole_of_face = {f: i for i, hole in enumerate(holes) for f in hole.face_ids}
    characteristics: list[Characteristic] = []
    links: list[CharacteristicLink] = []
    presentation = unresolved = dimensions = 0

    def keep(item: Characteristic, label: TDF_Label) -> None:
        ids = _face_ids(label, index)
        hole_index = next((hole_of_face[f] for f in ids if f in hole_of_face), None)
        characteristics.append(item)
        links.append(
            CharacteristicLink(characteristic_id=int(item.id), face_ids=ids, hole_index=hole_index)
        )

    for label in _labels(tool.GetDimensionLabels):
        attribute = _attribute(label, XCAFDoc_Dimension)
        dimension = attribute.GetObject() if attribute is not None else None
        if dimension is None or dimension.GetType() in _NOT_SEMANTIC:
            presentation += 1
            continue
        item, missing = _dimension(len(characteristics) + 1, dimension)
        if item is None:
            unresolved += int(missing)
            continue
        dimensions += 1
        keep(item, label)
    tolerances = 0
    for label in _labels(tool.GetGeomToleranceLabels):
        attribute = _attribute(label, XCAFDoc_GeomTolerance)
        if attribute is None:
            continue
        datum_labels = Sequence_TDF_Label()
        XCAFDoc_DimTolTool.GetDatumWithObjectOfTolerLabels_s(label, datum_labels)
        names = []
        for datum_label in sequence_items(datum_labels):
            datum = _attribute(datum_label, XCAFDoc_Datum)
            if datum is not None:
                names.append(datum.GetObject().GetName().ToCString())
        item = _tolerance(len(characteristics) + 1, attribute.GetObject(), names)
        if item is None:
            unresolved += 1
            continue
        tolerances += 1
        keep(item, label)
    datums = {
        datum.GetObject().GetName().ToCString()
        for datum in (_attribute(label, XCAFDoc_Datum) for label in _labels(tool.GetDatumLabels))
        if datum is not None
    }
    summary = PmiSummary(
        semantic=bool(dimensions or tolerances),
        dimensions=dimensions,
        tolerances=tolerances,
        datums=len(datums) if (dimensions or tolerances) else 0,
        presentation_only=presentation,
        unresolved=unresolved,
    )
    return PmiResult(tuple(characteristics), tuple(links), summary)
