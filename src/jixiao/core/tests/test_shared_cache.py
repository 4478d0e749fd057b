"""With JIXIAO_CACHE_URL every process counts in one Redis: a rate limit holds across web workers
(checklist item 30). Tested against the Redis server of this machine (127.0.0.1:6379); under CI a
missing Redis is a failure."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
URL = os.environ.get("JIXIAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# One "web worker": a separate process counting one request of a user against a limit of 3 a minute,
# all in one fixed window (the clock given), so a minute's boundary between two processes cannot
# start a new count.
WORKER = ("import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE']='jixiao.project.settings'; django.setup(); "
          "from jixiao.core.ratelimit import hit; print(hit('api', sys.argv[1], 3, 60, now=1_800_000_000.0)[0])")


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {URL}: under CI that is a failure")
        pytest.skip(f"Redis does not answer at {URL}")


def _worker(ident: str, cache_url: str) -> bool:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "DJANGO_", "DATABASE_URL"))}
    env |= {"PYTHONPATH": str(REPO / "src"), "JIXIAO_CACHE_URL": cache_url,
            "JIXIAO_DATA_DIR": os.environ.get("JIXIAO_DATA_DIR", str(REPO / "var"))}
    if not cache_url:
        env.pop("JIXIAO_CACHE_URL")
    out = subprocess.run([sys.executable, "-c", WORKER, ident], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip() == "True"


def test_item_30_a_limit_holds_across_processes_with_the_shared_cache() -> None:
    _redis_or_skip()
    ident = f"u-{uuid.uuid4().hex}"  # a fresh user: the window is his alone
    assert [_worker(ident, URL) for _ in range(4)] == [True, True, True, False]


def test_without_the_shared_cache_each_process_counts_alone() -> None:
    ident = f"u-{uuid.uuid4().hex}"
    assert [_worker(ident, "") for _ in range(4)] == [True, True, True, True]


def test_a_cache_url_that_is_not_redis_is_refused() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "DJANGO_"))}
    env |= {"PYTHONPATH": str(REPO / "src"), "JIXIAO_CACHE_URL": "memcached://x"}
    out = subprocess.run([sys.executable, "-c", WORKER, "x"], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode != 0 and "JIXIAO_CACHE_URL must be a Redis address" in out.stderr
