"""``manage.py bench_scale [--staff N] [--json]``: the city-size year behind the production server.

On the server of ``DATABASE_URL`` (in a scratch database it creates and drops) or on a scratch
SQLite file; the work is in :mod:`jixiao.benchmarks.scale`. With ``--json`` the last line printed
is one JSON object (keys in ``jixiao.benchmarks.scale.KEYS``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = ("Build the city-size year (units + staff, 30 indicators, 12 months) in a scratch database, then time a "
            "full recompute, saves, the cockpit, an explanation page and concurrent API writers through gunicorn.")
    requires_system_checks: list[str] = []  # it never touches the configured database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--staff", type=int, default=32000, help="staff objects (default 32000)")
        parser.add_argument("--units", type=int, default=81, help="unit objects (default 81)")
        parser.add_argument("--json", action="store_true", help="print the figures as one JSON line, last")
        parser.add_argument("--writers", type=int, default=20, help="concurrent API writers (default 20)")
        parser.add_argument("--seconds", type=float, default=30.0, help="how long the writers write (default 30)")
        parser.add_argument("--saves", type=int, default=200, help="sequential saves timed (default 200)")
        parser.add_argument("--skip-writers", action="store_true", help="no concurrent writers")
        parser.add_argument("--skip-server", action="store_true",
                            help="build and full recompute only (no server, no saves, pages or writers)")
        parser.add_argument("--web-workers", type=int, default=4, help="gunicorn sync workers (default 4)")

    def handle(self, *args: Any, **options: Any) -> None:
        from jixiao.benchmarks.scale import command

        command(staff=max(1, options["staff"]), units=max(1, options["units"]), writers=max(1, options["writers"]),
                seconds=max(1.0, options["seconds"]), saves=max(1, options["saves"]),
                skip_writers=options["skip_writers"], skip_server=options["skip_server"],
                web_workers=max(1, options["web_workers"]), as_json=options["json"], write=self.stdout.write)
