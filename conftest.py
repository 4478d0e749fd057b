"""Shared test set-up: Hypothesis profiles, and for the Django apps a named cast of users.

The cast (a small county with two towns and a statistics bureau) is built through the services,
so tests exercise the one write path. ``demo`` (the full demo data set) is the end-to-end fixture.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

_quiet = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True, suppress_health_check=_quiet)
settings.register_profile("dev", max_examples=60, deadline=None, suppress_health_check=_quiet)
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=_quiet)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

def pytest_configure(config: pytest.Config) -> None:
    """A fast password hasher: the default one costs ~0.7 s per account on this kind of machine."""
    config.addinivalue_line("markers", "postgres: a PostgreSQL behaviour (row locks between concurrent writers); "
                                       "run by `make test-postgres`, deselected on SQLite")
    from django.conf import settings as dj

    if dj.configured or os.environ.get("DJANGO_SETTINGS_MODULE"):
        dj.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _commit_hooks_inside_test_transactions() -> Any:
    """Run ``on_commit`` hooks when a service's own transaction ends inside a test's.

    A test wrapped in a transaction (pytest-django's ``db``) never commits, so Django would never
    run the hooks that production runs after each write's commit, such as the request for the
    coalescing recompute. Here, when an atomic block exits and only the test's own blocks remain,
    the hooks registered so far run: what production does at that commit. Rolled-back blocks have
    already dropped their hooks, as in production.
    """
    from django.db import transaction

    original = transaction.Atomic.__exit__

    def exit_then_hooks(self: Any, exc_type: Any, exc_value: Any, traceback: Any) -> Any:
        out = original(self, exc_type, exc_value, traceback)
        conn = transaction.get_connection(self.using)
        if (exc_type is None and conn.in_atomic_block and conn.run_on_commit and not conn.needs_rollback
                and all(getattr(b, "_from_testcase", False) for b in conn.atomic_blocks)):
            hooks, conn.run_on_commit = conn.run_on_commit, []
            for _sids, func, robust in hooks:
                if robust:
                    try:
                        func()
                    except Exception:  # a robust hook's failure is logged by Django, not raised
                        import logging

                        logging.getLogger("django.db.backends.base").exception("on_commit hook failed")
                else:
                    func()
        return out

    transaction.Atomic.__exit__ = exit_then_hooks  # type: ignore[method-assign]
    yield
    transaction.Atomic.__exit__ = original  # type: ignore[method-assign]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of PostgreSQL's locking run in the PostgreSQL pass only (``make test-postgres``, which
    CI runs and where a missing server fails): on SQLite, one write transaction at a time is the
    design, and its in-memory test database cannot even hold two connections' transactions."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    keep = [i for i in items if i.get_closest_marker("postgres") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i.get_closest_marker("postgres") is not None])
        items[:] = keep


MINI = Path(__file__).parent / "src" / "jixiao" / "demo" / "schemes" / "mini.yaml"
PASSWORD = "cast-password-1"


@dataclass
class Cast:
    """The people every web test can use, with what they may touch."""

    office: Any  # 绩效办管理员: everything
    reporter: Any  # 东镇 unit reporter: 东镇's own indicators
    leader: Any  # 分管领导 overseeing 东镇 only
    stats: Any  # 县统计局 data-source reporter: the `tax` indicator for every town
    outsider: Any  # an account with no role at all
    county: Any
    east: Any  # Unit 东镇
    west: Any  # Unit 西镇
    stats_unit: Any
    east_obj: Any  # AssessedObject
    west_obj: Any
    assessment: Any
    q1: Any  # Period 2024-Q1
    q2: Any


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Uploads of each test land in its own temporary directory (through pytest-django's
    ``settings`` fixture, so the file storage sees the change)."""
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db") or any(
            f in request.fixturenames for f in ("db", "transactional_db", "cast", "demo", "live_server")):
        request.getfixturevalue("settings").MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def cast(db: None) -> Cast:
    from jixiao.org import services as org
    from jixiao.org.models import Category, RoleGrant, Unit
    from jixiao.schemes import services as sch

    sys = None
    county = org.unit_create(actor=sys, code="county", name="测试县人民政府", kind=Unit.Kind.GOVERNMENT)
    east = org.unit_create(actor=sys, code="east", name="东镇", kind=Unit.Kind.TOWN, parent=county)
    west = org.unit_create(actor=sys, code="west", name="西镇", kind=Unit.Kind.TOWN, parent=county)
    stats_unit = org.unit_create(actor=sys, code="tjj", name="县统计局", kind=Unit.Kind.DEPARTMENT, parent=county)
    town = org.category_create(actor=sys, code="town", name="乡镇", subject=Category.Subject.UNIT)
    east_obj = org.object_create(actor=sys, code="east", name="东镇", category=town, unit=east)
    west_obj = org.object_create(actor=sys, code="west", name="西镇", category=town, unit=west)

    def account(username: str, role: str | None, unit: Any = None) -> Any:
        user = org.account_create(actor=sys, username=username, password=PASSWORD, display_name=username)
        if role:
            org.grant_add(actor=sys, user=user, role=role, unit=unit)
        return user

    office = account("office", RoleGrant.Role.OFFICE_ADMIN)
    reporter = account("east_reporter", RoleGrant.Role.UNIT_REPORTER, east)
    leader = account("leader", RoleGrant.Role.LEADER, east)
    stats = account("stats", RoleGrant.Role.SOURCE_REPORTER, stats_unit)
    outsider = account("outsider", None)
    version = sch.scheme_create(actor=sys, code="mini", name="测试方案", text=MINI.read_text(encoding="utf-8"))
    sch.scheme_version_adopt(actor=sys, version=version)
    assessment = sch.assessment_create(actor=sys, code="mini-2024", name="测试县2024年度考核", year=2024,
                                       version=version)
    q1 = assessment.periods.get(code="2024-Q1")
    q2 = assessment.periods.get(code="2024-Q2")
    return Cast(office=office, reporter=reporter, leader=leader, stats=stats, outsider=outsider, county=county,
                east=east, west=west, stats_unit=stats_unit, east_obj=east_obj, west_obj=west_obj,
                assessment=assessment, q1=q1, q2=q2)


