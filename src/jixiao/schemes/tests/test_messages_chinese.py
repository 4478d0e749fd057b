"""Every problem the scheme format can raise reaches a clerk in Chinese, naming its place."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from jixiao.engine.scheme.loader import SchemeError, parse_scheme_text
from jixiao.schemes.messages import GENERAL, chinese_message, chinese_problems

MINI = (Path(__file__).resolve().parents[2] / "demo" / "schemes" / "mini.yaml").read_text(encoding="utf-8")
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")  # two English words in a row

# (what is broken, the text change, a fragment the Chinese message must contain)
BROKEN = [
    ("bad number", ("target: 100}", "target: abc}"), "指标 “地区生产总值”（gdp）的 目标值：应为数字，收到 “abc”"),
    ("negative target", ("target: 500}", "target: -5}"), "指标 “税收收入”（tax）的 目标值：应大于 0"),
    ("missing field", ("      - code: ldpg\n", "      - \n"), "编码：必须填写"),
    ("unknown field", ("unit: 亿元", "unti: 亿元"), "“unti”：不认识的字段"),
    ("unknown method", ("method: ratio, target: 500", "method: ratoi, target: 500"), "没有计分方法 “ratoi”"),
    ("bad points sum", ("points: 40", "points: 45"), "分值合计 105"),
    ("bad choice", ("rollup: mean", "rollup: average"), "应为以下之一：mean（各期平均）"),
    ("empty name", ("name: 测试县2024年度乡镇考核", "name: ''"), "名称：不能为空"),
    ("bad code", ("code: mini-2024", "code: mini 2024"), "编码不能含空格"),
    ("rule and children", ("rule: {method: manual}",
     "rule: {method: manual}\n        children: [{code: x, points: 30, rule: {method: manual}}]"),
     "不能既有计分规则又有下级指标"),
    ("grade not a band", ("grade: 不合格}", "grade: 很差}"), "等次 “很差” 不是本类别的等次"),
    ("items missing amount", ("levels: {县: 0.5, 市: 1, 省: 2}", "name: x"), "要写且只写一个"),
    ("period weights", ("rollup: mean", "rollup: weighted"), "要写各期权重"),
    ("no categories", (None, "code: x\nname: y\nperiods: {frequency: year, year: 2024}\ncategories: []\n"),
     "至少要有 1 项"),
    ("not a mapping", (None, "- a\n- b\n"), "方案文件应为"),
    ("bad yaml", (None, "code: [x\n"), "不是有效的 YAML"),
    ("range above points", ("rule: {method: manual}", "rule: {method: manual, range: [0, 50]}"), "打分区间上限 50"),
    ("bad formula", ("rule: {method: manual}", "rule: {method: formula, expression: 'value * foo'}"), "没有变量 “foo”"),
    ("tiers above points", ("rule: {method: manual}", "rule: {method: tiers, tiers: [{min: 90, score: 40}]}"),
     "超过了本指标最多能得的 30"),
    ("not a bool", ("rule: {method: ratio, target: 100}",
     "rule: {method: ratio, target: 100, lower_is_better: perhaps}"),
     "应为 true（是）或 false（否）"),
    ("tier not a number",
     ("rule: {method: manual}", "rule: {method: tiers, tiers: [{min: 90, score: 9}, {min: 80, score: abc}]}"),
     "指标 “领导评估”（ldpg） › 第 2 档的 得分：应为数字，收到 “abc”"),
    ("bands order", ("min: 60,", "min: 95,"), "等次应从高到低排列"),
    ("rank after score", ("{name: 合格, min: 60,", "{name: 合格, count: 2,"), "按前几名（count）定的等次要排在"),
    ("bottom above rest", ("{name: 合格, min: 60,", "{name: 合格, last: 2,"), "按后几名（last）定的等次要排在"),
    ("negative places", ("{name: 先进, min: 90,", "{name: 先进, count: -1,"), "前几名"),
    ("places and min", ("{name: 先进, min: 90,", "{name: 先进, count: 1, min: 90,"), "不再写最低分"),
    ("too long name", ("name: 领导评估", "name: " + "长" * 201), "最多 200 个字"),
]


def _broken(change: tuple[str | None, str]) -> str:
    old, new = change
    if old is None:
        return new
    assert old in MINI, old
    return MINI.replace(old, new, 1)


@pytest.mark.parametrize(("what", "change", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_scheme_is_reported_in_chinese_at_its_place(what, change, expected):
    text = _broken(change)
    with pytest.raises(SchemeError) as e:
        parse_scheme_text(text)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    messages = chinese_problems(e.value.problems, data)
    texts = [m.text for m in messages]
    assert any(expected in t for t in texts), texts
    for t in texts:
        assert not ENGLISH.search(t), t
        assert t != GENERAL, f"{what}: not recognised: {e.value.problems}"


def test_an_unrecognised_message_still_reads_chinese():
    assert chinese_message("something entirely new went wrong here") == GENERAL


def test_pydantic_messages_are_recognised_by_type():
    assert chinese_message("Input should be greater than or equal to 0") == "应不小于 0"
    too_short = "List should have at least 1 item after validation, not 0"
    assert chinese_message(too_short) == "至少要有 1 项，现在一项也没有"
    assert chinese_message("Input should be 'step' or 'linear'") == \
        "应为以下之一：step（达到即全额）、linear（按进度比例）"


@pytest.mark.django_db
def test_the_yaml_page_shows_no_english_for_a_broken_scheme(client, cast):
    from django.urls import reverse

    client.force_login(cast.office)
    v = cast.assessment.version
    for _what, change, _expected in BROKEN:
        old, new = change
        text = new if old is None else v.text.replace(old, new, 1) if old in v.text else None
        if text is None:
            continue
        html = client.post(reverse("schemes:yaml_check", args=[v.pk]), {"text": text}).content.decode()
        start = html.find('<ul class="problems')
        problems = html[start:html.find("</ul>", start)]
        text = re.sub(r"<[^>]+>", " ", problems)
        assert start > 0 and not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.django_db
def test_the_format_help_renders_the_document_with_anchored_sections(client, cast):
    from django.urls import reverse

    client.force_login(cast.office)
    html = client.get(reverse("schemes:format_help")).content.decode()
    assert "考核方案文件格式说明" in html and '<h3 id="s6-1">' in html and 'href="#s9-2"' in html
    assert "<table" in html  # the field tables are rendered, not shown as Markdown
    yaml_page = client.get(reverse("schemes:yaml", args=[cast.assessment.version.pk])).content.decode()
    assert reverse("schemes:format_help") in yaml_page and "docs/scheme-format.md" not in yaml_page


def _walk(d, path=()):
    yield path, d
    if isinstance(d, dict):
        for k, v in d.items():
            yield from _walk(v, (*path, k))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from _walk(v, (*path, i))


def test_random_breakage_of_every_example_reads_chinese():
    """Break the examples at random places in random ways: every message is recognised and Chinese."""
    import random

    from jixiao.schemes.editor import dump_yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    examples = [yaml.load(p.read_text(encoding="utf-8"), Loader=loader)
                for p in sorted((Path(__file__).resolve().parents[4] / "examples").glob("*/scheme.yaml"))]
    rnd = random.Random(2024)
    seen = 0
    for _ in range(80):
        data = copy.deepcopy(rnd.choice(examples))
        path, value = rnd.choice(list(_walk(data))[1:])
        parent = data
        for k in path[:-1]:
            parent = parent[k]
        key, op = path[-1], rnd.choice(["text", "negative", "delete", "unknown", "empty", "true"])
        if op == "delete":
            del parent[key]
        elif op == "unknown" and isinstance(value, dict):
            value["bogus_field"] = 1
        else:
            parent[key] = {"text": "abc", "negative": -3, "empty": [], "true": True, "unknown": "weird"}[op]
        try:
            parse_scheme_text(dump_yaml(data))
        except SchemeError as e:
            for m in chinese_problems(e.problems, data):
                seen += 1
                assert m.message != GENERAL and not ENGLISH.search(m.text), m
    assert seen > 40


def test_a_broken_excel_template_reads_chinese_with_sheet_row_and_column(tmp_path):
    import openpyxl

    from jixiao.engine.scheme.excel import read_scheme_workbook, write_scheme_workbook

    path = tmp_path / "mini.xlsx"
    write_scheme_workbook(parse_scheme_text(MINI), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    col = {k: next(i for i, h in enumerate(header, 1) if h and f"({k})" in h) for k in ("code", "points", "method")}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["code"]).value == "gdp":
            ws.cell(r, col["points"]).value = "四十"
        if ws.cell(r, col["code"]).value == "tax":
            ws.cell(r, col["method"]).value = "ratoi"
    wb.save(path)
    with pytest.raises(SchemeError) as e:
        read_scheme_workbook(path)
    texts = [m.text for m in chinese_problems(e.value.problems)]
    assert any("工作表“指标”第" in t and "分值" in t and "四十" in t for t in texts), texts
    assert any("没有计分方法 “ratoi”" in t for t in texts), texts
    for t in texts:
        assert not ENGLISH.search(t.replace("(points)", "").replace("(method)", "")), t


@pytest.mark.parametrize(("line", "expected"), [
    ("{base: 40, from: 80, step: 10, per: 1}", "等次折算分 › “良好” › 起点值：应在 0 到 30 之间"),
    ("{base: 8, from: 80, step: 0, per: 1}", "“良好” › 每档得分：应大于 0"),
    ("{base: 8, step: 10, per: 1}", "“良好” › 起算得分：必须填写"),
])
def test_a_bad_grade_line_reads_chinese_with_its_field(line, expected):
    rule = "rule: {method: grade_map, grades: {优秀: 10, 良好: " + line + "}}"
    text = MINI.replace("rule: {method: manual}", rule, 1)
    with pytest.raises(SchemeError) as e:
        parse_scheme_text(text)
    texts = [m.text for m in chinese_problems(e.value.problems, yaml.safe_load(text))]
    assert any(expected in t for t in texts), texts
