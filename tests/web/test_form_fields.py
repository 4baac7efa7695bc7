"""What the upload form and routes take from the form and what from the file.

Fields typed in the form override a project file; fields left blank (material, unit,
quantity, purpose) keep what it says. An STL carries no unit: the form's ``unit`` (or the
project file's) scales it to mm. The routes that assess run off the event loop.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import trimesh
import yaml
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from rampwise.api import assess
from rampwise.app.web.intake import DEFAULT_MATERIAL, form_document
from rampwise.core.errors import InputError
from rampwise.io.project_file import project_from_mapping
from service_support import example_document, wait_for_job

TITANIUM = "Ti-6Al-4V"


class BrowserForm(HTMLParser):
    """What a browser submits from the form posting to ``action`` when nothing is touched.

    Text and number inputs send their ``value``; a select sends its selected option, else
    its first one. File inputs are left to the test.
    """

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.values: dict[str, str] = {}
        self._inside = False
        self._select: str | None = None
        self._first: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name") or ""
        if tag == "form":
            self._inside = attributes.get("action") == self.action
        elif not self._inside:
            return
        elif tag == "input" and name and attributes.get("type") in ("text", "number", "hidden"):
            self.values[name] = attributes.get("value") or ""
        elif tag == "select":
            self._select, self._first = name, None
        elif tag == "option" and self._select is not None:
            value = attributes.get("value") or ""
            if self._first is None:
                self._first = value
                self.values[self._select] = value
            if "selected" in attributes:
                self.values[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False


def untouched_form(
    client: TestClient, page: str = "/", action: str = "/assessments"
) -> dict[str, str]:
    """The fields a browser posts from a page's form when the user types nothing."""
    parser = BrowserForm(action)
    parser.feed(client.get(page).text)
    assert parser.values, f"no form posting to {action} on {page}"
    return parser.values


