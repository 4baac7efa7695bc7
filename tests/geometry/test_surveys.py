"""The face and edge surveys against a second way of getting the same answers."""

from __future__ import annotations

import numpy as np
import pytest
from OCP.BRep import BRep_Tool
from OCP.BRepAlgoAPI import BRepAlgoAPI_Cut
from OCP.BRepPrimAPI import BRepPrimAPI_MakeBox, BRepPrimAPI_MakeCylinder
from OCP.BRepTools import BRepTools
from OCP.collections import (
    IndexedDataMap_TopoDS_Shape_List_TopoDS_Shape_TopTools_ShapeMapHasher as EdgeFaceMap,
)
from OCP.gp import gp_Ax2, gp_Dir, gp_Pnt
from OCP.Poly import Poly_Triangle, Poly_Triangulation
from OCP.TopAbs import TopAbs_EDGE, TopAbs_FACE, TopAbs_REVERSED
from OCP.TopExp import TopExp, TopExp_Explorer
from OCP.TopLoc import TopLoc_Location
from OCP.TopoDS import TopoDS_Shape

from rampwise.core.errors import GeometryError
from rampwise.geometry import step
from rampwise.geometry.access import AccessMap
from rampwise.geometry.faces import SurfaceKind, face_map, survey_edges, survey_faces
from rampwise.geometry.raycast import RayCaster
from rampwise.geometry.step import Tessellation, solid_box, tessellate


def plate_with_hole() -> TopoDS_Shape:
    """A 40 × 30 × 10 mm plate with a Ø8 mm through hole (the top face has two wires)."""
    plate = BRepPrimAPI_MakeBox(40.0, 30.0, 10.0).Shape()
    axis = gp_Ax2(gp_Pnt(20.0, 15.0, -1.0), gp_Dir(0.0, 0.0, 1.0))
    return BRepAlgoAPI_Cut(plate, BRepPrimAPI_MakeCylinder(axis, 4.0, 12.0).Shape()).Shape()


def node_by_node(mesh: Poly_Triangulation) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and one-based triangles of a triangulation, one kernel call per item."""
    nodes = [mesh.Node(i).Coord() for i in range(1, mesh.NbNodes() + 1)]
    triangles = [mesh.Triangle(i).Get() for i in range(1, mesh.NbTriangles() + 1)]
    return np.array(nodes), np.array(triangles)


def test_tessellation_is_the_kernel_triangulation_to_the_bit() -> None:
    """The binary read-back gives the nodes and triangles the kernel hands out one by one
    (faces meshed with UV nodes), and the tessellation is made of them face by face."""
    solid = plate_with_hole()
    faces = face_map(solid)
    low, high = solid_box(faces)
    mesh = tessellate(solid, faces, float(np.linalg.norm(high - low)))
    offset = 0
    for index, face in enumerate(faces):
        triangulation = BRep_Tool.Triangulation_s(face, TopLoc_Location())
        assert triangulation.HasUVNodes()
        nodes, triangles = node_by_node(triangulation)
        read_nodes, read_triangles = step._triangulation_arrays(triangulation)
        np.testing.assert_array_equal(read_nodes, nodes)
        np.testing.assert_array_equal(read_triangles, triangles)
        np.testing.assert_array_equal(mesh.vertices[offset : offset + len(nodes)], nodes)
        own = mesh.triangles[mesh.face_ids == index] - offset + 1
        reversed_face = face.Orientation() == TopAbs_REVERSED
        np.testing.assert_array_equal(own, triangles[:, ::-1] if reversed_face else triangles)
        offset += len(nodes)
    assert offset == len(mesh.vertices)


def test_a_triangulation_without_uv_nodes_reads_back() -> None:
    """Two triangles of a square, as a tessellated STEP face carries them (no UV nodes)."""
    square = Poly_Triangulation(4, 2, False)
    corners = [(0.1, 0.2, 0.3), (10.0, 0.0, 1e-300), (10.0, 7.5, -2.0), (-1e9, 7.5, 1 / 3)]
    for i, corner in enumerate(corners, start=1):
        square.SetNode(i, gp_Pnt(*corner))
    square.SetTriangle(1, Poly_Triangle(1, 2, 3))
    square.SetTriangle(2, Poly_Triangle(1, 3, 4))
    nodes, triangles = step._triangulation_arrays(square)
    np.testing.assert_array_equal(nodes, np.array(corners))
    np.testing.assert_array_equal(triangles, [[1, 2, 3], [1, 3, 4]])
    assert triangles.dtype == np.int64


def test_an_unknown_triangulation_layout_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    square = Poly_Triangulation(3, 1, False)
    for i in range(1, 4):
        square.SetNode(i, gp_Pnt(float(i), 0.0, 0.0))
    square.SetTriangle(1, Poly_Triangle(1, 2, 3))
    monkeypatch.setattr(step, "_DUMP_HEADER", b"Triangulations 2\n")
    with pytest.raises(GeometryError, match="unknown layout"):
        step._triangulation_arrays(square)


def test_face_records_hold_their_own_mesh_nodes() -> None:
    """Each face's points are the nodes its triangles use, each once, in index order."""
    solid = plate_with_hole()
    faces = face_map(solid)
    low, high = solid_box(faces)
    mesh = tessellate(solid, faces, float(np.linalg.norm(high - low)))
    for index, record in enumerate(survey_faces(faces, mesh)):
        own = np.unique(mesh.triangles[mesh.face_ids == index])
        np.testing.assert_array_equal(record.points, mesh.vertices[own])


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


def test_reachability_asked_together_or_one_by_one_agrees() -> None:
    """Queries cast in one batch answer as one ray query per face does: along the faces'
    normals, obliquely, and from above; some faces are reached, some not."""
    solid = plate_with_hole()
    faces = face_map(solid)
    low, high = solid_box(faces)
    mesh = tessellate(solid, faces, float(np.linalg.norm(high - low)))
    records = survey_faces(faces, mesh)
    caster = RayCaster(mesh.vertices, mesh.triangles)
    oblique = np.array([1.0, 1.0, 1.0]) / np.sqrt(3.0)
    queries = [
        (record.index, direction)
        for record in records
        for direction in (record.normal, oblique, np.array([0.0, 0.0, -1.0]))
    ]
    together = AccessMap(records, mesh, caster).faces_reachable(queries)
    alone = AccessMap(records, mesh, caster)
    assert together == [alone.face_reachable(face, direction) for face, direction in queries]
    assert True in together and False in together


def test_a_caster_given_the_tessellation_facets_is_the_same_caster() -> None:
    """Normals and areas taken from ``Tessellation.facets`` are those the caster computes."""
    solid = plate_with_hole()
    faces = face_map(solid)
    low, high = solid_box(faces)
    mesh = tessellate(solid, faces, float(np.linalg.norm(high - low)))
    given = RayCaster(mesh.vertices, mesh.triangles, mesh.facets[:2])
    own = RayCaster(mesh.vertices, mesh.triangles)
    np.testing.assert_array_equal(given.normals, own.normals)
    np.testing.assert_array_equal(given.areas, own.areas)
    origins = mesh.facets[2] + 1e-3 * mesh.facets[0]
    hits = given.first_hits(origins, -mesh.facets[0], min_distance=1e-6)
    expected = own.first_hits(origins, -mesh.facets[0], min_distance=1e-6)
    np.testing.assert_array_equal(hits.distance, expected.distance)
    np.testing.assert_array_equal(hits.triangle, expected.triangle)