@dataclass
class OtherOrg:
    """A second, independent organisation beside the cast's county (a city finance bureau), and an
    office admin of both organisations."""

    organisation: Any  # Organisation 测试市财政局
    root: Any  # its root unit
    section: Any  # Unit 预算科
    obj: Any  # AssessedObject of 预算科
    office: Any  # 绩效办管理员 of the city only
    reporter: Any  # 预算科 unit reporter
    both: Any  # 绩效办管理员 of the county and the city
    assessment: Any  # city-2024 on the mini scheme (its category renamed city-ks)


@pytest.fixture
def other_org(cast: Cast) -> OtherOrg:
    from jixiao.org import services as org
    from jixiao.org.models import RoleGrant, Unit
    from jixiao.schemes import services as sch

    sys = None
    city = org.organisation_create(actor=sys, code="city", name="测试市财政局")
    root = org.unit_create(actor=sys, code="city", name="测试市财政局机关", kind=Unit.Kind.GOVERNMENT,
                           organisation=city)
    section = org.unit_create(actor=sys, code="city-ysk", name="预算科", kind=Unit.Kind.SECTION, parent=root)
    cat = org.category_create(actor=sys, code="city-ks", name="科室", organisation=city)
    obj = org.object_create(actor=sys, code="city-ysk", name="预算科", category=cat, unit=section)

    def account(username: str) -> Any:
        return org.account_create(actor=sys, username=username, password=PASSWORD, display_name=username)

    office = account("city_office")
    org.grant_add(actor=sys, user=office, role=RoleGrant.Role.OFFICE_ADMIN, organisation=city)
    reporter = account("city_reporter")
    org.grant_add(actor=sys, user=reporter, role=RoleGrant.Role.UNIT_REPORTER, unit=section)
    both = account("both_office")
    org.grant_add(actor=sys, user=both, role=RoleGrant.Role.OFFICE_ADMIN, organisation=cast.county.organisation)
    org.grant_add(actor=sys, user=both, role=RoleGrant.Role.OFFICE_ADMIN, organisation=city)
    text = MINI.read_text(encoding="utf-8").replace("code: town", "code: city-ks").replace("code: mini-2024",
                                                                                          "code: city-2024")
    version = sch.scheme_create(actor=sys, code="city-mini", name="测试市财政局方案", text=text, organisation=city)
    sch.scheme_version_adopt(actor=sys, version=version)
    assessment = sch.assessment_create(actor=sys, code="city-2024", name="测试市财政局2024年度考核", year=2024,
                                       version=version)
    return OtherOrg(organisation=city, root=root, section=section, obj=obj, office=office, reporter=reporter,
                    both=both, assessment=assessment)


