"""The tree editor's data round trip loses nothing it does not edit, on every real scheme."""

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from jixiao.schemes import editor
from jixiao.schemes.catalog import catalog_for

ROOT = Path(__file__).resolve().parents[4]
EXAMPLES = sorted(ROOT.glob("examples/*/scheme.yaml"))
MINI = ROOT / "src" / "jixiao" / "demo" / "schemes" / "mini.yaml"


def test_there_are_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("path", [*EXAMPLES, MINI], ids=lambda p: p.parent.name if p != MINI else "mini")
def test_parse_form_post_dict_equals_original(path):
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    form = editor.form_from_scheme(data)
    assert form.rows, "every example has indicators"
    post = editor.form_to_post(form)
    built = editor.scheme_from_form(data, editor.form_from_post(post))
    assert built.data == data
    written = editor.dump_yaml(built.data)
    assert yaml.safe_load(written) == data
    assert catalog_for(written).scheme == catalog_for(text).scheme


def _mini():
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


def test_only_the_edited_field_changes():
    data = _mini()
    form = editor.form_from_scheme(data)
    rows = [replace(r, points="50") if r.code == "gdp" else r for r in form.rows]
    built = editor.scheme_from_form(data, editor.form_from_post(editor.form_to_post(replace(form, rows=tuple(rows)))))
    gdp = built.data["categories"][0]["indicators"][0]
    assert gdp["points"] == 50 and isinstance(gdp["points"], int)
    data["categories"][0]["indicators"][0]["points"] = 50
    assert built.data == data


def test_fields_left_out_of_the_post_keep_the_original():
    data = _mini()
    post = editor.form_to_post(editor.form_from_scheme(data))
    for key in [k for k in post if k.endswith(("-name", "-unit", "-method", "-target"))]:
        del post[key]
    assert editor.scheme_from_form(data, editor.form_from_post(post)).data == data


def test_a_rule_with_items_is_kept_as_is_and_ratio_fields_are_written():
    data = _mini()
    form = editor.form_from_scheme(data)
    rows = {r.code: r for r in form.rows}
    assert not rows["jianfen"].fixed_rule and not rows["gdp"].fixed_rule  # every method is editable
    changed = [replace(r, target="120", challenge="150", challenge_bonus="2") if r.code == "gdp"
               else replace(r, method="manual", range_low="0", range_high="30") if r.code == "tax" else r
               for r in form.rows]
    built = editor.scheme_from_form(data, replace(form, rows=tuple(changed))).data
    inds = {n["code"]: n for n in built["categories"][0]["indicators"]}
    assert inds["gdp"]["rule"] == {"method": "ratio", "target": 120, "challenge": {"value": 150, "bonus": 2}}
    assert inds["tax"]["rule"] == {"method": "manual", "range": [0, 30]}
    assert inds["jianfen"]["rule"] == data["categories"][0]["indicators"][3]["rule"]
    catalog_for(editor.dump_yaml(built))  # still a valid scheme


def test_add_child_turns_a_leaf_into_a_group_and_delete_removes_the_subtree():
    data = _mini()
    form = editor.form_from_scheme(data)
    gdp = 0
    form = editor.add_child(form, gdp)
    form = editor.add_child(form, gdp)
    assert [r.depth for r in form.rows[:3]] == [0, 1, 1] and form.is_group(gdp)
    rows = list(form.rows)
    rows[1] = replace(rows[1], code="gdp1", points="25", method="ratio")
    rows[2] = replace(rows[2], code="gdp2", points="15", method="manual")
    form = replace(form, rows=tuple(rows))
    built = editor.scheme_from_form(data, editor.form_from_post(editor.form_to_post(form)))
    gdp_node = built.data["categories"][0]["indicators"][0]
    assert "rule" not in gdp_node
    assert [c["code"] for c in gdp_node["children"]] == ["gdp1", "gdp2"]
    assert built.paths[2] == "categories.0.indicators.0.children.1"
    catalog_for(editor.dump_yaml(built.data))
    assert all(s.ok for s in editor.sums_check(built.data))
    back = editor.delete_row(form, gdp)
    assert [r.code for r in back.rows] == ["tax", "ldpg", "jianfen"]
    sib = editor.add_sibling(form, gdp)
    assert [r.code for r in sib.rows] == ["gdp", "gdp1", "gdp2", "", "tax", "ldpg", "jianfen"]
    assert sib.rows[3].depth == 0


def test_a_problem_path_maps_to_its_row():
    data = _mini()
    form = editor.add_sibling(editor.form_from_scheme(data), 1)  # a new, empty row after tax
    built = editor.scheme_from_form(data, form)
    assert built.row_of("categories.0.indicators.2.code") == 2
    assert built.row_of("categories.0.indicators.0.rule.target") == 0
    assert built.row_of("categories.0.results") is None


def test_depth_jumps_and_foreign_rows_are_normalised():
    post = {"cats": "1", "rows": "3", "cat-0-code": "town",
            "row-0-cat": "0", "row-0-depth": "2", "row-0-code": "a",
            "row-1-cat": "0", "row-1-depth": "5", "row-1-code": "b",
            "row-2-cat": "7", "row-2-depth": "0", "row-2-code": "c"}
    form = editor.form_from_post(post)
    assert [(r.code, r.depth) for r in form.rows] == [("a", 0), ("b", 1)]


def test_typed_numbers_are_read_as_numbers_and_nonsense_is_kept_for_the_engine():
    assert editor.parse("points", " 40 ") == 40 and isinstance(editor.parse("points", "40"), int)
    assert editor.parse("points", "12.5") == 12.5
    assert editor.parse("target", "1,000") == 1000
    assert editor.parse("points", "") is None
    assert editor.parse("points", "四十") == "四十"
    assert editor.parse("name", " 名称 ") == " 名称 "  # names keep their spaces
    assert editor.parse("code", " gdp ") == "gdp"
