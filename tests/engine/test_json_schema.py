"""The committed JSON Schema matches the models, and every example validates against it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from jixiao.engine.scheme.jsonschema import scheme_json_schema

ROOT = Path(__file__).parents[2]


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "scheme.schema.json").read_text(encoding="utf-8"))
    assert committed == scheme_json_schema(), "regenerate: .venv/bin/jixiao schema > docs/scheme.schema.json"


def test_schema_names_every_method() -> None:
    text = json.dumps(scheme_json_schema(), ensure_ascii=False)
    for method in ("ratio", "deduction", "bonus", "rating", "tiers", "manual", "plan", "grade_map", "supervision",
                   "formula"):
        assert f'"{method}"' in text


def test_examples_are_plain_yaml_mappings() -> None:
    for path in sorted((ROOT / "examples").glob("*/scheme.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(doc) <= set(scheme_json_schema()["properties"]), path
