"""``manage.py bench_scale``: the city-size year in a database of its own, behind the production server.

The year is the engine bench's (:mod:`jixiao.benchmarks.engine`: 81 units and 32,000 staff in
three ranking groups, 30 indicators in three weighted groups, 12 months, the same seeded
numbers), stored as the application stores it: a scheme version, an assessment with its periods,
the organisation (units, people, assessed objects) and every value verified in the ledger. Its
manual-score indicators (ballots in the application) are typed as values out of 10 instead, so
every indicator is a value and the ledger holds ``(units + staff) × 30 × 12`` of them.

Steps, each bounded in count and time:

1. **scratch database**: with ``DATABASE_URL`` a database ``jixiao_bench_<pid>`` created on that
   server (never the one the URL names), else a SQLite file in a temporary directory; migrated;
   dropped or deleted at the end, also on failure or Ctrl-C (``JIXIAO_BENCH_KEEP=1`` keeps it, to run a
   step again by hand: ``DATABASE_URL=…/jixiao_bench_<pid> python -m jixiao.benchmarks.scale recompute '{}'``);
2. **build**: units, people and objects by ``bulk_create``, the ~11.5 M values by the database's
   bulk path (PostgreSQL ``COPY … FROM STDIN``; SQLite ``executemany`` in one transaction), then
   ``VACUUM ANALYZE`` on PostgreSQL (the state autovacuum leaves a loaded table in);
3. **full recompute** in a fresh process, twice: first from the values table (no ledger pages
   exist yet; it writes them), then as after a scheme change on a live system, from the ledger
   pages (:mod:`jixiao.scoring.ledger_pages`) — the figure held against the target. Each: the
   ledger loaded into the engine (``ledger_view`` + ``load_dataset``), scored (``score``), written
   (``results_store`` and the pages), timed apart, and the process's peak resident memory;
4. **the production server**: gunicorn (``jixiao.project.gunicorn_conf``, ``--web-workers`` sync
   workers) on a free loopback port and one ``db_worker`` (``JIXIAO_TASKS=database``), DEBUG off;
   then, from a client process with its own database connection:

   - the cockpit of the staff category and one staff member's explanation page, first view in the
     fresh server processes, then the median of later views (as the office, by session);
   - ``--saves`` sequential single-value PUTs (``/api/values/<id>/``, with the version read) on
     random staff values: the client's round trip on loopback (``save_p95_ms``) and gunicorn's own
     request time from its access log (``save_server_p95_ms``);
   - ten saves that move a person's total, each timed until the stored result shows the new
     total (``save_visible_s``: the slowest; the median is reported too);
   - ``--writers`` threads with a token each, for ``--seconds``, each PUTting values of its own
     objects (409 → read the fresh version, retry): saves/s, p50/p95, 5xx, and every value's final
     state compared with the last save each writer was told succeeded (``lost_updates``).

The last line printed with ``--json`` is one JSON object with the keys of :data:`KEYS` (a figure
not measured is null), plus extras (``load_s``, ``score_s``, ``write_s``, ``build_s``…).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from jixiao.benchmarks.common import percentile, setup

KEYS = ("database", "staff", "values", "full_recompute_s", "full_recompute_peak_mb", "save_p95_ms", "save_visible_s",
        "cockpit_first_ms", "explain_ms", "writers_saves_per_s", "writers_5xx", "lost_updates")
TARGETS = {"full_recompute_s": "≤ 8 s", "full_recompute_peak_mb": "≤ 3072 MB", "save_p95_ms": "< 100 ms",
           "save_visible_s": "< 2 s", "cockpit_first_ms": "< 1000 ms", "explain_ms": "< 1000 ms",
           "writers_saves_per_s": "≥ 200", "writers_5xx": "0", "lost_updates": "0"}

ASSESSMENT = "bench-city-2026"
SCHEME = "bench-city"
OFFICE = "bench-office"
WRITER = "bench-w{:02d}"
YEAR = 2026
STAFF_LEVELS = ("head", "deputy", "staff")  # Person.Level of the three ranking groups, in order
VALUE_COLUMNS = ("assessment_id", "period_id", "object_id", "indicator", "variable", "value", "note", "status",
                 "return_reason", "version", "updated_at")
CHUNK = 500_000
VISIBLE_SAVES = 10
HTTP_TIMEOUT = 120.0


def say(msg: str) -> None:
    """Progress, on standard error (standard output is the report)."""
    print(msg, file=sys.stderr, flush=True)


# --- the scheme and the data ------------------------------------------------------------------------

def scheme_data() -> dict[str, Any]:
    """The engine bench's scheme, with its manual scores typed as values out of 10."""
    from jixiao.benchmarks.engine import bench_scheme

    data = bench_scheme().model_dump(mode="json", exclude_none=True)
    for cat in data["categories"]:
        for group in cat["indicators"]:
            for leaf in group["children"]:
                if leaf["rule"]["method"] == "manual":
                    leaf["rule"] = {"method": "ratio", "target": 10.0}
    return data


