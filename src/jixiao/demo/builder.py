"""The demo data set: ``build_demo(seed=…)`` builds, through the services, the county of DOMAIN.md
(seed 001 Zhengding: 7 towns, 32 departments, 9 old-town restoration units) with a year of data
and its supervised matters (督办事项 and 整改事项: those of 2024 feeding the scores, and live ones
around the day of the build, :mod:`jixiao.demo.supervision`), and a finance bureau (seed 000
Liuyang) with 11 sections and 60 staff scored each quarter.

It is idempotent: when the county's assessment exists it returns the summary without writing.
The same seed gives the same data (the live matters: on the same day). ``manage.py demo_load``
and the end-to-end tests use it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Count

from jixiao.collection.models import Ballot, Incident, Reminder, Value
from jixiao.core import clock
from jixiao.demo import budget, county_data, datatrust, evaluations, finance, planning, supervision
from jixiao.demo import county as county_org
from jixiao.demo.common import PASSWORD, Ctx, DemoAccount, Session
from jixiao.org import services as org
from jixiao.org.models import AssessedObject, Organisation, Person, RoleGrant, Unit
from jixiao.org.selectors import scope_for_user
from jixiao.schemes.models import Assessment, Period, SchemeVersion
from jixiao.scoring.models import Result
from jixiao.scoring.recompute import results_refresh
from jixiao.supervision.models import Extension, Matter
from jixiao.supervision.selectors import lights_for
from jixiao.supervision.services.scores import supervision_values_sync

__all__ = ["ACCOUNTS", "PASSWORD", "DemoAccount", "DemoSummary", "build_demo", "demo_summary"]

R = RoleGrant.Role
MARKER = county_org.ASSESSMENT  # the demo is loaded when this assessment exists
ASSESSMENTS = (county_org.ASSESSMENT, finance.ASSESSMENT)
ORGANISATIONS = (("zhengding", "正定县人民政府"), ("lyczj", "浏阳市财政局"))  # (code, name), independent tenants

ACCOUNTS = (
    DemoAccount("office", "绩效办管理员", R.OFFICE_ADMIN,
                "正定县人民政府和浏阳市财政局两个组织（一次在一个组织中工作，可切换）的全部单位、方案和数据；"
                "审核数据、审批加减分、关闭考核期"),
    DemoAccount("leader", "县长", R.LEADER, "正定县人民政府及全部下属单位（乡镇、部门、古城风貌恢复单位）"),
    DemoAccount("fgld", "分管副县长", R.LEADER,
                "分管的 " + "、".join(dict(county_org.DEPARTMENTS)[c] for c in county_org.FGLD_UNITS)),
    DemoAccount("nanniu_tb", "南牛乡填报员", R.UNIT_REPORTER,
                "南牛乡：本乡自填指标（农村生活垃圾集中处理覆盖村数）、加分申报"),
    DemoAccount("nanniu_fzr", "南牛乡乡长", R.UNIT_HEAD, "南牛乡：本乡全部数据和结果"),
    DemoAccount("jyj_tb", "县教育局填报员", R.UNIT_REPORTER,
                "县教育局：本局自填指标（上级业务主管部门考核指标达标数）"),
    DemoAccount("tjj_tb", "县统计局填报员", R.SOURCE_REPORTER,
                "数据来源县统计局：各乡镇固定资产投资、各部门公众评估满意度；本局督办事项的签收和反馈"),
    DemoAccount("czj_tb", "县财政局填报员", R.SOURCE_REPORTER,
                "数据来源县财政局：各乡镇全部财政收入、各部门争取上级资金；本局督办事项的签收和反馈"),
    DemoAccount("lyczj_jz", "浏阳市财政局局长（谭志远）", R.UNIT_HEAD,
                "浏阳市财政局：全部股室和干部的考核数据与结果"),
    DemoAccount("lyczj_zhangmin", "张敏（办公室科员）", R.STAFF, "本人的考核结果（中层副职和一般人员）"),
)
GRANTS = {  # username → unit codes of its role grants
    "leader": [county_org.ROOT[0]], "fgld": county_org.FGLD_UNITS, "nanniu_tb": ["nanniu"],
    "nanniu_fzr": ["nanniu"], "jyj_tb": ["jyj"], "tjj_tb": ["tjj"], "czj_tb": ["czj"],
    "lyczj_jz": [finance.BUREAU[0]], "lyczj_zhangmin": ["lyczj-bgs"],
}
# The data-source reporters of these bureaus are also their bureau's supervision liaisons (督办联络员):
# they sign for and report on the matters their bureau leads.
LIAISON_GRANTS = {"tjj_tb": "tjj", "czj_tb": "czj"}
PEOPLE = {"lyczj_jz": (finance.BUREAU[0], "谭志远"), "lyczj_zhangmin": ("lyczj-bgs", "张敏")}  # (unit, name)


@dataclass(frozen=True)
class DemoSummary:
    """What the demo holds: whether this call built it, the seed, the logins and the counts."""

    created: bool
    seed: int | None
    password: str
    accounts: tuple[DemoAccount, ...]
    counts: dict[str, int]
    seconds: float = 0.0


def build_demo(*, seed: int = 2024) -> DemoSummary:
    """Build the demo data set once; later calls return its summary and write nothing."""
    if Assessment.objects.filter(code=MARKER).exists():
        return demo_summary(created=False)
    started = time.perf_counter()
    with transaction.atomic():
        _build(seed)
    # Every write recorded its ledger change; score them now, whichever task backend is set (the
    # immediate one has already done it on commit, and this finds nothing left).
    for aid in Assessment.objects.values_list("id", flat=True):
        results_refresh(assessment_id=aid)
    return demo_summary(created=True, seed=seed, seconds=time.perf_counter() - started)


def _build(seed: int) -> None:
    office = org.account_create(actor=None, username="office", password=PASSWORD, display_name="绩效办管理员")
    # Two independent organisations; the office admin works in both, one at a time (the county first).
    county_org_ = org.organisation_create(actor=None, code=ORGANISATIONS[0][0], name=ORGANISATIONS[0][1], position=1)
    bureau_org = org.organisation_create(actor=None, code=ORGANISATIONS[1][0], name=ORGANISATIONS[1][1], position=2)
    for o in (county_org_, bureau_org):
        org.grant_add(actor=None, user=office, role=R.OFFICE_ADMIN, organisation=o)
    ctx = Ctx(office=Session(user=office, scope=scope_for_user(office, organisation_id=county_org_.pk)))
    county_units = county_org.build_units(ctx, county_org_)
    bureau = finance.build_bureau(ctx, bureau_org, seed=seed)
    units = {u.code: u for u in Unit.objects.filter(code__in={c for cs in GRANTS.values() for c in cs})}
    for spec in ACCOUNTS[1:]:
        person = None
        if spec.username in PEOPLE:
            unit, name = PEOPLE[spec.username]
            person = Person.objects.get(unit__code=unit, name=name)
        ctx.account(spec, units=[units[c] for c in GRANTS[spec.username]], person=person)
    for username, code in LIAISON_GRANTS.items():
        session = ctx.sessions[username]
        org.grant_add(actor=office, user=session.user, role=R.UNIT_REPORTER, unit=units[code])
        session.scope = scope_for_user(session.user)
    # The county head chairs the assessment leadership group (考核领导小组), which approves results.
    org.grant_add(actor=office, user=ctx.sessions["leader"].user, role=R.LEADER_GROUP, organisation=county_org_)
    ctx.sessions["leader"].scope = scope_for_user(ctx.sessions["leader"].user)

    # Independent streams, so a change to one part of the data does not reshuffle the others.
    # The 2024 matters come before the assessment: their steps have no indicator to feed yet, and
    # one count at the year's end (below) writes what the daily job would have.
    supervision.supervision_history(ctx, county_units.units, np.random.default_rng([seed, 4]))
    county = county_org.build_assessment(ctx, county_units, seed=seed)
    strength = county_data.county_strengths(county, np.random.default_rng([seed, 0]))
    county_data.county_values(ctx, county, np.random.default_rng([seed, 1]), strength)
    county_data.county_ballots(ctx, county, np.random.default_rng([seed, 2]), strength)
    county_data.county_incidents(ctx, county)
    county_data.county_reminders(ctx, county)
    planning.planning_demo(ctx, county, np.random.default_rng([seed, 6]))
    supervision_values_sync(today=supervision.SYNC_DAY, assessments=[county.assessment])  # before any period closes
    finance.bureau_data(ctx, bureau, np.random.default_rng([seed, 3]))
    county_data.county_close(ctx, county)
    finance.bureau_close(ctx, bureau)
    # The data catalogue shared with a monthly special assessment, and a town that trips the flags.
    datatrust.datatrust_demo(ctx, county, np.random.default_rng([seed, 7]), clock.today())
    evaluations.county_campaign(ctx, county)
    evaluations.bureau_campaign(ctx, bureau)
    budget.budget_demo(ctx, bureau, np.random.default_rng([seed, 7]))
    # Live matters around the day the demo is built (their deadlines lie outside 2024: no score moves).
    supervision.supervision_live(ctx, county.units, np.random.default_rng([seed, 5]), clock.today())


def _supervision_counts() -> dict[str, int]:
    """Matters by kind, the open ones, the red lights today, extensions waiting for a leader."""
    kinds = dict(Matter.objects.values_list("kind").annotate(n=Count("id")).order_by())
    open_ids = list(Matter.objects.filter(state__in=Matter.OPEN).values_list("id", flat=True))
    lights = lights_for(open_ids) if open_ids else {}
    return {
        "matters": kinds.get(Matter.Kind.SUPERVISION, 0),
        "rectifications": kinds.get(Matter.Kind.RECTIFICATION, 0),
        "matters_open": len(open_ids),
        "matters_red": sum(1 for light in lights.values() if light == "red"),
        "extensions_pending": Extension.objects.filter(status=Extension.Status.PENDING).count(),
        "values_supervision": Value.objects.filter(changes__via="supervision").distinct().count(),
    }


def _stored_seed() -> int | None:
    note = (SchemeVersion.objects.filter(scheme__code="zhengding", number=1).values_list("note", flat=True)
            .first()) or ""
    m = re.search(r"(?:随机种子|seed) (\d+)", note)
    return int(m[1]) if m else None


def demo_summary(*, created: bool, seed: int | None = None, seconds: float = 0.0) -> DemoSummary:
    """The summary of the loaded demo, read from the database."""
    assessments = Assessment.objects.filter(code__in=ASSESSMENTS)
    values = Value.objects.filter(assessment__in=assessments)
    incidents = Incident.objects.filter(assessment__in=assessments)
    counts = {
        "organisations": Organisation.objects.count(),
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "objects": AssessedObject.objects.count(),
        "values": values.count(),
        "values_draft": values.filter(status=Value.Status.DRAFT).count(),
        "values_returned": values.filter(status=Value.Status.RETURNED).count(),
        "incidents": incidents.count(),
        "incidents_pending": incidents.filter(status=Incident.Status.PENDING).count(),
        "ballots": Ballot.objects.filter(assessment__in=assessments).count(),
        "reminders": Reminder.objects.filter(assessment__in=assessments).count(),
        "results": Result.objects.filter(assessment__in=assessments).count(),
        "periods_closed": Period.objects.filter(assessment__in=assessments, status=Period.Status.CLOSED).count(),
    }
    counts.update(_supervision_counts())
    for cat, n in (AssessedObject.objects.values_list("category__code").annotate(n=Count("id"))
                   .order_by("category__code")):
        counts[f"objects:{cat}"] = n
    return DemoSummary(created=created, seed=seed if seed is not None else _stored_seed(), password=PASSWORD,
                       accounts=ACCOUNTS, counts=counts, seconds=seconds)
