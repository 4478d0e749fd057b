"""Every scoring method of the format can be chosen in the tree editor, with its own parameters,
saved (validated by the engine's model) and shown again exactly as saved."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse

from jixiao.engine.scheme.rules import RULE_METHODS
from jixiao.schemes import editor
from jixiao.schemes.methods import METHODS
from jixiao.schemes.models import SchemeVersion

from .conftest import edited_post

# method → (indicator changed, typed parameters, the rule saved)
CASES = {
    "ratio": ("tax", {"target": "600", "zero_below": "0.5", "challenge": "700", "challenge_bonus": "2",
                      "challenge_mode": "linear", "lower_is_better": "false"},
              {"method": "ratio", "target": 600, "zero_below": 0.5, "lower_is_better": False,
               "challenge": {"value": 700, "bonus": 2, "mode": "linear"}}),
    "deduction": ("tax", {"items": "aq | 安全事故 | 2 | 10\r\nwj | 违纪 | 1~3", "cap": "20", "base": "full",
                          "requires_evidence": "true"},
                  {"method": "deduction", "cap": 20, "base": "full", "requires_evidence": True,
                   "items": [{"code": "aq", "name": "安全事故", "per": 2, "cap": 10},
                             {"code": "wj", "name": "违纪", "range": [1, 3]}]}),
    "bonus": ("jianfen", {"items": "jl | 表彰 | 县:1, 市:2, 省:3", "cap": "3", "requires_evidence": "true"},
              {"method": "bonus", "cap": 3, "requires_evidence": True,
               "items": [{"code": "jl", "name": "表彰", "levels": {"县": 1, "市": 2, "省": 3}}]}),
    "rating": ("tax", {"scale": "优秀 = 100\n称职 = 80\n不称职 = 0", "full": "100"},
               {"method": "rating", "scale": {"优秀": 100, "称职": 80, "不称职": 0}, "full": 100}),
    "tiers": ("tax", {"tiers": "95 = 30\n80 = 20\n60 = 10", "below": "0", "basis": "points"},
              {"method": "tiers", "tiers": [{"min": 95, "score": 30}, {"min": 80, "score": 20},
                                            {"min": 60, "score": 10}], "below": 0, "basis": "points"}),
    "manual": ("tax", {"range_low": "0", "range_high": "30"}, {"method": "manual", "range": [0, 30]}),
    "plan": ("tax", {"cap_ratio": "1.2"}, {"method": "plan", "cap_ratio": 1.2}),
    "grade_map": ("tax", {"grades": "优秀 = 30\n良好 = 20~25\n"
                                    "一般 = {base: 10, from: 60, step: 10, per: 5, whole: true}\n差 = 0",
                          "basis": "points"},
                  {"method": "grade_map", "grades": {"优秀": 30, "良好": [20, 25], "一般": {
                      "base": 10, "from": 60, "step": 10, "per": 5, "whole": True}, "差": 0}, "basis": "points"}),
    "supervision": ("tax", {"per_overdue": "1", "per_returned": "0.5", "cap": "10"},
                    {"method": "supervision", "per_overdue": 1, "per_returned": 0.5, "cap": 10}),
    "formula": ("tax", {"expression": "min(value / target, 1.2) * points", "variables": "value", "target": "500",
                        "min": "0", "max": "30"},
                {"method": "formula", "expression": "min(value / target, 1.2) * points", "variables": ["value"],
                 "target": 500, "min": 0, "max": 30}),
}


# ``follow`` reads another category's result; the one-category test scheme has none (see below).
NEEDS_ANOTHER_CATEGORY = {"follow"}


def test_the_editor_offers_every_method_of_the_format():
    assert tuple(METHODS) == RULE_METHODS and set(CASES) | NEEDS_ANOTHER_CATEGORY == set(RULE_METHODS)
    for m in METHODS.values():
        assert m.label and m.help and all(p.label and p.help for p in m.params)


def _node(data, code):
    return next(n for n in data["categories"][0]["indicators"] if n["code"] == code)


@pytest.mark.django_db
@pytest.mark.parametrize("method", list(CASES))
def test_each_method_can_be_chosen_saved_and_shown_again(office_client, v1, method):
    code, typed, rule = CASES[method]
    resp = office_client.post(reverse("schemes:edit", args=[v1.pk]),
                              edited_post(v1, {code: {"method": method, **typed}}))
    assert resp.status_code == 302, resp.content.decode()[-3000:]
    v2 = SchemeVersion.objects.get(scheme=v1.scheme, number=2)
    data = yaml.safe_load(v2.text)
    assert _node(data, code)["rule"] == rule
    # the saved rule round-trips through the editor unchanged
    post = editor.form_to_post(editor.form_from_scheme(data))
    assert editor.scheme_from_form(data, editor.form_from_post(post)).data == data
    # and the editor shows it again: the method chosen, each typed parameter in its input
    html = office_client.get(reverse("schemes:edit", args=[v2.pk])).content.decode()
    row = next(i for i, r in enumerate(editor.form_from_scheme(data).rows) if r.code == code)
    assert f'<option value="{method}" selected>' in html
    for name in typed:
        assert f'name="row-{row}-{name}"' in html


@pytest.mark.django_db
def test_follow_is_offered_and_checked_by_the_engine(office_client, v1):
    resp = office_client.post(reverse("schemes:edit", args=[v1.pk]),
                              edited_post(v1, {"tax": {"method": "follow", "follow_category": "keshi"}}))
    assert resp.status_code == 400
    assert "没有编码为 “keshi” 的类别" in resp.content.decode()


@pytest.mark.django_db
def test_choosing_a_method_shows_its_parameters_with_chinese_labels(office_client, v1):
    post = edited_post(v1, {"tax": {"method": "tiers"}})
    post["op"] = "refresh"
    html = office_client.post(reverse("schemes:edit_rows", args=[v1.pk]), post).content.decode()
    assert 'name="row-1-tiers"' in html and "分档" in html and "起点 = 得分" in html
    assert 'name="row-1-target"' not in html  # the ratio's parameters are gone with the ratio
    assert "必须填写" in html  # the engine asks for the tiers, in Chinese


@pytest.mark.django_db
def test_a_wrong_parameter_is_refused_by_the_engine_in_chinese(office_client, v1):
    resp = office_client.post(reverse("schemes:edit", args=[v1.pk]),
                              edited_post(v1, {"tax": {"method": "plan", "cap_ratio": "很多"}}))
    assert resp.status_code == 400
    html = resp.content.decode()
    assert '<a href="#row-1">指标 “税收收入”（tax）的 完成率上限</a></strong>：应为数字，收到 “很多”' in html
    assert SchemeVersion.objects.filter(scheme=v1.scheme).count() == 1


@pytest.mark.django_db
def test_the_editor_links_fields_and_methods_to_their_sections(office_client, v1):
    html = office_client.get(reverse("schemes:edit", args=[v1.pk])).content.decode()
    help_url = reverse("schemes:format_help")
    for anchor in ("#s4-1", "#s4-2", "#s5", "#s6-1", "#s6-5", "#s6-2"):  # points, weights, methods, ratio …
        assert f'href="{help_url}{anchor}"' in html, anchor
    help_page = office_client.get(help_url).content.decode()
    for anchor in ("s4-1", "s4-2", "s5", "s6-1", "s6-5", "s6-2"):
        assert f'id="{anchor}"' in help_page


def test_structured_parameters_read_back_what_they_show():
    from jixiao.schemes.methods import METHODS

    items = METHODS["deduction"].param("items")
    rule = {"method": "deduction", "items": [{"code": "a", "name": "甲", "per": 0.5, "cap": 2},
                                             {"code": "b", "range": [1, 3]}, {"code": "c", "levels": {"县": 1}}]}
    shown = items.show(rule)
    assert shown == "a | 甲 | 0.5 | 2\nb |  | 1~3\nc |  | 县:1"
    assert items.parse_fn(shown) == [{"code": "a", "name": "甲", "per": 0.5, "cap": 2},
                                     {"code": "b", "range": [1, 3]}, {"code": "c", "levels": {"县": 1}}]
    assert items.unchanged(shown.replace("\n", "\r\n") + "\r\n", rule)  # a browser's line ends do not count
    assert items.parse_fn("x | 某事 | 2 | 5 | 多余") == [{"code": "x", "name": "某事", "per": 2, "cap": "5 | 多余"}]


@pytest.mark.django_db
def test_a_choice_outside_the_list_is_kept_selectable(office_client, v1):
    data = yaml.safe_load(v1.text)
    data["categories"][0]["indicators"][3]["rule"]["base"] = "half"
    form = editor.form_from_scheme(data)
    html = office_client.post(reverse("schemes:edit_rows", args=[v1.pk]),
                              {**editor.form_to_post(form), "op": "refresh"}).content.decode()
    assert '<option value="half" selected>' in html
    # posted back as shown, the odd value stays for the engine to refuse (never dropped unseen)
    built = editor.scheme_from_form(data, editor.form_from_post(editor.form_to_post(form)))
    assert built.data["categories"][0]["indicators"][3]["rule"]["base"] == "half"
