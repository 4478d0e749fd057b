"""The JSON Schema of the scheme file, generated from the pydantic models.

Editors that understand JSON Schema (VS Code's YAML extension, for one) then check a
scheme file while it is typed. ``jixiao schema`` prints it; the copy in
``docs/scheme.schema.json`` is checked by a test, which fails (saying how to regenerate it)
when the models change without it.
"""

from __future__ import annotations

from typing import Any

from jixiao.engine.scheme.model import Scheme


def scheme_json_schema() -> dict[str, Any]:
    schema = Scheme.model_json_schema(by_alias=True)
    # A roll-up may be written as just its mode (``periods: last``); the loader accepts that
    # shorthand, so the schema must too.
    rollup = schema["$defs"]["Rollup"]
    modes = rollup["properties"]["mode"]["enum"]
    schema["$defs"]["Rollup"] = {"anyOf": [{"type": "string", "enum": modes}, rollup],
                                 "description": rollup.get("description", "")}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "jixiao 考核方案 (assessment scheme)"
    return schema
