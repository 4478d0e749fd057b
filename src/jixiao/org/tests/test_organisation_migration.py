"""Data from before organisations existed lands in one default organisation, named after its root
unit: units, categories, grants, schemes, assessments (their scheme's), matters (their lead unit's)
and bulletins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("org", "0001_initial"), ("schemes", "0001_initial"), ("supervision", "0001_initial")]
AFTER = [("org", "0003_organisation_required"), ("schemes", "0003_organisation_required"),
         ("supervision", "0003_organisation_required")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_put_in_one_default_organisation() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        user = old.get_model("auth", "User").objects.create(username="old-office")
        unit_model = old.get_model("org", "Unit")
        root = unit_model.objects.create(code="old", name="旧县人民政府", kind="government", level=1)
        town = unit_model.objects.create(code="old-town", name="旧镇", kind="town", level=2, parent=root)
        old.get_model("org", "Category").objects.create(code="old-cat", name="乡镇")
        old.get_model("org", "RoleGrant").objects.create(user=user, role="office_admin")
        scheme = old.get_model("schemes", "Scheme").objects.create(code="old-scheme", name="旧方案")
        version = old.get_model("schemes", "SchemeVersion").objects.create(scheme=scheme, number=1, text="x",
                                                                           digest="0" * 64)
        old.get_model("schemes", "Assessment").objects.create(code="old-2024", name="旧考核", year=2024,
                                                              version=version)
        old.get_model("supervision", "Matter").objects.create(number="DB-2024-0001", title="旧事项", lead_unit=town,
                                                              year=2024, deadline=dt.date(2024, 12, 31))
        old.get_model("supervision", "Bulletin").objects.create(title="旧通报", date_from=dt.date(2024, 1, 1),
                                                                date_to=dt.date(2024, 1, 31), data={})

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        orgs = list(new.get_model("org", "Organisation").objects.values_list("id", "code", "name"))
        assert len(orgs) == 1 and orgs[0][1:] == ("default", "旧县人民政府")
        only = orgs[0][0]
        for app, model in (("org", "Unit"), ("org", "Category"), ("org", "RoleGrant"), ("schemes", "Scheme"),
                           ("schemes", "Assessment"), ("supervision", "Matter"), ("supervision", "Bulletin")):
            assert set(new.get_model(app, model).objects.values_list("organisation_id", flat=True)) == {only}, model
    finally:
        MigrationExecutor(connection).migrate(latest)
