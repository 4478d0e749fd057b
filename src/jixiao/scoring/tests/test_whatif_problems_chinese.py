"""When an edited version refuses the ledger, the what-if page and the version switch say so in
Chinese, naming the object, indicator and period by name (the engine's own texts are English)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from jixiao.schemes.models import SchemeVersion
from jixiao.scoring.problems import data_problem_zh
from jixiao.scoring.tests.test_whatif import _enter
from jixiao.scoring.whatif import whatif_compare

SAMPLES = {
    "120 is outside the allowed 0 to 80": "数值 120 超出方案允许的范围（0 至 80）",
    "12 is outside the score range 0 to 10": "评分 12 超出评分范围（0 至 10）",
    "-3 must not be negative": "数值 -3 不能为负数",
    "a target of 0 is not above zero": "目标值 0 须大于零",
    "'abc' is not a number": "“abc”不是数字",
    "object xq is not a known object": "考核对象“xq”不存在",
    "优秀 is not a label of this indicator": "“优秀”不是该指标的评价等次",
    "this item counts only with an evidence reference": "该事项须有佐证依据才能计分",
    "the count must be a whole number above zero": "次数须为大于零的整数",
    "empty cell; a value is required": "缺少数值",
}


@pytest.mark.parametrize(("english", "chinese"), SAMPLES.items())
def test_engine_data_messages_read_chinese(english: str, chinese: str) -> None:
    assert data_problem_zh(english) == chinese


def test_an_unknown_message_still_reads_chinese_first() -> None:
    assert data_problem_zh("something new").startswith("数据与方案不符")


@pytest.mark.django_db
def test_a_version_refusing_the_ledger_is_explained_by_name(cast: Any, scope: Any, v1: Any,
                                                            office_client: Any) -> None:
    _enter(cast, scope)  # east's 地区生产总值 is 100 in 2024-Q1
    text = v1.text.replace("        unit: 亿元\n        rule: {method: ratio, target: 100}",
                           "        unit: 亿元\n        bounds: [0, 80]\n        rule: {method: ratio, target: 100}", 1)
    assert "bounds: [0, 80]" in text
    office_client.post(reverse("schemes:yaml", args=[v1.pk]), {"text": text, "note": ""})
    v2 = SchemeVersion.objects.get(number=2)
    w = whatif_compare(assessment=cast.assessment, version=v2)
    assert w.problems == ("v2：东镇 / 地区生产总值 / 2024年第一季度：数值 100 超出方案允许的范围（0 至 80）",)
    page = office_client.get(reverse("whatif:compare", args=[v2.pk]), {"assessment": "mini-2024"}).content.decode()
    assert "数值 100 超出方案允许的范围" in page
    assert not re.search(r"outside|allowed", page)
    # Switching to it is refused with the same words, and nothing changes.
    resp = office_client.post(reverse("whatif:switch", args=[v2.pk]), {"assessment": "mini-2024"}, follow=True)
    body = resp.content.decode()
    assert "不接受台帐中已有的 1 处数据" in body and "数值 100 超出方案允许的范围（0 至 80）" in body
    cast.assessment.refresh_from_db()
    assert cast.assessment.version_id == v1.pk