def scheme_text() -> str:
    import yaml

    return yaml.safe_dump(scheme_data(), allow_unicode=True, sort_keys=False)


def _ratio_leaves(category: str) -> list[str]:
    """Higher-is-better ratio indicators (a value set to 0 surely lowers the total)."""
    out = []
    for group in next(c for c in scheme_data()["categories"] if c["code"] == category)["indicators"]:
        for leaf in group["children"]:
            rule = leaf["rule"]
            if rule["method"] == "ratio" and not rule.get("lower_is_better") and rule["target"] == 100.0:
                out.append(leaf["code"])
    return out


# --- memory ------------------------------------------------------------------------------------------

def _status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_reset() -> bool:
    """Reset the process's peak resident size (Linux), so a later :func:`peak_mb` is this step's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def rss_mb() -> float:
    kb = _status_kb("VmRSS")
    return round((kb or 0) / 1024, 1)


def peak_mb() -> float:
    kb = _status_kb("VmHWM")
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / 1024, 1)


# --- step 2: build ---------------------------------------------------------------------------------

def build(*, units: int, staff: int, writers: int = 0) -> dict[str, Any]:
    """The city-size year in the current database (see the module docstring); counts and seconds."""
    import numpy as np
    import polars as pl
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from jixiao.api.services import api_token_create
    from jixiao.benchmarks.engine import STAFF_GROUPS, bench_data, bench_scheme
    from jixiao.collection.services.recording import recording_counts_rebuild
    from jixiao.org import services as org
    from jixiao.org.models import AssessedObject, Category, Person, RoleGrant, Unit
    from jixiao.schemes import services as sch
    from jixiao.schemes.models import Period

    t0 = time.perf_counter()
    tenant = org.organisation_create(actor=None, code="city", name="合成市人民政府")
    version = sch.scheme_create(actor=None, code=SCHEME, name="城市级合成年度", text=scheme_text(), organisation=tenant)
    sch.scheme_version_adopt(actor=None, version=version)
    cat_units = org.category_create(actor=None, code="units", name="市直单位", position=1, organisation=tenant)
    cat_staff = org.category_create(actor=None, code="staff", name="机关干部", subject=Category.Subject.PERSON,
                                    position=2, organisation=tenant)
    city = org.unit_create(actor=None, code="city", name="合成市人民政府", kind=Unit.Kind.GOVERNMENT,
                           organisation=tenant)
    Unit.objects.bulk_create([Unit(code=f"U{i:03d}", name=f"市直单位{i:03d}", kind=Unit.Kind.DEPARTMENT, level=2,
                                   parent=city, position=i, organisation=tenant) for i in range(units)],
                             batch_size=2000)
    unit_ids = list(Unit.objects.filter(parent=city).order_by("position").values_list("id", flat=True))
    Person.objects.bulk_create([Person(code=f"P{i:05d}", name=f"干部{i:05d}", unit_id=unit_ids[i % units],
                                       level=STAFF_LEVELS[i % 3]) for i in range(staff)], batch_size=2000)
    person_ids = dict(Person.objects.filter(unit__parent=city).values_list("code", "id"))
    AssessedObject.objects.bulk_create(
        [AssessedObject(code=f"U{i:03d}", name=f"市直单位{i:03d}", category=cat_units, group="units",
                        unit_id=unit_ids[i]) for i in range(units)]
        + [AssessedObject(code=f"S{i:05d}", name=f"干部{i:05d}", category=cat_staff, group=STAFF_GROUPS[i % 3],
                          unit_id=unit_ids[i % units], person_id=person_ids[f"P{i:05d}"]) for i in range(staff)],
        batch_size=2000)
    assessment = sch.assessment_create(actor=None, code=ASSESSMENT, name="城市级合成年度考核", year=YEAR,
                                       version=version)
    # The office (pages) and the API writers: office accounts with tokens, no usable password.
    users = User.objects.bulk_create(
        [User(username=name, first_name=name, password=make_password(None))
         for name in [OFFICE, *(WRITER.format(w) for w in range(writers))]])
    users = list(User.objects.filter(username__in=[u.username for u in users]))
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=RoleGrant.Role.OFFICE_ADMIN, organisation=tenant)
                                   for u in users])
    for u in users:
        api_token_create(actor=None, user=u, key=_bench_key(u.username), system="bench_scale")
    org_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    data = bench_data(bench_scheme(), units, staff)  # the engine bench's seeded numbers, same codes
    vals = data.values
    obj_codes = vals["object"].dtype.categories.to_list()  # type: ignore[attr-defined]  # an Enum
    oid = dict(AssessedObject.objects.filter(code__in=obj_codes).values_list("code", "id"))
    pid = dict(Period.objects.filter(assessment=assessment).values_list("code", "id"))
    obj_index = np.array([oid[c] for c in obj_codes], dtype=np.int64)
    per_index = np.array([pid[c] for c in vals["period"].dtype.categories.to_list()],  # type: ignore[attr-defined]
                         dtype=np.int64)
    frame = pl.DataFrame({
        "assessment_id": np.full(vals.height, assessment.pk, dtype=np.int64),
        "period_id": per_index[vals["period"].to_physical().to_numpy()],
        "object_id": obj_index[vals["object"].to_physical().to_numpy()],
        "indicator": vals["indicator"].cast(pl.String),
        "value": vals["value"],
    })
    del data, vals
    gen_s = time.perf_counter() - t1

    t2 = time.perf_counter()
    now = connection.ops.adapt_datetimefield_value(_now())
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy_values(frame, str(now))
        else:
            _insert_values(frame, now)
        # Loaded without history lines: count the recording rates' figures once, as a migration would.
        recording_counts_rebuild(assessment_id=assessment.pk)
    write_s = time.perf_counter() - t2
    t3 = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # What autovacuum does to a freshly loaded table (visibility map, planner statistics);
            # VACUUM cannot run inside a transaction (the test's), ANALYZE can.
            cur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    analyze_s = time.perf_counter() - t3
    return {"assessment": ASSESSMENT, "units": units, "staff": staff, "values": frame.height,
            "objects": units + staff, "periods": len(pid), "build_org_s": round(org_s, 2),
            "build_generate_s": round(gen_s, 2), "build_values_s": round(write_s, 2),
            "build_analyze_s": round(analyze_s, 2), "build_s": round(time.perf_counter() - t0, 2)}


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def _frame_for_db(frame: Any) -> Any:
    import polars as pl

    return frame.select(
        "assessment_id", "period_id", "object_id", "indicator", pl.lit("value").alias("variable"), "value",
        pl.lit("").alias("note"), pl.lit("verified").alias("status"), pl.lit("").alias("return_reason"),
        pl.lit(1).alias("version"))


def _copy_values(frame: Any, updated_at: str) -> None:
    """PostgreSQL: ``COPY collection_value FROM STDIN`` in CSV blocks written by Polars, with the
    table's secondary indexes and its foreign keys and unique constraint dropped for the load and
    made again from their own definitions afterwards (one sort per index instead of eight index
    inserts and three deferred foreign-key checks per row), all in the caller's transaction."""
    import io

    import polars as pl
    from django.db import connection

    cols = ", ".join(VALUE_COLUMNS)
    out = _frame_for_db(frame).with_columns(pl.lit(updated_at).alias("updated_at"))
    with connection.cursor() as cur:
        # Checks the transaction deferred so far run now: a table with pending ones cannot be altered.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = 'collection_value'::regclass AND contype IN ('f', 'u') ORDER BY conname")
        constraints = cur.fetchall()
        cur.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "WHERE i.indrelid = 'collection_value'::regclass AND NOT i.indisprimary AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1")
        indexes = cur.fetchall()
        for name, _ in constraints:
            cur.execute(f'ALTER TABLE collection_value DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cur.execute(f"DROP INDEX {name}")
        raw = cur.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY collection_value ({cols}) FROM STDIN (FORMAT csv)") as copy:
            for start in range(0, out.height, CHUNK):
                buf = io.BytesIO()
                out.slice(start, CHUNK).write_csv(buf, include_header=False, float_precision=2)
                copy.write(buf.getvalue())
        for _, definition in indexes:
            cur.execute(definition)
        for name, definition in constraints:
            cur.execute(f'ALTER TABLE collection_value ADD CONSTRAINT "{name}" {definition}')
        cur.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are initially deferred


def _insert_values(frame: Any, updated_at: Any) -> None:
    """SQLite: ``executemany`` in blocks inside the caller's transaction, in the unique index's order
    (appends), the columns equal on every row written as literals (four parameters a row), with the
    secondary indexes dropped for the load and made again from their own SQL."""
    from django.db import connection

    assessment = int(frame["assessment_id"][0])
    consts = {"assessment_id": str(assessment), "variable": "'value'", "note": "''", "status": "'verified'",
              "return_reason": "''", "version": "1", "updated_at": f"'{updated_at}'"}
    cols = ["period_id", "object_id", "indicator", "value", *consts]
    sql = (f"INSERT INTO collection_value ({', '.join(cols)}) "
           f"VALUES (%s, %s, %s, %s, {', '.join(consts.values())})")
    out = frame.sort("period_id", "object_id", "indicator")
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -1000000")  # 1 GB of page cache for the index builds
        cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'collection_value' "
                    "AND sql IS NOT NULL ORDER BY name")
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        for start in range(0, out.height, CHUNK):
            part = out.slice(start, CHUNK)
            cur.executemany(sql, list(zip(part["period_id"].to_list(), part["object_id"].to_list(),
                                          part["indicator"].to_list(), part["value"].round(2).to_list(), strict=True)))
        for _, definition in indexes:
            cur.execute(definition)


