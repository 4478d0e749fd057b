"""/api/schema/ serves a valid OpenAPI 3 document listing every endpoint, to signed-in callers only."""

from pathlib import Path

import pytest
from django.core.management import call_command

PATHS = [
    "/api/units/", "/api/people/", "/api/categories/", "/api/objects/", "/api/schemes/",
    "/api/schemes/{code}/versions/{number}/", "/api/assessments/", "/api/assessments/{code}/periods/",
    "/api/assessments/{code}/periods/{period}/values/", "/api/assessments/{code}/results/",
    "/api/assessments/{code}/objects/{object}/explain/", "/api/values/", "/api/values/{id}/",
]


@pytest.mark.django_db
def test_schema_lists_every_path_and_the_token_scheme(cast, api):
    r = api(cast.reporter).get("/api/schema/?format=json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    assert set(PATHS) <= set(doc["paths"])
    assert "post" in doc["paths"]["/api/assessments/{code}/periods/{period}/values/"]
    assert "put" in doc["paths"]["/api/values/{id}/"]
    assert doc["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    row = doc["components"]["schemas"]["ValueRow"]
    assert set(row["required"]) == {"object", "indicator", "value"}


@pytest.mark.django_db
def test_schema_needs_a_signed_in_caller(api):
    assert api().get("/api/schema/").status_code == 401


def test_schema_validates_without_warnings(tmp_path: Path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/assessments/{code}/periods/{period}/values/" in out.read_text(encoding="utf-8")
