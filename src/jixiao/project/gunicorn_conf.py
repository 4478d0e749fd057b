"""gunicorn settings for `make run` and production (``gunicorn -c python:jixiao.project.gunicorn_conf``).

Sync workers: each process serves one request at a time and keeps at most one database
connection, so an app server costs PostgreSQL ``JIXIAO_WEB_WORKERS`` connections (README
"Production layout"). Behind a reverse proxy set ``JIXIAO_BIND`` (e.g. ``0.0.0.0:8000``) and
``JIXIAO_FORWARDED_ALLOW_IPS`` to the proxy's address.
"""

from __future__ import annotations

from typing import Any

from jixiao.project.env import env_bool, env_int, env_str

wsgi_app = "jixiao.project.wsgi:application"
bind = [env_str("JIXIAO_BIND", f"127.0.0.1:{env_int('PORT', 8000, minimum=1)}")]
workers = env_int("JIXIAO_WEB_WORKERS", 3, minimum=1)
worker_class = "sync"
# PDF tables and large exports take seconds; a worker stuck longer than this is restarted.
timeout = env_int("JIXIAO_WEB_TIMEOUT", 120, minimum=1)
graceful_timeout = 30
# Recycling workers now and then bounds the memory a long-running process can accumulate.
max_requests = 2000
max_requests_jitter = 200
# The master imports Django, the apps and every view once (``when_ready``) and the workers fork
# from it: a worker (re)started by max_requests serves at once, instead of spending ~2 s of CPU on
# imports and its first request ~1.5 s more on the URLconf, CPU the other workers lose on a small
# machine. The price: new code needs a restart of gunicorn (a HUP reuses the preloaded code).
preload_app = env_bool("JIXIAO_WEB_PRELOAD", True)
accesslog = "-"
errorlog = "-"
loglevel = "info"
forwarded_allow_ips = env_str("JIXIAO_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "jixiao"
# gunicorn ≥ 25.1 opens a control socket at one fixed path per user, which two instances on one
# machine (PORT=8000 and PORT=8001) would fight over; nothing here uses it.
control_socket_disable = True


def when_ready(server: Any) -> None:
    """In the master, before the workers fork: import the URLconf (every view) as a first request
    would, and hold no database connection the workers would share."""
    if not preload_app:
        return
    from django.conf import settings
    from django.conf.urls.i18n import is_language_prefix_patterns_used
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point
    is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    try:
        _warm()
    finally:
        connections.close_all()


def _warm() -> None:
    """What every worker's first pages would otherwise each do again: compile the templates and
    parse the scheme of every assessment (a city's cockpit answered a first view in twice the
    time of the next one). A database not reachable yet only skips the schemes."""
    import logging
    from pathlib import Path

    from django.db import DatabaseError
    from django.template import TemplateSyntaxError, engines
    from django.template.utils import get_app_template_dirs

    for engine in engines.all():
        dirs = [Path(d) for d in engine.template_dirs] + [Path(d) for d in get_app_template_dirs("templates")]
        for root in dict.fromkeys(dirs):
            for path in sorted(root.rglob("*.html")):
                try:
                    engine.get_template(path.relative_to(root).as_posix())
                except TemplateSyntaxError:
                    logging.getLogger("gunicorn.error").warning("template %s does not compile", path)
    from jixiao.schemes.models import Assessment
    from jixiao.schemes.selectors import catalog_of

    try:
        for assessment in Assessment.objects.select_related("version"):
            catalog_of(assessment)
    except DatabaseError:
        logging.getLogger("gunicorn.error").warning("schemes not parsed before the workers start: no database")
