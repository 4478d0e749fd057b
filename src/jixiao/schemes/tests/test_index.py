"""The index page: schemes with their versions, assessments with their periods; new assessments."""

import pytest
from django.urls import reverse

from jixiao.org import services as org
from jixiao.org.models import Category
from jixiao.schemes import services as sch
from jixiao.schemes.models import Assessment


def _more(cast, v1, n):
    """n more schemes, each with a draft and an adopted version used by an assessment of its own category."""
    for i in range(n):
        cat = f"dept{i}"
        org.category_create(actor=None, code=cat, name=f"部门{i}", subject=Category.Subject.UNIT)
        text = v1.text.replace("code: town", f"code: {cat}").replace("code: mini-2024", f"code: s{i}")
        v = sch.scheme_create(actor=cast.office, code=f"s{i}", name=f"方案{i}", text=text)
        sch.scheme_version_adopt(actor=cast.office, version=v)
        sch.scheme_version_create(actor=cast.office, based_on=v, text=text, note="草稿")
        sch.assessment_create(actor=cast.office, code=f"a{i}", name=f"考核{i}", year=2024, version=v)


@pytest.mark.django_db
def test_index_lists_versions_assessments_periods(office_client, cast, v1):
    _more(cast, v1, 1)
    html = office_client.get(reverse("schemes:index")).content.decode()
    assert "测试方案" in html and "方案0" in html
    assert "已启用" in html and "草稿" in html and "基于 v1" in html
    assert "测试县2024年度考核" in html and "2024年第一季度" in html and "季度" in html
    assert "2024-01-01" in html and "2024-03-31" in html
    assert reverse("schemes:version", args=[v1.pk]) in html


@pytest.mark.django_db
def test_index_query_count_does_not_grow(office_client, cast, v1, django_assert_max_num_queries):
    office_client.get(reverse("schemes:index"))  # warm the session
    with django_assert_max_num_queries(11):
        assert office_client.get(reverse("schemes:index")).status_code == 200
    _more(cast, v1, 4)
    with django_assert_max_num_queries(11):
        html = office_client.get(reverse("schemes:index")).content.decode()
    assert "方案3" in html and "考核3" in html


@pytest.mark.django_db
def test_create_an_assessment_from_an_adopted_version(office_client, cast, v1):
    org.category_create(actor=None, code="dept", name="部门", subject=Category.Subject.UNIT)
    text = v1.text.replace("code: town", "code: dept")
    v = sch.scheme_create(actor=cast.office, code="dept", name="部门方案", text=text)
    form = {"code": "dept-2024", "name": "部门2024年度考核", "year": "2024", "version": str(v.pk)}
    resp = office_client.post(reverse("schemes:assessment_new"), form)
    assert resp.status_code == 400  # a draft cannot be used: not offered, not accepted
    assert 'value="部门2024年度考核"' in resp.content.decode()
    sch.scheme_version_adopt(actor=cast.office, version=v)
    resp = office_client.post(reverse("schemes:assessment_new"), form)
    assert resp.status_code == 302
    a = Assessment.objects.get(code="dept-2024")
    assert a.version == v and [p.code for p in a.periods.order_by("position")] == [
        "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]


@pytest.mark.django_db
def test_a_refused_assessment_shows_the_reason_by_the_field(office_client, cast, v1):
    # town is already assessed in 2024 by mini-2024
    resp = office_client.post(reverse("schemes:assessment_new"),
                              {"code": "again", "name": "再来一次", "year": "2024", "version": str(v1.pk)})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "已在 2024 年度的考核" in html and 'value="again"' in html
    assert not Assessment.objects.filter(code="again").exists()
