"""The face and edge surveys against a second way of getting the same answers."""

from __future__ import annotations

import numpy as np
import pytest
from OCP.BRepAlgoAPI import BRepAlgoAPI_Cut
from OCP.BRepPrimAPI import BRepPrimAPI_MakeBox, BRepPrimAPI_MakeCylinder
from OCP.BRepTools import BRepTools
from OCP.collections import (
    IndexedDataMap_TopoDS_Shape_List_TopoDS_Shape_TopTools_ShapeMapHasher as EdgeFaceMap,
)
from OCP.gp import gp_Ax2, gp_Dir, gp_Pnt
from OCP.TopAbs import TopAbs_EDGE, TopAbs_FACE
from OCP.TopExp import TopExp, TopExp_Explorer
from OCP.TopoDS import TopoDS_Shape

from rampwise.geometry.faces import SurfaceKind, face_map, survey_edges, survey_faces
from rampwise.geometry.step import Tessellation, solid_box, tessellate


def plate_with_hole() -> TopoDS_Shape:
    """A 40 × 30 × 10 mm plate with a Ø8 mm through hole (the top face has two wires)."""
    plate = BRepPrimAPI_MakeBox(40.0, 30.0, 10.0).Shape()
    axis = gp_Ax2(gp_Pnt(20.0, 15.0, -1.0), gp_Dir(0.0, 0.0, 1.0))
    return BRepAlgoAPI_Cut(plate, BRepPrimAPI_MakeCylinder(axis, 4.0, 12.0).Shape()).Shape()


def test_face_survey_does_not_depend_on_triangle_order() -> None:
    solid = plate_with_hole()
    faces = face_map(solid)
    low, high = solid_box(faces)
    mesh = tessellate(solid, faces, float(np.linalg.norm(high - low)))
    shuffled = np.random.default_rng(1).permutation(len(mesh.triangles))
    mixed = Tessellation(
        mesh.vertices, mesh.triangles[shuffled], mesh.face_ids[shuffled], mesh.deflection
    )
    for record, other in zip(survey_faces(faces, mesh), survey_faces(faces, mixed), strict=True):
        assert (record.kind, record.file_kind, record.concave) == (
            other.kind,
            other.file_kind,
            other.concave,
        )
        assert record.area == pytest.approx(other.area, rel=1e-12)
        np.testing.assert_allclose(record.centroid, other.centroid, rtol=0, atol=1e-9)
        np.testing.assert_array_equal(record.points, other.points)
    kinds = sorted(r.kind.value for r in survey_faces(faces, mesh))
    assert kinds == ["cylinder"] * kinds.count("cylinder") + ["plane"] * 6


def test_outer_wires_are_those_opencascade_names() -> None:
    solid = plate_with_hole()
    faces = face_map(solid)
    low, high = solid_box(faces)
    mesh = tessellate(solid, faces, float(np.linalg.norm(high - low)))
    survey = survey_edges(solid, faces, survey_faces(faces, mesh))
    edge_faces = EdgeFaceMap()
    TopExp.MapShapesAndAncestors_s(solid, TopAbs_EDGE, TopAbs_FACE, edge_faces)
    for face, keys in zip(faces, survey.outer_wires, strict=True):
        explorer = TopExp_Explorer(BRepTools.OuterWire_s(face), TopAbs_EDGE)
        expected = set()
        while explorer.More():
            expected.add(edge_faces.FindIndex(explorer.Current()))
            explorer.Next()
        assert keys == expected
    records = survey_faces(faces, mesh)
    top = next(
        i for i, r in enumerate(records) if r.kind is SurfaceKind.PLANE and r.normal[2] > 0.5
    )
    assert len(survey.outer_wires[top]) == 4  # the hole's circle is an inner wire
