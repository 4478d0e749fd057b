"""``manage.py db_grants <role>``: print the GRANT statements of the application's least-privilege
PostgreSQL role (run them as the tables' owner after each migrate)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from jixiao.ops.dbrole import grant_sql


class Command(BaseCommand):
    help = "Print the GRANTs of the application's least-privilege PostgreSQL role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role")

    def handle(self, *args: Any, **options: Any) -> None:
        for sql in grant_sql(options["role"], connection.introspection.table_names(), connection):
            self.stdout.write(sql + ";")
