"""What-if: the ledger scored with the current and the edited version, side by side, nothing written."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEntry
from jixiao.collection.services import ballot_add, value_save
from jixiao.schemes.models import Assessment, SchemeVersion
from jixiao.schemes.tests.conftest import edited_post
from jixiao.scoring.models import Result
from jixiao.scoring.whatif import whatif_compare


def _enter(cast, scope):
    office = scope(cast.office)
    for obj, gdp, tax in ((cast.east_obj, "100", "100"), (cast.west_obj, "50", "500")):
        value_save(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator="gdp", variable="value",
                   value=Decimal(gdp))
        value_save(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator="tax", variable="value",
                   value=Decimal(tax))
        ballot_add(actor=cast.office, scope=office, period=cast.q1, obj=obj, indicator="ldpg", rating="10")


def _snapshot():
    return sorted(Result.objects.values_list("object_id", "total", "rank", "grade", "computed_at"))


@pytest.fixture
def v2(office_client, v1):
    office_client.post(reverse("schemes:edit", args=[v1.pk]),
                       edited_post(v1, {"gdp": {"points": "50"}, "tax": {"points": "20"}}))
    return SchemeVersion.objects.get(number=2)


@pytest.mark.django_db
def test_whatif_shows_changed_totals_ranks_grades_and_writes_nothing(office_client, cast, scope, v1, v2):
    _enter(cast, scope)
    # v1: east 40 + 6 + 10 = 56 (不合格), west 20 + 30 + 10 = 60 (合格)
    # v2: east 50 + 4 + 10 = 64 (合格),  west 25 + 20 + 10 = 55 (不合格)
    before = _snapshot()
    audits = AuditEntry.objects.count()
    resp = office_client.get(reverse("whatif:compare", args=[v2.pk]), {"assessment": "mini-2024"})
    assert resp.status_code == 200
    html = resp.content.decode()
    town = html.split('data-category="town"', 1)[1].split("</table>", 1)[0]
    east = town.split('data-object="east"', 1)[1].split("</tr>", 1)[0]
    west = town.split('data-object="west"', 1)[1].split("</tr>", 1)[0]
    assert "56.00" in east and "64.00" in east and "+8.00" in east and "↑1" in east and "delta-up" in east
    assert "60.00" in west and "55.00" in west and "-5.00" in west and "↓1" in west and "delta-down" in west
    assert "不合格" in east and "合格" in east
    assert town.index('data-object="east"') < town.index('data-object="west"')  # sorted by the new rank
    assert '<strong id="grade-changes">2</strong>' in html
    assert reverse("whatif:switch", args=[v2.pk]) in html and reverse("schemes:adopt", args=[v2.pk]) in html
    # no writes
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audits
    assert Assessment.objects.get(pk=cast.assessment.pk).version_id == v1.pk
    assert SchemeVersion.objects.get(pk=v2.pk).status == SchemeVersion.Status.DRAFT


@pytest.mark.django_db
def test_an_indicator_missing_in_one_version_is_left_out(cast, scope, v1, office_client):
    _enter(cast, scope)
    text = v1.text.replace("""      - code: tax
        name: 税收收入
        points: 30
        unit: 万元
        source: 县统计局
        rule: {method: ratio, target: 500}
""", """      - code: tax2
        name: 新税收
        points: 30
        rule: {method: ratio, target: 500}
""")
    assert "tax2" in text
    office_client.post(reverse("schemes:yaml", args=[v1.pk]), {"text": text, "note": ""})
    v2 = SchemeVersion.objects.get(number=2)
    w = whatif_compare(assessment=cast.assessment, version=v2)
    assert not w.problems
    rows = {r.code: r for r in w.categories[0].rows}
    assert rows["east"].current.total == 56 and rows["east"].new.total == 50  # tax values dropped
    assert rows["west"].current.total == 60 and rows["west"].new.total == 30


@pytest.mark.django_db
def test_switch_adopts_and_recomputes(office_client, cast, scope, v2):
    _enter(cast, scope)
    resp = office_client.post(reverse("whatif:switch", args=[v2.pk]), {"assessment": "mini-2024"})
    assert resp.status_code == 302
    a = Assessment.objects.get(pk=cast.assessment.pk)
    v2.refresh_from_db()
    assert a.version_id == v2.pk and v2.status == SchemeVersion.Status.ADOPTED
    east = Result.objects.get(object=cast.east_obj)
    assert east.total == pytest.approx(64.0) and east.grade == "合格" and east.rank == 1


@pytest.mark.django_db
def test_switch_is_refused_once_a_period_is_closed(office_client, cast, v1, v2):
    office_client.post(reverse("schemes:period_close", args=[cast.q1.pk]))
    resp = office_client.post(reverse("whatif:switch", args=[v2.pk]), {"assessment": "mini-2024"}, follow=True)
    assert "已有关闭的考核期" in resp.content.decode()
    assert Assessment.objects.get(pk=cast.assessment.pk).version_id == v1.pk
    assert SchemeVersion.objects.get(pk=v2.pk).status == SchemeVersion.Status.DRAFT


@pytest.mark.django_db
def test_data_the_new_version_refuses_is_reported_not_crashed(office_client, cast, scope, v1):
    _enter(cast, scope)  # gdp 100 for east
    text = v1.text.replace("rule: {method: ratio, target: 100}",
                           "bounds: [0, 90]\n        rule: {method: ratio, target: 100}")
    office_client.post(reverse("schemes:yaml", args=[v1.pk]), {"text": text, "note": ""})
    v2 = SchemeVersion.objects.get(number=2)
    resp = office_client.get(reverse("whatif:compare", args=[v2.pk]), {"assessment": "mini-2024"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "无法计分" in html
    assert "v2：东镇 / 地区生产总值 / 2024年第一季度：数值 100 超出方案允许的范围（0 至 90）" in html
    assert 'data-category="town"' not in html


@pytest.mark.django_db
def test_switch_to_a_version_that_refuses_the_ledger_changes_nothing(office_client, cast, scope, v1):
    _enter(cast, scope)
    text = v1.text.replace("rule: {method: ratio, target: 100}",
                           "bounds: [0, 90]\n        rule: {method: ratio, target: 100}")
    office_client.post(reverse("schemes:yaml", args=[v1.pk]), {"text": text, "note": ""})
    v2 = SchemeVersion.objects.get(number=2)
    before = _snapshot()
    resp = office_client.post(reverse("whatif:switch", args=[v2.pk]), {"assessment": "mini-2024"}, follow=True)
    assert "不接受台帐中已有的 1 处数据" in resp.content.decode()
    assert Assessment.objects.get(pk=cast.assessment.pk).version_id == v1.pk
    assert SchemeVersion.objects.get(pk=v2.pk).status == SchemeVersion.Status.DRAFT
    assert _snapshot() == before
