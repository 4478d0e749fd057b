"""What the built demo holds and shows: the county and the bureau, every kind of record, the
accounts and their scopes, graded results with the scheme's rules at work, closed and partly
reported periods; and loading it again writes nothing. One build serves the whole module."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Ballot, Incident, Reminder, Value
from jixiao.collection.services import value_save
from jixiao.core.errors import PeriodClosed
from jixiao.demo.builder import PASSWORD, build_demo
from jixiao.org.models import AssessedObject, Person, Unit
from jixiao.org.selectors import scope_for_user
from jixiao.schemes.models import Assessment, Period, SchemeVersion
from jixiao.scoring.models import Result


@pytest.mark.django_db
def test_county_has_7_towns_32_departments_9_restoration_units(built):
    members = {c: AssessedObject.objects.filter(category__code=c).count()
               for c in ("xiangzhen", "bumen", "gucheng", "keshi", "zhengzhi", "geren")}
    assert members == {"xiangzhen": 7, "bumen": 32, "gucheng": 9, "keshi": 11, "zhengzhi": 11, "geren": 49}
    root = Unit.objects.get(name="正定县人民政府")
    assert root.level == 1
    assert Unit.objects.filter(parent=root, kind=Unit.Kind.TOWN, assessed_objects__category__code="xiangzhen"
                               ).count() == 7
    assert built.counts["objects:bumen"] == 32


@pytest.mark.django_db
def test_finance_bureau_has_sections_and_60_staff(built):
    bureau = Unit.objects.get(name="浏阳市财政局")
    assert bureau.level == 2 and bureau.parent.name == "浏阳市人民政府"
    sections = Unit.objects.filter(parent=bureau)
    assert sections.count() == 11 and all(s.level == 3 and s.kind == Unit.Kind.SECTION for s in sections)
    staff = Person.objects.filter(unit__in=sections)
    assert staff.count() == 60
    assert {lv: staff.filter(level=lv).count() for lv in ("head", "deputy", "staff")} == {
        "head": 11, "deputy": 10, "staff": 39}
    # each person's object hangs under the object of the person's own section
    for obj in AssessedObject.objects.filter(person__in=staff).select_related("person", "parent"):
        assert obj.parent.unit_id == obj.person.unit_id == obj.unit_id


@pytest.mark.django_db
def test_data_source_units_carry_the_schemes_source_names(built):
    for name in ("县财政局", "县统计局", "县招商局", "国家统计局正定调查队", "县卫生局", "县人社局", "县信访局",
                 "县安监局", "县绩效办", "县行政服务中心", "古城风貌恢复工作指挥部", "县发改局"):
        assert Unit.objects.filter(name=name).exists(), name


@pytest.mark.django_db
def test_every_kind_of_record_is_there(built):
    assert Value.objects.filter(status=Value.Status.DRAFT).exists()
    assert Value.objects.filter(status=Value.Status.RETURNED).exclude(return_reason="").exists()
    assert Value.objects.filter(status=Value.Status.VERIFIED).exists()
    assert Value.objects.filter(status=Value.Status.SUBMITTED).exists()
    assert Incident.objects.filter(status=Incident.Status.PENDING).count() == 2
    assert Incident.objects.filter(status=Incident.Status.REJECTED).exclude(decision_reason="").exists()
    bonuses = Incident.objects.filter(status=Incident.Status.APPROVED, indicator="jiafen")
    assert bonuses.exists() and not bonuses.filter(document="").exists()
    assert Incident.objects.filter(status=Incident.Status.APPROVED, indicator="jianfen").exists()
    assert Ballot.objects.filter(indicator="ldpg").exists() and Ballot.objects.filter(indicator="minzhu").exists()
    assert Reminder.objects.filter(unit__name="县招商局", period__code="2024-end").exists()
    versions = dict(SchemeVersion.objects.filter(scheme__code="zhengding").values_list("number", "status"))
    assert versions == {1: SchemeVersion.Status.ADOPTED, 2: SchemeVersion.Status.DRAFT}
    # monthly, quarterly and half-year periods all have values
    kinds = set(Value.objects.values_list("period__kind", flat=True).distinct())
    assert {Period.Kind.MONTH, Period.Kind.QUARTER, Period.Kind.HALF, Period.Kind.YEAR} <= kinds


@pytest.mark.django_db
def test_second_build_writes_nothing(built, django_assert_max_num_queries):
    assert built.created and built.seed == 2024
    audit, values = AuditEntry.objects.count(), Value.objects.count()
    computed = sorted(Result.objects.values_list("computed_at", flat=True))
    with django_assert_max_num_queries(21):  # the marker, then the summary's counts (organisations included)
        again = build_demo(seed=99)
    assert not again.created
    assert again.seed == 2024  # the seed it was built with, not the one asked for now
    assert again.counts == built.counts
    assert again.accounts == built.accounts
    assert (AuditEntry.objects.count(), Value.objects.count()) == (audit, values)
    assert sorted(Result.objects.values_list("computed_at", flat=True)) == computed


@pytest.mark.django_db
def test_accounts_log_in_and_have_their_scopes(built, client, django_user_model):
    assert PASSWORD == "Jixiao-Demo-2024"
    users = {a.username: django_user_model.objects.get(username=a.username) for a in built.accounts}
    assert all(u.check_password(PASSWORD) for u in users.values())
    scope = {name: scope_for_user(u) for name, u in users.items()}
    assert scope["office"].office
    county = set(Unit.objects.filter(parent__name="正定县人民政府").values_list("id", flat=True))
    bureau = Unit.objects.get(name="浏阳市财政局")
    assert county <= scope["leader"].view_units and not scope["leader"].sees_unit(bureau.pk)
    fgld = {Unit.objects.get(pk=u).name for u in scope["fgld"].view_units}
    assert "县财政局" in fgld and "南牛乡" not in fgld and len(fgld) == 5
    nanniu = Unit.objects.get(name="南牛乡")
    assert scope["nanniu_tb"].can_report(nanniu.pk, "") and not scope["nanniu_tb"].can_report(nanniu.pk, "县统计局")
    assert scope["tjj_tb"].can_report(nanniu.pk, "县统计局") and not scope["tjj_tb"].can_report(nanniu.pk, "县财政局")
    assert scope["czj_tb"].reports_source("县财政局")
    assert scope["lyczj_jz"].sees_unit(Unit.objects.get(name="预算股", parent=bureau).pk)
    staff = users["lyczj_zhangmin"]
    own = AssessedObject.objects.get(person__user=staff)
    other = AssessedObject.objects.filter(category__code="geren").exclude(pk=own.pk).first()
    s = scope["lyczj_zhangmin"]
    assert s.sees_object(own.unit_id, own.person_id) and not s.sees_object(other.unit_id, other.person_id)
    response = client.post("/login/", {"username": "tjj_tb", "password": PASSWORD})
    assert response.status_code == 302 and "/login/" not in response["Location"]


@pytest.mark.django_db
def test_every_category_has_graded_results(built):
    for cat in ("xiangzhen", "bumen", "gucheng", "keshi", "zhengzhi", "geren"):
        members = AssessedObject.objects.filter(category__code=cat).count()
        results = Result.objects.filter(category=cat)
        assert results.count() == members, cat
        assert not results.filter(grade="").exists(), cat
        assert not results.filter(total__isnull=True).exists(), cat
        grades = set(results.values_list("grade", flat=True))
        assert len(grades) >= 2, (cat, grades)  # not everyone gets the same grade
        assert results.filter(rank=1).exists()


@pytest.mark.django_db
def test_veto_forces_the_grade(built):
    r = Result.objects.get(object__code="syjj")
    assert r.vetoed and "veto:sdbhg" in r.flags
    assert r.grade == "不合格"
    assert r.total >= 60  # on points alone it would have passed: the grade is forced by the veto
    no_top = Result.objects.get(object__code="swj")  # a major accident only costs the 先进 place
    assert "veto:tdsg" in no_top.flags and not no_top.eligible_top and no_top.grade != "不合格"


@pytest.mark.django_db
def test_quotas_and_cross_level_rules_show(built):
    # 先进: 25% of the departments (8 of 32), all at or above 90
    top = Result.objects.filter(category="bumen", grade="先进")
    assert 8 <= top.count() <= 9 and min(top.values_list("total", flat=True)) >= 90
    assert Result.objects.filter(category="xiangzhen", grade="先进").count() == 2
    restoration = Result.objects.filter(category="gucheng", grade="先进")  # 3–5 units at or above 95
    assert 3 <= restoration.count() <= 5 and min(restoration.values_list("total", flat=True)) >= 95
    # the section that fails costs its staff their excellent places
    failed = Result.objects.get(category="keshi", grade="不合格")
    staff = Result.objects.filter(object__parent_id=failed.object_id)
    assert staff.exists() and not staff.filter(eligible_top=True).exists()
    assert not staff.filter(grade="优秀").exists()
    # a unit under 60 among the last three is reported to the cadre office
    reported = [r for r in Result.objects.filter(category="bumen") if "bottom_report" in r.flags]
    assert reported and all(r.total < 60 and r.rank >= r.group_size - 2 for r in reported)


@pytest.mark.django_db
def test_closed_period_refuses_writes(built, django_user_model):
    q1 = Period.objects.get(assessment__code="zhengding-2024", code="2024-Q1")
    assert not q1.is_open
    office = django_user_model.objects.get(username="office")
    obj = AssessedObject.objects.get(code="zfb")
    with pytest.raises(PeriodClosed):
        value_save(actor=office, scope=scope_for_user(office), period=q1, obj=obj, indicator="gzpg",
                   variable="value", value=Decimal("99"))
    closed = set(Period.objects.filter(status=Period.Status.CLOSED).values_list("assessment__code", "code"))
    assert ("zhengding-2024", "2024-mid") in closed and ("liuyang-czj-2024", "2024-Q3") in closed
    assert ("zhengding-2024", "2024-end") not in closed and ("liuyang-czj-2024", "2024-Q4") not in closed


@pytest.mark.django_db
def test_recording_rates_differ_by_unit(built):
    end = Period.objects.get(assessment__code="zhengding-2024", code="2024-end")
    counting = {}
    for code in ("czj", "nkb", "kjj", "jyj", "zfb"):
        counting[code] = Value.objects.filter(period=end, object__code=code, status__in=Value.COUNTING).count()
    # czj and zfb are complete; the others miss one data-source indicator or hold only a draft
    assert counting["czj"] == counting["zfb"]
    assert all(counting[c] < counting["czj"] for c in ("nkb", "kjj", "jyj"))
    dec = Period.objects.get(assessment__code="zhengding-2024", code="2024-12")
    reported = set(Value.objects.filter(period=dec).values_list("object__code", flat=True))
    assert {"zdz", "cqjd"}.isdisjoint(reported) and "fgj" in reported
    # values of closed periods were verified before closing
    assert not Value.objects.filter(period__status=Period.Status.CLOSED).exclude(
        status=Value.Status.VERIFIED).exists()


@pytest.mark.django_db
def test_the_county_and_the_bureau_are_two_organisations(built):
    from jixiao.org.models import Organisation, RoleGrant

    assert built.counts["organisations"] == 2
    county, bureau = Organisation.objects.get(code="zhengding"), Organisation.objects.get(code="lyczj")
    assert (county.name, bureau.name) == ("正定县人民政府", "浏阳市财政局")
    assert Unit.objects.get(code="nanniu").organisation == county
    assert {u.organisation for u in Unit.objects.filter(code__startswith="lyczj")} == {bureau}
    assert Unit.objects.get(code="liuyang").organisation == bureau
    assert set(Assessment.objects.values_list("code", "organisation__code")) == {
        ("zhengding-2024", "zhengding"), ("liuyang-czj-2024", "lyczj"), ("caiyuan-2024", "zhengding")}
    # The office admin works in both; every other account in one.
    office = set(RoleGrant.objects.filter(user__username="office").values_list("organisation__code", flat=True))
    assert office == {"zhengding", "lyczj"}
    for username in ("leader", "nanniu_tb", "tjj_tb"):
        assert set(RoleGrant.objects.filter(user__username=username).values_list("organisation__code",
                                                                                  flat=True)) == {"zhengding"}
    for username in ("lyczj_jz", "lyczj_zhangmin"):
        assert set(RoleGrant.objects.filter(user__username=username).values_list("organisation__code",
                                                                                  flat=True)) == {"lyczj"}


@pytest.mark.django_db
def test_finance_bureau_budget_performance_year(built):
    """The bureau's 2024 budget performance (jixiao.demo.budget): 30 approved projects over its 11
    sections and one the ex-ante assessment did not support, a year of monthly execution, two red
    projects (one marked for correction, one suspended) graded 差 and cut, every project evaluated."""
    import datetime as dt

    from django.contrib.auth.models import User

    from jixiao.budget import selectors as bsel
    from jixiao.budget.models import Execution, Project
    from jixiao.org.models import Organisation

    org = Organisation.objects.get(code="lyczj")
    scope = scope_for_user(User.objects.get(username="office"), organisation_id=org.pk)
    projects = Project.objects.filter(organisation=org, year=2024)
    assert projects.count() == 31 and projects.filter(budget_entered=True).count() == 30
    assert projects.values("unit").distinct().count() == 11
    assert Execution.objects.filter(project__organisation=org).count() == 30 * 12
    lights = [r.light for r in bsel.board(scope, 2024, dt.date(2024, 12, 31))]
    assert lights.count("red") == 2
    rows = bsel.results(scope, 2024)
    assert all(r.final is not None for r in rows)
    cut = [r for r in rows if r.final and r.final.grade == "差"]
    assert {r.project.mark for r in cut} == {"correct", "suspend"}
    assert all(r.proposed == (r.project.amount * Decimal("0.9")).quantize(Decimal("0.01")) for r in cut)
    assert any(r.gap is not None for r in rows) and any("external" in r.evals for r in rows)


def test_catalogue_shared_and_crafted_town_flagged(built):
    """The data catalogue: two assessments share the bureaus' figures, one correction reached both,
    and 北早现乡 trips every flag the demo's data can show."""
    from jixiao.collection.models import Value
    from jixiao.datatrust.models import Figure
    from jixiao.datatrust.selectors import figure_lineage, flags_review
    from jixiao.org.selectors import scope_for_user
    from jixiao.schemes.models import Assessment

    revenue = Figure.objects.get(code="czsr")
    uses = figure_lineage(revenue)
    assert {u.binding.assessment.code for u in uses} == {"zhengding-2024", "caiyuan-2024"}
    corrected = Value.objects.filter(object__unit__code="nanniu", indicator="czsr", variable="value",
                                       period__code="2024-end")
    assert corrected.count() == 2 and len({v.value for v in corrected}) == 1
    assert all("更正" in v.note for v in corrected)

    office = scope_for_user(Figure.objects.get(code="czsr").owner, organisation_id=revenue.organisation_id)
    rows, _ = flags_review(scope=office, assessment=Assessment.objects.get(code="caiyuan-2024"))
    crafted = {r.rule for r in rows if r.value.object.code == "beizaoxian-cy"}
    assert crafted >= {"at_target", "jump_pop", "identical", "last_minute", "zero_incidents"}
    # Elsewhere only the two towns that share the crafted investment figure (its level jumps too).
    others = {(r.value.object.code, r.value.indicator) for r in rows if r.value.object.code != "beizaoxian-cy"}
    assert others == {("nanlou-cy", "gdzc"), ("quyangqiao-cy", "gdzc")}
