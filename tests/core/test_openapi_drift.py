"""The committed OpenAPI document (docs/openapi.json) is what the code generates, and the docs page
at /api/v1/docs renders from local files only (no CDN, no call to validator.swagger.io)."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def generated() -> str:
    out = StringIO()
    call_command("export_openapi", stdout=out)
    return out.getvalue()


def test_the_committed_openapi_document_matches_the_code():
    assert COMMITTED.exists(), "docs/openapi.json is missing: run `make openapi` and commit it"
    fresh = generated()
    committed = COMMITTED.read_text(encoding="utf-8")
    if fresh != committed:
        old, new = json.loads(committed), json.loads(fresh)
        gone = sorted(set(old.get("paths", {})) - set(new.get("paths", {})))
        added = sorted(set(new.get("paths", {})) - set(old.get("paths", {})))
        pytest.fail(
            "docs/openapi.json differs from the API the code serves: run `make openapi` and commit the result."
            f"\n  paths only in the code: {added}\n  paths only in the file: {gone}",
            pytrace=False,
        )


def test_the_document_describes_every_people_endpoint_and_its_problems():
    doc = json.loads(COMMITTED.read_text(encoding="utf-8"))
    operations = {(method.upper(), path) for path, ops in doc["paths"].items() for method in ops}
    assert operations >= {
        ("GET", "/api/v1/people/departments"),
        ("POST", "/api/v1/people/departments"),
        ("GET", "/api/v1/people/departments/{department_id}"),
        ("PATCH", "/api/v1/people/departments/{department_id}"),
        ("GET", "/api/v1/people/employees"),
        ("POST", "/api/v1/people/employees"),
        ("GET", "/api/v1/people/employees/{employee_id}"),
        ("PATCH", "/api/v1/people/employees/{employee_id}"),
        ("POST", "/api/v1/people/employees/{employee_id}/transfers"),
        ("GET", "/api/v1/people/employees/{employee_id}/placements"),
    }
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["security"] == [{"TokenAuth": []}], (method, path)
            assert "401" in op["responses"], (method, path)
    problem = doc["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "code", "errors"}
    assert doc["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    # field help is written in Japanese for the people who read it
    hire = doc["components"]["schemas"]["EmployeeCreate"]["properties"]
    assert hire["family_name_kana"]["description"].startswith("姓(フリガナ")
    assert doc["components"]["schemas"]["EmployeeCreate"]["additionalProperties"] is False


def test_the_served_document_is_the_committed_one(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_the_docs_page_renders_from_local_static_files_only(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    assert all(a.startswith(settings.STATIC_URL) for a in assets), assets
    assert "//" not in "".join(assets)
    assert "cdn" not in html.lower()
    settings_json = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S
    )
    swagger = json.loads(settings_json.group(1))
    assert swagger["url"] == "/api/v1/openapi.json"
    # Swagger UI would otherwise load a badge from validator.swagger.io, telling it our schema URL.
    assert swagger["validatorUrl"] is None