def sign_in(client: TestClient, token: str) -> None:
    response = client.post("/sign-in", data={"token": token, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303


def titanium_document(examples_dir: Path) -> dict[str, Any]:
    """The bracket example (3 pcs for a fit check) made of Ti-6Al-4V."""
    document = example_document(examples_dir, "bracket_fit_check.yaml")
    document["part"]["material"] = TITANIUM
    return document


def order_price(result: dict[str, Any]) -> float:
    """Unit price at the order quantity [currency/pc]."""
    (order,) = (b for b in result["quote"]["breaks"] if b["quantity"] == result["quantity"])
    price: float = order["unit_price"]
    return price


def inch_cube_stl() -> bytes:
    """A closed 1 × 1 × 1 cube with its coordinates in inches."""
    exported: bytes = trimesh.creation.box(extents=(1.0, 1.0, 1.0)).export(file_type="stl")
    return exported


# --------------------------------------------------------------------------------------
# The form keeps what the file says
# --------------------------------------------------------------------------------------


def test_the_untouched_form_names_no_material_and_no_unit(client: TestClient) -> None:
    """A browser posts the selected option: blank, so a project file's own values stay."""
    values = untouched_form(client)
    assert values["material"] == ""
    assert values["unit"] == ""
    assert values["quantity"] == "" and values["purpose"] == ""
    page = client.get("/").text
    assert "(as in the file)" in page and f"for a model alone, {DEFAULT_MATERIAL}" in page


def test_a_titanium_project_file_through_the_untouched_form_is_priced_in_titanium(
    client: TestClient, token: str, examples_dir: Path
) -> None:
    sign_in(client, token)
    document = titanium_document(examples_dir)
    response = client.post(
        "/assessments",
        files={"project_file": ("bracket.yaml", yaml.safe_dump(document).encode())},
        data=untouched_form(client),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assessment_id = response.headers["location"].rsplit("/", 1)[1]
    record = client.get(f"/api/assessments/{assessment_id}").json()
    stored = client.get(f"/api/projects/{record['project_id']}").json()
    assert stored["latest_revision"]["document"]["part"]["material"] == TITANIUM
    titanium = assess(project_from_mapping(document)).model_dump(mode="json")
    aluminium = assess(
        project_from_mapping({**document, "part": {**document["part"], "material": "6061"}})
    ).model_dump(mode="json")
    assert order_price(record["result"]) == pytest.approx(order_price(titanium))
    assert order_price(record["result"]) > order_price(aluminium)


def test_a_material_typed_in_the_form_overrides_the_project_file(
    client: TestClient, token: str, examples_dir: Path
) -> None:
    sign_in(client, token)
    response = client.post(
        "/assessments",
        files={"project_file": ("bracket.yaml", yaml.safe_dump(titanium_document(examples_dir)))},
        data={**untouched_form(client), "material": "Al 7075-T6", "quantity": "12"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    (project,) = client.get("/api/projects").json()
    document = client.get(f"/api/projects/{project['id']}").json()["latest_revision"]["document"]
    assert document["part"]["material"] == "Al 7075-T6"
    assert document["quantity"] == 12
    assert document["purpose"] == "fit_check"


def test_blank_fields_keep_the_file_and_a_bare_model_gets_the_default_material() -> None:
    base = {
        "project": "P",
        "unit": "in",
        "part": {"number": "N", "material": TITANIUM},
        "quantity": 7,
        "purpose": "fit_check",
    }
    blank = {"name": "", "part_number": "", "material": "", "quantity": "", "purpose": ""}
    kept = form_document(base=base, fallback_name="file", unit="", **blank)
    assert kept == base
    # A mesh unit typed beside a project file is the model's, not the file's lengths'.
    assert form_document(base=base, fallback_name="file", unit="mm", **blank)["unit"] == "in"
    bare = form_document(
        base=None, fallback_name="cube", unit="in", **{**blank, "quantity": "5", "purpose": "x"}
    )
    assert bare["part"] == {"number": "cube", "material": DEFAULT_MATERIAL}
    assert bare["unit"] == "in"


def test_a_project_file_without_a_material_is_refused_not_given_the_default(
    client: TestClient, token: str, examples_dir: Path
) -> None:
    sign_in(client, token)
    document = titanium_document(examples_dir)
    del document["part"]["material"]
    response = client.post(
        "/assessments",
        files={"project_file": ("bracket.yaml", yaml.safe_dump(document).encode())},
        data=untouched_form(client),
    )
    assert response.status_code == 422
    assert "part.material: is required" in response.text
    assert client.get("/api/projects").json() == []


def test_a_unit_other_than_mm_or_in_is_refused() -> None:
    with pytest.raises(InputError, match="unit: must be one of mm, in; got 'ft'"):
        form_document(
            base=None,
            name=None,
            part_number=None,
            material=None,
            quantity="3",
            purpose="fit_check",
            fallback_name="p",
            unit="ft",
        )


# --------------------------------------------------------------------------------------
# STL uploads take a unit
# --------------------------------------------------------------------------------------


def assessed(client: TestClient, job_id: str) -> dict[str, Any]:
    """The stored assessment record a finished assessment job points to."""
    job = wait_for_job(client, job_id)
    assert job["status"] == "done", job
    record: dict[str, Any] = client.get(
        f"/api/assessments/{job['result_path'].rsplit('/', 1)[1]}"
    ).json()
    return record


def test_an_inch_stl_uploaded_with_unit_in_is_a_25_4_mm_cube(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        "/api/uploads",
        files={"file": ("cube.stl", inch_cube_stl())},
        data={"quantity": "10", "purpose": "fit_check", "unit": "in"},
        headers=auth,
    )
    assert response.status_code == 202, response.text
    record = assessed(client, response.json()["id"])
    geometry = record["result"]["geometry"]
    assert geometry["bbox_mm"] == pytest.approx([25.4, 25.4, 25.4])
    assert geometry["units"] == "in"
    assert "input.units" not in {f["rule"] for f in geometry["findings"]}
    project = client.get(f"/api/projects/{record['project_id']}").json()
    assert project["latest_revision"]["document"]["unit"] == "in"
    # A new revision's model is read in the project's unit unless the form says otherwise.
    revision = client.post(
        f"/api/projects/{record['project_id']}/uploads",
        files={"file": ("cube-b.stl", inch_cube_stl())},
        headers=auth,
    )
    assert revision.status_code == 202, revision.text
    revised = assessed(client, revision.json()["id"])
    assert revised["result"]["geometry"]["bbox_mm"] == pytest.approx([25.4, 25.4, 25.4])


def test_an_stl_without_a_unit_is_read_in_mm_and_says_so(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        "/api/uploads",
        files={"file": ("cube.stl", inch_cube_stl())},
        data={"quantity": "10", "purpose": "fit_check"},
        headers=auth,
    )
    geometry = assessed(client, response.json()["id"])["result"]["geometry"]
    assert geometry["bbox_mm"] == pytest.approx([1.0, 1.0, 1.0])
    assert geometry["units"] == "mm (assumed)"
    assert "input.units" in {f["rule"] for f in geometry["findings"]}


def test_the_page_form_reads_an_stl_in_the_unit_chosen(client: TestClient, token: str) -> None:
    sign_in(client, token)
    response = client.post(
        "/assessments",
        files={"cad": ("cube.stl", inch_cube_stl())},
        data={**untouched_form(client), "quantity": "10", "purpose": "fit_check", "unit": "in"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    record = assessed(client, response.headers["location"].rsplit("/", 1)[1])
    assert record["result"]["geometry"]["bbox_mm"] == pytest.approx([25.4, 25.4, 25.4])


def test_an_inch_project_file_reads_its_stl_in_inches(
    client: TestClient, token: str, examples_dir: Path
) -> None:
    """The form's unit left blank: the project file's ``unit: in`` covers its model too."""
    sign_in(client, token)
    document = titanium_document(examples_dir)
    document["unit"] = "in"
    document["part"].pop("envelope_mm")
    document["part"]["characteristics"] = []
    response = client.post(
        "/assessments",
        files={
            "cad": ("cube.stl", inch_cube_stl()),
            "project_file": ("cube.yaml", yaml.safe_dump(document).encode()),
        },
        data=untouched_form(client),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    record = assessed(client, response.headers["location"].rsplit("/", 1)[1])
    assert record["result"]["geometry"]["bbox_mm"] == pytest.approx([25.4, 25.4, 25.4])
    stored = client.get(f"/api/projects/{record['project_id']}").json()
    assert stored["latest_revision"]["document"]["part"]["material"] == TITANIUM


def test_every_stl_of_a_zip_is_read_in_the_unit_given(
    client: TestClient, auth: dict[str, str]
) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("rfq/a.stl", inch_cube_stl())
        bundle.writestr("rfq/b.stl", inch_cube_stl())
        bundle.writestr("rfq/quantities.csv", f"file,quantity,material\na.stl,5,{TITANIUM}\n")
    response = client.post(
        "/api/uploads",
        files={"file": ("rfq.zip", archive.getvalue())},
        data={"quantity": "10", "purpose": "fit_check", "unit": "in"},
        headers=auth,
    )
    assert response.status_code == 202, response.text
    job = wait_for_job(client, response.json()["id"])
    assert job["status"] == "done" and job["result"]["failures"] == [], job
    materials = {}
    for line in job["result"]["projects"]:
        result = client.get(f"/api/assessments/{line['assessment_id']}").json()["result"]
        assert result["geometry"]["bbox_mm"] == pytest.approx([25.4, 25.4, 25.4])
        materials[line["name"]] = line["material"]
    # The order sheet's material for its model, the default for the other.
    assert materials == {"a.stl": TITANIUM, "b.stl": DEFAULT_MATERIAL}


def test_the_analyze_route_reads_an_stl_in_the_unit_given(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        "/api/analyze",
        files={"file": ("cube.stl", inch_cube_stl())},
        data={"unit": "in"},
        headers=auth,
    )
    assert response.status_code == 202, response.text
    job = wait_for_job(client, response.json()["id"])
    assert job["status"] == "done", job
    assert job["result"]["bbox_mm"] == pytest.approx([25.4, 25.4, 25.4])


def test_an_unknown_unit_is_422_before_anything_is_kept(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        "/api/uploads",
        files={"file": ("cube.stl", inch_cube_stl())},
        data={"quantity": "10", "purpose": "fit_check", "unit": "ft"},
        headers=auth,
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "unit: must be one of mm, in; got 'ft'"
    assert client.get("/api/projects").json() == []


# --------------------------------------------------------------------------------------
# The routes that assess run off the event loop
# --------------------------------------------------------------------------------------

ASSESSING_ROUTES = {
    ("POST", "/api/assess"),
    ("POST", "/api/projects"),
    ("POST", "/api/projects/{project_id}/revisions"),
    ("POST", "/api/uploads"),
    ("POST", "/api/projects/{project_id}/uploads"),
    ("POST", "/api/analyze"),
    ("POST", "/api/batches"),
    ("POST", "/assessments"),
    ("POST", "/projects/{project_id}/revisions"),
    ("POST", "/batches"),
}
"""Routes that parse, assess or store synchronously: plain ``def``, run in the thread pool."""


def test_the_routes_that_assess_are_plain_functions() -> None:
    from rampwise.app.web.pages import routers as page_routers
    from rampwise.app.web.routes import assess as assess_routes
    from rampwise.app.web.routes import batches, projects, quality

    routers = [assess_routes.router, projects.router, batches.router, quality.router]
    endpoints = {
        (method, route.path): route.endpoint
        for router in [*routers, *page_routers]
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    }
    assert set(endpoints) >= ASSESSING_ROUTES
    coroutines = sorted(
        key for key in ASSESSING_ROUTES if inspect.iscoroutinefunction(endpoints[key])
    )
    assert coroutines == []


def _off_the_loop(calls: list[bool], real: Callable[..., Any]) -> Callable[..., Any]:
    def spy(*args: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            calls.append(True)
        else:
            calls.append(False)
        return real(*args, **kwargs)

    return spy


def test_assessing_a_document_does_not_block_the_event_loop(
    client: TestClient,
    auth: dict[str, str],
    document: dict[str, Any],
    token: str,
    examples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``POST /api/assess``, ``POST /api/projects`` and the page's project file: each
    assessment runs in a worker thread, where no event loop is running."""
    import rampwise.app.web.intake
    import rampwise.app.web.routes.assess

    calls: list[bool] = []
    for module in (rampwise.app.web.routes.assess, rampwise.app.web.intake):
        monkeypatch.setattr(module, "assess", _off_the_loop(calls, module.assess))
    assert client.post("/api/assess", json=document).status_code == 200
    assert client.post("/api/projects", json=document, headers=auth).status_code == 201
    sign_in(client, token)
    page = client.post(
        "/assessments",
        files={"project_file": ("b.yaml", (examples_dir / "bracket_fit_check.yaml").read_bytes())},
        follow_redirects=False,
    )
    assert page.status_code == 303
    assert calls == [True, True, True]


def test_a_body_read_as_a_dependency_keeps_the_errors(
    client: TestClient, auth: dict[str, str]
) -> None:
    """Auth is checked before the body, and a bad body is still the one-line 422."""
    assert client.post("/api/projects", content=b"{").status_code == 401
    response = client.post(
        "/api/projects",
        content=b"{",
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("body: malformed JSON at line 1")