# --- step 3: full recompute -------------------------------------------------------------------------

def full_recompute(code: str = ASSESSMENT) -> dict[str, Any]:
    """Every category of the assessment from the ledger, as after a scheme change: load, score and
    write timed apart, and the peak resident memory of this process over the three."""
    from django.db import transaction

    from jixiao.engine.score import score
    from jixiao.schemes.models import Assessment
    from jixiao.schemes.selectors import catalog_of
    from jixiao.scoring.dataset import load_dataset
    from jixiao.scoring.ledger_pages import ledger_pages_store, ledger_view
    from jixiao.scoring.services import results_store

    assessment = Assessment.objects.select_related("version").get(code=code)
    exact = peak_reset()
    base = rss_mb()
    t0 = time.perf_counter()
    catalog = catalog_of(assessment)
    cats = set(catalog.categories)
    t1 = time.perf_counter()
    view = ledger_view(assessment)
    loaded = load_dataset(assessment, catalog, cats, view=view)
    t2 = time.perf_counter()
    result = score(catalog.compiled, loaded.data)
    t3 = time.perf_counter()
    with transaction.atomic():
        stored = results_store(assessment=assessment, catalog=catalog, result=result,
                               object_ids=loaded.object_ids, categories=cats)
        ledger_pages_store(assessment=assessment, view=view)
    t4 = time.perf_counter()
    return {"categories": sorted(cats), "loaded_values": loaded.data.values.height, "results": stored.objects,
            "catalog_s": round(t1 - t0, 3), "load_s": round(t2 - t1, 3), "score_s": round(t3 - t2, 3),
            "write_s": round(t4 - t3, 3), "full_recompute_s": round(t4 - t0, 3),
            "full_recompute_peak_mb": peak_mb(), "full_recompute_base_mb": base,
            "full_recompute_peak_exact": exact}


