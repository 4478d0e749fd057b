"""``manage.py api_token <username>``: issue (or rotate) the API token of a data-source system's account.

The key is printed once; store it in the calling system and send it as ``Authorization: Token <key>``.
``--revoke`` deletes the account's token instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.api.services import api_token_create, api_token_revoke
from jixiao.core.errors import ServiceError


class Command(BaseCommand):
    help = "Issue or rotate (or with --revoke delete) the API token of an account; prints the new key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="delete the account's token")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist:
            raise CommandError(f"no account {options['username']!r}") from None
        try:
            if options["revoke"]:
                done = api_token_revoke(actor=None, user=user, system="manage.py api_token")
                self.stdout.write("revoked" if done else "no token")
                return
            key = api_token_create(actor=None, user=user, system="manage.py api_token")
        except ServiceError as e:
            raise CommandError(e.message) from None
        self.stdout.write(key)
