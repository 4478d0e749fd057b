"""Indicators counted from matters are shown, never typed: the ledger form shows them read-only
with a note and a link to the unit's matters, a posted number for them changes nothing; the
import template leaves them out and names them, and a workbook that has such a column anyway is
refused with a clear message."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.collection.importing.layout import FIRST_VALUE_COL, INSTRUCTIONS_SHEET, KEY_ROW
from jixiao.collection.importing.template import template_bytes
from jixiao.collection.models import ImportJob, Value
from jixiao.collection.tests.test_import_helpers import run_import, save, where
from jixiao.supervision.services.scores import supervision_values_sync

from .test_score_feeding import adopt

pytestmark = pytest.mark.django_db
NOTE = "由督办系统按事项办理情况自动计数"


@pytest.fixture
def q1(sv, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    a = adopt(sv.cast)
    supervision_values_sync()
    return a.periods.get(code="2026-Q1")


def no_input(html: str, name: str) -> bool:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html) is None


def field(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, name
    return tag[0]


@pytest.mark.parametrize("who", ["office", "reporter"])
def test_the_ledger_form_shows_counted_values_read_only(sv, q1, client, who):
    c = sv.cast
    client.force_login(getattr(c, who))
    url = reverse("collection:object", args=[q1.assessment.code, q1.code, "east"])
    html = client.get(url).content.decode()
    assert NOTE in html
    assert f'href="{reverse("supervision:index")}?unit={c.east.pk}"' in html
    # Counted values are shown as text with no input (the ledger shows read-only what may not change).
    for variable in ("due", "on_time", "overdue", "returned"):
        assert no_input(html, f"v__dbsx__{variable}") and f'id="shown-dbsx-{variable}"' in html
    assert no_input(html, "n__dbsx")
    if who == "office":
        assert "disabled" not in field(html, "v__gdp__value")
    else:  # the office entered gdp, so it is verified: the reporter sees it as text
        assert no_input(html, "v__gdp__value") and 'id="shown-gdp-value"' in html
    # Review and evidence forms are offered for typed values only.
    fed_ids = Value.objects.filter(period=q1, object=c.east_obj, indicator="dbsx").values_list("pk", flat=True)
    for pk in fed_ids:
        assert reverse("collection:review", args=[pk]) not in html
        assert reverse("collection:evidence_upload", args=[pk]) not in html


def test_a_posted_number_for_a_counted_value_changes_nothing(sv, q1, client):
    c = sv.cast
    client.force_login(c.office)
    url = reverse("collection:object", args=[q1.assessment.code, q1.code, "east"])
    response = client.post(url, {"v__gdp__value": "99", "v__dbsx__on_time": "7", "v__dbsx__overdue": "0",
                                 "n__dbsx": "手填", "save": "1"})
    assert response.status_code == 302
    values = dict(Value.objects.filter(period=q1, object=c.east_obj).values_list("indicator", "value")
                  .filter(variable__in=("value", "on_time")))
    assert values == {"gdp": Decimal(99), "dbsx": Decimal(0), "zgsx": Decimal(0)}
    assert not Value.objects.filter(period=q1, indicator="dbsx").exclude(note="").exists()


def test_the_import_template_leaves_them_out_and_names_them(sv, q1):
    from jixiao.org.selectors import scope_for_user

    wb = load_workbook(io.BytesIO(template_bytes(scope=scope_for_user(sv.cast.office), period=q1)))
    keys = [c.value for c in wb["乡镇"][KEY_ROW][FIRST_VALUE_COL - 1:] if c.value]
    assert keys == ["gdp:value"]
    guide = "\n".join(str(c.value) for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    assert f"以下指标{NOTE}，不在模板中，也不能导入：“督办事项办理”、“整改事项办理”" in guide


def test_an_import_with_a_counted_column_is_refused_with_a_clear_message(sv, q1, tmp_path):
    from jixiao.org.selectors import scope_for_user

    c = sv.cast
    wb = load_workbook(io.BytesIO(template_bytes(scope=scope_for_user(c.office), period=q1)))
    ws = wb["乡镇"]
    col = FIRST_VALUE_COL + 1  # D: a column added by hand, keyed as the counted indicator
    ws.cell(KEY_ROW, col, "dbsx:on_time")
    ws.cell(6, col, 3)
    ws.cell(6, FIRST_VALUE_COL, 97)
    job = run_import(c.office, q1, save(wb, tmp_path))
    assert job.status == ImportJob.Status.FAILED
    assert where(job) == {("乡镇", KEY_ROW, "D")}
    assert f"“督办事项办理”{NOTE}，不能导入" in job.errors[0]["message"]
    assert Value.objects.get(period=q1, object=c.east_obj, indicator="gdp").value == Decimal(95)
    assert Value.objects.get(period=q1, object=c.east_obj, indicator="dbsx", variable="on_time").value == 0
