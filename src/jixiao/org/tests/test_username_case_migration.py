"""The migration to case-insensitive usernames names the accounts that differ only by case."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User


@pytest.mark.django_db
def test_item_02_the_migration_names_case_duplicates() -> None:
    migration = importlib.import_module("jixiao.org.migrations.0004_account_security")
    User.objects.create(username="plain")
    migration.refuse_case_duplicates(apps, None)  # no clash: passes

    class Twins:
        """auth.User seen as before the index: two accounts differing by case."""

        class objects:  # stands in for the manager
            @staticmethod
            def values_list(*args: object, **kwargs: object) -> list[str]:
                return ["NanNiu_TB", "nanniu_tb", "plain"]

    class Apps:
        @staticmethod
        def get_model(*args: object) -> type:
            return Twins

    with pytest.raises(RuntimeError, match="NanNiu_TB / nanniu_tb"):
        migration.refuse_case_duplicates(Apps, None)