# --- step 4: HTTP client ----------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def request(port: int, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None,
         timeout: float = HTTP_TIMEOUT) -> Reply:
    """One request to the server on loopback (gunicorn's sync workers close every connection)."""
    head = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        head["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        t = time.perf_counter()
        conn.request(method, path, body=data, headers=head)
        resp = conn.getresponse()
        content = resp.read()
        return Reply(resp.status, content, time.perf_counter() - t)
    finally:
        conn.close()


def _session_cookie(username: str) -> str:
    """A signed-in session for ``username``, made as Django's test client's ``force_login`` does."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User

    user = User.objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "jixiao.org.backends.InactivityModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _bench_key(username: str) -> str:
    """The benchmark accounts' API keys: derived from the name and the secret key (only hashes are
    stored, so the load phase recomputes them)."""
    import hashlib

    from django.conf import settings

    return hashlib.sha256(f"bench:{username}:{settings.SECRET_KEY}".encode()).hexdigest()[:40]


def _token(username: str) -> dict[str, str]:
    return {"Authorization": f"Token {_bench_key(username)}"}


def _server_times(log: Path, offset: int, paths: set[str]) -> list[float]:
    """gunicorn's request times (ms) of PUTs to ``paths`` logged after byte ``offset``."""
    out = []
    with log.open("rb") as f:
        f.seek(offset)
        for line in f.read().decode(errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[0] == "PUT" and parts[1] in paths:
                out.append(int(parts[3]) / 1000)
    return out


def _pages(port: int, cookie: str, runs: int) -> dict[str, Any]:
    """The staff cockpit and one explanation page: the first view in the fresh server, then the
    median of later views (fewer when a view takes seconds). A page that fails is reported, not raised."""
    from jixiao.scoring.models import Result

    obj = (Result.objects.filter(assessment__code=ASSESSMENT, category="staff").order_by("rank", "object__code")
           .values_list("object__code", flat=True).first())
    out: dict[str, Any] = {"explain_object": obj}
    pages = (("cockpit", f"/cockpit/{ASSESSMENT}/staff/"), ("explain", f"/results/{ASSESSMENT}/object/{obj}/"))
    for key, path in pages:
        times: list[float] = []
        for _ in range(1 + runs):
            r = request(port, "GET", path, headers={"Cookie": cookie})
            if r.status != 200:
                out[f"{key}_error"] = f"GET {path}: {r.status} after {r.seconds:.1f} s {r.body[:200]!r}"
                break
            times.append(r.seconds * 1000)
            out[f"{key}_bytes"] = len(r.body)
            if sum(times) > 20_000 and len(times) >= 2:
                break  # seconds a view: two are enough
        out[f"{key}_first_ms"] = round(times[0], 1) if times else None
        out[f"{key}_median_ms"] = round(statistics.median(times[1:]), 1) if len(times) > 1 else None
    out["explain_ms"] = out["explain_first_ms"]  # the figure held against the target: the first view
    return out


def _value_row(obj: str, indicator: str, period: str) -> tuple[int, int, Decimal | None]:
    from jixiao.collection.models import Value

    return Value.objects.filter(assessment__code=ASSESSMENT, object__code=obj, indicator=indicator,
                                period__code=period).values_list("id", "version", "value").get()


def _saves(port: int, log: Path, n: int, staff: int, rng: random.Random) -> dict[str, Any]:
    """``n`` sequential PUTs of random staff values as the office."""
    from jixiao.schemes.models import Period

    periods = list(Period.objects.filter(assessment__code=ASSESSMENT).values_list("code", flat=True))
    leaves = [lf["code"] for g in next(c for c in scheme_data()["categories"] if c["code"] == "staff")["indicators"]
              for lf in g["children"]]
    auth = _token(OFFICE)
    offset = log.stat().st_size if log.exists() else 0
    times, paths, failed = [], set(), []
    deadline = time.monotonic() + max(60.0, n * 5.0)
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        pk, version, value = _value_row(f"S{rng.randrange(staff):05d}", rng.choice(leaves), rng.choice(periods))
        new = f"{float(value or 100) * rng.uniform(0.8, 1.2):.2f}"
        r = request(port, "PUT", f"/api/values/{pk}/", body={"value": new, "version": version}, headers=auth)
        if r.status != 200:
            failed.append(f"{r.status} {r.body[:200]!r}")
            continue
        times.append(r.seconds * 1000)
        paths.add(f"/api/values/{pk}/")
    time.sleep(0.5)  # gunicorn writes its access line after the response
    server = _server_times(log, offset, paths) if log.exists() else []
    return {"save_p95_ms": round(percentile(times, 95), 1) if times else None,
            "save_p50_ms": round(percentile(times, 50), 1) if times else None,
            "save_server_p95_ms": round(percentile(server, 95), 1) if server else None,
            "save_server_p50_ms": round(percentile(server, 50), 1) if server else None,
            "saves": len(times), "save_failures": failed[:5], "save_failed": len(failed)}


def _quiet(timeout: float) -> float | None:
    """Wait until the outbox is empty and no recompute runs; seconds waited, None on timeout."""
    from jixiao.collection.models import LedgerChange
    from jixiao.scoring.models import RecomputeState

    t = time.monotonic()
    while time.monotonic() - t < timeout:
        if not LedgerChange.objects.filter(assessment__code=ASSESSMENT).exists() and not RecomputeState.objects.filter(
                assessment__code=ASSESSMENT).exclude(token="").exists():
            return round(time.monotonic() - t, 2)
        time.sleep(0.1)
    return None


def _visible(port: int, staff: int, rng: random.Random, count: int, timeout: float) -> dict[str, Any]:
    """Saves that move a person's total, each timed from the request until the stored total moves."""
    from jixiao.scoring.models import Result

    leaves = _ratio_leaves("staff")
    auth = _token(OFFICE)
    waited = _quiet(timeout)
    seconds: list[float] = []
    missed = 0
    for i in rng.sample(range(staff), min(count, staff)):
        obj = f"S{i:05d}"
        before = Result.objects.filter(assessment__code=ASSESSMENT, object__code=obj).values_list(
            "total", flat=True).get()
        pk, version, value = _value_row(obj, rng.choice(leaves), f"{YEAR}-{rng.randint(1, 12):02d}")
        new = "0" if value and value > 10 else "150"
        t = time.perf_counter()
        r = request(port, "PUT", f"/api/values/{pk}/", body={"value": new, "version": version}, headers=auth)
        if r.status != 200:
            missed += 1
            continue
        while time.perf_counter() - t < timeout:
            now = Result.objects.filter(assessment__code=ASSESSMENT, object__code=obj).values_list(
                "total", flat=True).get()
            if now != before:
                seconds.append(time.perf_counter() - t)
                break
            time.sleep(0.02)
        else:
            missed += 1
    return {"save_visible_s": round(max(seconds), 2) if seconds and not missed else None,
            "save_visible_median_s": round(statistics.median(seconds), 2) if seconds else None,
            "save_visible_each_s": [round(s, 2) for s in seconds], "save_visible_missed": missed,
            "quiet_before_visible_s": waited}


@dataclass
class WriterStats:
    latencies: list[float] = field(default_factory=list)
    last_ok: dict[int, Decimal] = field(default_factory=dict)
    uncertain: set[int] = field(default_factory=set)
    five_xx: int = 0
    conflicts: int = 0
    other: list[str] = field(default_factory=list)
    errors: int = 0
    started: float = 0.0
    finished: float = 0.0


def _writer(port: int, auth: dict[str, str], items: dict[int, int], deadline: float, seed: int,
            stats: WriterStats, max_requests: int) -> None:
    rng = random.Random(seed)
    pks = list(items)
    stats.started = time.perf_counter()
    n = 0
    while time.perf_counter() < deadline and n < max_requests:
        pk = pks[n % len(pks)]
        n += 1
        new = f"{rng.uniform(50, 150):.2f}"
        for _ in range(4):  # the save, and up to three retries after a 409 with the fresh version
            try:
                r = request(port, "PUT", f"/api/values/{pk}/", body={"value": new, "version": items[pk]}, headers=auth)
            except (OSError, http.client.HTTPException):
                stats.errors += 1
                stats.uncertain.add(pk)  # the save may or may not have landed
                break
            if r.status == 200:
                stats.latencies.append(r.seconds * 1000)
                items[pk] = int(r.json()["version"])
                stats.last_ok[pk] = Decimal(new)
                break
            if r.status == 409:
                stats.conflicts += 1
                fresh = request(port, "GET", f"/api/values/{pk}/", headers=auth)
                if fresh.status == 200:
                    items[pk] = int(fresh.json()["version"])
                continue
            if r.status >= 500:
                stats.five_xx += 1
                stats.uncertain.add(pk)
            else:
                stats.other.append(f"{r.status} {r.body[:200]!r}")
            break
    stats.finished = time.perf_counter()


def _writers(port: int, writers: int, seconds: float, staff: int) -> dict[str, Any]:
    """``writers`` threads, each with its own token and objects, for ``seconds``."""
    from jixiao.collection.models import Value

    leaves = _ratio_leaves("staff")[:4]
    own = max(1, min(25, staff // max(writers, 1)))
    plan = []
    for w in range(writers):
        objs = [f"S{i:05d}" for i in range(w, staff, writers)][:own]
        rows = Value.objects.filter(assessment__code=ASSESSMENT, object__code__in=objs, indicator__in=leaves,
                                    period__code=f"{YEAR}-06").values_list("id", "version")
        plan.append((_token(WRITER.format(w)), dict(rows)))
    stats = [WriterStats() for _ in range(writers)]
    deadline = time.perf_counter() + seconds
    threads = [threading.Thread(target=_writer, args=(port, auth, items, deadline, 1000 + w, stats[w], 100_000),
                                daemon=True) for w, (auth, items) in enumerate(plan)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + HTTP_TIMEOUT * 5 + 60)
    latencies = [x for s in stats for x in s.latencies]
    elapsed = max(s.finished for s in stats) - min(s.started for s in stats) if stats else 0.0
    last_ok: dict[int, Decimal] = {}
    uncertain: set[int] = set()
    for s in stats:
        last_ok |= s.last_ok
        uncertain |= s.uncertain
    final = dict(Value.objects.filter(pk__in=list(last_ok)).values_list("id", "value"))
    lost = sum(1 for pk, v in last_ok.items() if pk not in uncertain and final.get(pk) != v)
    return {"writers": writers, "writers_seconds": round(elapsed, 1), "writers_saves": len(latencies),
            "writers_saves_per_s": round(len(latencies) / elapsed, 1) if elapsed > 0 else None,
            "writers_p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
            "writers_p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
            "writers_5xx": sum(s.five_xx for s in stats), "writers_409": sum(s.conflicts for s in stats),
            "writers_other_errors": sum(len(s.other) for s in stats) + sum(s.errors for s in stats),
            "writers_error_samples": [e for s in stats for e in s.other][:5],
            "lost_updates": lost, "values_checked": len(last_ok) - len(last_ok.keys() & uncertain),
            "writers_alive_after_join": sum(t.is_alive() for t in threads)}


def web(*, port: int, access_log: str, staff: int, saves: int, writers: int, seconds: float,
        skip_writers: bool, page_runs: int = 4, timeout: float = 300.0) -> dict[str, Any]:
    """Step 4's measurements against the running server (see the module docstring)."""
    rng = random.Random(20261121)
    log = Path(access_log)
    out: dict[str, Any] = {}
    say("  pages: cockpit and explanation (first view, then median)")
    out |= _pages(port, _session_cookie(OFFICE), page_runs)
    say(f"  {saves} sequential saves")
    out |= _saves(port, log, saves, staff, rng)
    say(f"  {VISIBLE_SAVES} saves until the stored total moves")
    out |= _visible(port, staff, rng, VISIBLE_SAVES, timeout)
    if not skip_writers:
        say(f"  {writers} writers for {seconds:g} s")
        out |= _writers(port, writers, seconds, staff)
        out["writers_drain_s"] = _quiet(timeout)
    return out


# --- orchestration (the management command's process) -----------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextlib.contextmanager
def scratch_database(url: str, tmp: str) -> Iterator[tuple[dict[str, str], str]]:
    """The environment of a scratch database (and its vendor): created on the server of ``url``,
    dropped at the end; without ``url`` a SQLite file under ``tmp``."""
    # The 20 concurrent API writers are a deliberate flood: the server runs without rate limits.
    env = {**os.environ, "JIXIAO_DATA_DIR": tmp, "JIXIAO_DEBUG": "0", "JIXIAO_RATE_LIMITS_ENABLED": "0",
           "DJANGO_SETTINGS_MODULE": "jixiao.project.settings", "JIXIAO_TASKS": "database"}
    if not url:
        env.pop("DATABASE_URL", None)
        yield env, "sqlite"
        return
    import psycopg

    name = f"jixiao_bench_{os.getpid()}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    say(f"scratch database {name} on {parts.hostname}:{parts.port or 5432}")
    try:
        yield {**env, "DATABASE_URL": urlunsplit(parts._replace(path="/" + name))}, "postgresql"
    finally:
        if os.environ.get("JIXIAO_BENCH_KEEP"):
            # For profiling one step again by hand: python -m jixiao.benchmarks.scale recompute '{}'
            say(f"scratch database {name} kept (JIXIAO_BENCH_KEEP); drop it with: dropdb {name}")
        else:
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            say(f"scratch database {name} dropped")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End a process started in its own session, and everything in its group."""
    for sig, wait in ((signal.SIGTERM, 40), (signal.SIGKILL, 10)):
        if proc.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(wait)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # anything of the group left behind (a gunicorn worker)


@contextlib.contextmanager
def server(env: dict[str, str], tmp: str, port: int, workers: int) -> Iterator[str]:
    """gunicorn (production config, ``workers`` sync workers) on 127.0.0.1:``port`` and one
    ``db_worker``, both with ``JIXIAO_TASKS=database``, started as `make run` starts them;
    yields gunicorn's access log."""
    senv = {**env, "PORT": str(port), "JIXIAO_BIND": f"127.0.0.1:{port}", "JIXIAO_WEB_WORKERS": str(workers),
            "JIXIAO_TASKS": "database"}
    logs = Path(tmp)
    access = logs / "access.log"
    procs: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for name, cmd in (
                ("gunicorn", [sys.executable, "-m", "gunicorn", "--config", "python:jixiao.project.gunicorn_conf",
                              "--access-logfile", str(access), "--access-logformat", "%(m)s %(U)s %(s)s %(D)s"]),
                # as `make run` starts it: a look at the queue every 0.2 s when idle, below the web's CPU priority
                ("db_worker", ["nice", "-n", "10", sys.executable, "-m", "django", "db_worker", "--queue-name", "*",
                               "--interval", "0.2"])):
            log = logs / f"{name}.log"
            with log.open("wb") as out:
                procs.append((subprocess.Popen(cmd, env=senv, stdout=out, stderr=subprocess.STDOUT, cwd=tmp,
                                               start_new_session=True), log))
        deadline = time.monotonic() + 90
        while True:
            for proc, log in procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}:\n{_tail(log)}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if request(port, "GET", "/healthz", timeout=5).status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer on port {port}:\n{_tail(procs[0][1])}")
            time.sleep(0.25)
        say(f"server up on 127.0.0.1:{port}: gunicorn ({workers} workers) + db_worker")
        yield str(access)
    except BaseException:
        for _, log in procs:
            say(f"--- {log.name} ---\n{_tail(log)}")
        raise
    finally:
        for proc, _ in procs:
            _stop(proc)


def _step(step: str, env: dict[str, str], args: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one step in a fresh Python process on the scratch database; its JSON result."""
    proc = subprocess.run([sys.executable, "-m", "jixiao.benchmarks.scale", step, json.dumps(args)], env=env,
                          stdout=subprocess.PIPE, text=True, timeout=timeout, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"step {step} failed ({proc.returncode}): {proc.stdout[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def report(*, database: str, staff: int, built: dict[str, Any], recomputed: dict[str, Any],
           measured: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON object: :data:`KEYS` first (null when not measured), then the extras."""
    m = measured or {}
    out: dict[str, Any] = {"database": database, "staff": staff, "values": built["values"],
                           "full_recompute_s": recomputed["full_recompute_s"],
                           "full_recompute_peak_mb": recomputed["full_recompute_peak_mb"]}
    for key in KEYS[5:]:
        out[key] = m.get(key)
    extras = {**built, **recomputed, **m}
    out |= {k: v for k, v in extras.items() if k not in out}
    return out


def run(*, staff: int, units: int, writers: int, seconds: float, saves: int, skip_writers: bool,
        skip_server: bool = False, web_workers: int = 4, database_url: str | None = None) -> dict[str, Any]:
    """Every step in scratch space (see the module docstring); the report."""
    url = os.environ.get("DATABASE_URL", "") if database_url is None else database_url
    tmp = tempfile.mkdtemp(prefix="jixiao-scale-bench-")
    try:
        with scratch_database(url, tmp) as (env, vendor):
            say(f"building the city-size year on {vendor}: {units} units + {staff:,} staff, 30 indicators, 12 months")
            built = _step("build", env, {"units": units, "staff": staff, "writers": writers}, timeout=3 * 3600)
            say(f"  built in {built['build_s']} s ({built['values']:,} values written in {built['build_values_s']} s)")
            say("full recompute in a fresh process, the first: from the values table (and writing the ledger pages)")
            cold = _step("recompute", env, {}, timeout=3600)
            say(f"  load {cold['load_s']} s, score {cold['score_s']} s, write {cold['write_s']} s; "
                f"peak {cold['full_recompute_peak_mb']} MB")
            say("full recompute in a fresh process, as after a scheme change: from the ledger pages")
            recomputed = _step("recompute", env, {}, timeout=3600)
            recomputed |= {f"cold_{k}": v for k, v in cold.items() if k.endswith("_s") or k.endswith("_mb")}
            say(f"  load {recomputed['load_s']} s, score {recomputed['score_s']} s, write {recomputed['write_s']} s; "
                f"peak {recomputed['full_recompute_peak_mb']} MB")
            measured = None
            if not skip_server:
                port = _free_port()
                with server(env, tmp, port, web_workers) as access:
                    measured = _step("web", env, {"port": port, "access_log": access, "staff": staff, "saves": saves,
                                                  "writers": writers, "seconds": seconds,
                                                  "skip_writers": skip_writers}, timeout=seconds + 3 * 3600)
            return report(database=vendor, staff=staff, built=built, recomputed=recomputed, measured=measured)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def summary(out: dict[str, Any]) -> list[str]:
    """The report for people."""

    def fig(key: str, unit: str = "") -> str:
        v = out.get(key)
        return "—" if v is None else f"{v}{unit}"

    lines = [f"City-size year on {out['database']}: {out.get('units')} units + {out['staff']:,} staff, "
             f"{out['values']:,} values (built in {fig('build_s', ' s')}, not a target)",
             f"  full recompute, both categories: {fig('full_recompute_s', ' s')} = catalog {fig('catalog_s')} "
             f"+ load {fig('load_s')} + score {fig('score_s')} + write {fig('write_s')} s; peak memory "
             f"{fig('full_recompute_peak_mb', ' MB')}  [targets {TARGETS['full_recompute_s']}, ≤ 3 GB]",
             f"    (the first one, before the ledger pages exist: {fig('cold_full_recompute_s', ' s')} = load "
             f"{fig('cold_load_s')} + score {fig('cold_score_s')} + write {fig('cold_write_s')} s, peak "
             f"{fig('cold_full_recompute_peak_mb', ' MB')})",
             f"  one save (PUT /api/values/<id>/), p95 of {fig('saves')}: {fig('save_p95_ms', ' ms')} round trip, "
             f"{fig('save_server_p95_ms', ' ms')} in gunicorn (p50 {fig('save_p50_ms')} / "
             f"{fig('save_server_p50_ms')} ms)  [target {TARGETS['save_p95_ms']}]",
             f"  a save visible in the stored total: slowest {fig('save_visible_s', ' s')}, median "
             f"{fig('save_visible_median_s', ' s')}  [target {TARGETS['save_visible_s']}]",
             f"  cockpit of the staff: first view {fig('cockpit_first_ms', ' ms')}, later "
             f"{fig('cockpit_median_ms', ' ms')}  [target {TARGETS['cockpit_first_ms']}]",
             f"  explanation page of a staff member: first view {fig('explain_ms', ' ms')}, later "
             f"{fig('explain_median_ms', ' ms')}  [target {TARGETS['explain_ms']}]"]
    if out.get("writers_saves_per_s") is not None:
        lines.append(f"  {fig('writers')} concurrent API writers for {fig('writers_seconds', ' s')}: "
                     f"{fig('writers_saves_per_s')} saves/s, p50 {fig('writers_p50_ms', ' ms')}, p95 "
                     f"{fig('writers_p95_ms', ' ms')}; 5xx {fig('writers_5xx')}, 409 {fig('writers_409')}, "
                     f"lost updates {fig('lost_updates')} of {fig('values_checked')} values  "
                     f"[target ≥ 200 saves/s, no 5xx, none lost]")
    return lines


def command(*, staff: int, units: int, writers: int, seconds: float, saves: int, skip_writers: bool,
            skip_server: bool, web_workers: int, as_json: bool, write: Callable[[str], None]) -> int:
    """``manage.py bench_scale``: run, print the summary and (``as_json``) the JSON line last."""

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)  # so the scratch database and the server are cleaned up

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        out = run(staff=staff, units=units, writers=writers, seconds=seconds, saves=saves, skip_writers=skip_writers,
                  skip_server=skip_server, web_workers=web_workers)
    finally:
        signal.signal(signal.SIGTERM, previous)
    for line in summary(out):
        write(line)
    if as_json:
        write(json.dumps(out, ensure_ascii=False))
    return 0


def _child(argv: list[str]) -> int:
    """A step in its own process: ``python -m jixiao.benchmarks.scale <step> '<json args>'``."""
    step, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    setup(os.environ["JIXIAO_DATA_DIR"], migrate=step == "build")
    if step == "build":
        out = build(**args)
    elif step == "recompute":
        out = full_recompute(**args)
    elif step == "web":
        out = web(**args)
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps(out, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(_child(sys.argv[1:]))