def scope_of(user: Any) -> Any:
    from jixiao.org.selectors import scope_for_user

    return scope_for_user(user)


@pytest.fixture
def scope() -> Any:
    """``scope(user)`` → the user's resolved Scope."""
    return scope_of


# --- Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser) -------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Any:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous, which this flag allows.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Any:
    # Playwright's wait_for_function evaluates its string with eval, which the site's
    # Content-Security-Policy forbids; the policy itself is tested in a context that keeps it
    # (src/jixiao/project/tests/test_browser_csp.py).
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base = live_server.url
    yield pg
    context.close()


def browser_login(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def demo(db: None, settings: Any) -> Any:
    """The full demo data set (``jixiao.demo.builder.build_demo``, seed 2024) for one test; returns
    its ``DemoSummary`` (accounts, all with password ``Jixiao-Demo-2024``, and counts).

    Building takes a few seconds, most of it spent hashing the ten passwords, so the test hashes
    with a fast hasher. Do not combine with ``cast``: both create the accounts ``office`` and
    ``leader`` and the unit ``tjj``.
    """
    from jixiao.demo.builder import build_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_demo()


# --- The security checklist line (jixiao.core.checklist): `security checklist: N/38 items hold` ------

_CHECKLIST: dict[str, str] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Each item check's outcome (also the workers' reports under xdist, seen by the controller)."""
    if "test_item_" not in report.nodeid:
        return
    if report.when == "call" or report.outcome != "passed":
        previous = _CHECKLIST.get(report.nodeid)
        if previous != "failed":
            _CHECKLIST[report.nodeid] = "failed" if report.outcome == "failed" else report.outcome


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if hasattr(terminalreporter.config, "workerinput"):
        return
    from jixiao.core.checklist import ITEMS, PARTIAL, TITLES, item_of, tally

    hold, failing = tally(_CHECKLIST)
    if not _CHECKLIST:
        return
    if failing:
        terminalreporter.write_line("security checklist: failing items " + ", ".join(
            f"{n} {TITLES[n]}" for n in failing))
    ran = {item_of(n) for n in _CHECKLIST}
    for n in sorted(PARTIAL.keys() & ran - set(failing)):
        terminalreporter.write_line(f"security checklist: item {n} {TITLES[n]} only partly checked: {PARTIAL[n]}")
    terminalreporter.write_line(f"security checklist: {len(hold)}/{ITEMS} items hold")


@pytest.fixture(scope="session", autouse=True)
def _audit_triggers_around_flush() -> Any:
    """The audit tables are append-only by database triggers (jixiao.audit.triggers), and closed
    periods refuse ledger writes by others (jixiao.collection.closed_triggers). Tests that
    commit (live_server, transactional_db) are cleaned by Django's flush, which empties every
    table: the triggers are dropped for the flush and put back after it. Never done in production."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush

    def flush(self: Any, sql_list: Any) -> None:
        from jixiao.audit import triggers
        from jixiao.collection import closed_triggers

        vendor = self.connection.vendor
        for t in (triggers, closed_triggers):
            t.run(self.connection, t.drop_sql(vendor))
        try:
            original(self, sql_list)
        finally:
            for t in (triggers, closed_triggers):
                t.run(self.connection, t.create_sql(vendor))

    BaseDatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _rate_limit_counters_fresh() -> Any:
    """Each test starts with empty rate-limit counters (jixiao.core.ratelimit): the local-memory
    cache outlives a test, and one test's requests must not count against the next one's."""
    from django.core.cache import caches

    caches["ratelimit"].clear()
    yield
