"""Only the office imports: other signed-in users get 403 (also when posting a valid file, which
then writes nothing), anonymous users are sent to the login page; the service refuses them too."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.core.errors import NotAllowed
from jixiao.supervision.importing.upload import matters_import_upload
from jixiao.supervision.models import Matter
from jixiao.supervision.services.imports import matters_import
from jixiao.supervision.tests.matrix_import import MATRIX
from jixiao.supervision.tests.test_import_helpers import good_row, post, workbook

pytestmark = pytest.mark.django_db

ROLES = ("office", "reporter", "leader", "stats", "outsider")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_rows(sv, client, name):
    method, url_of, expected = MATRIX[name]
    url = url_of({"sv": sv, "cast": sv.cast, "east_task": sv.east_task.pk, "west_task": sv.west_task.pk,
                  "draft": sv.draft.pk})
    assert set(expected) == {"anon", *ROLES}
    send = client.get if method == "GET" else lambda u: client.post(u, {})
    r = send(url)
    assert r.status_code == expected["anon"]
    if r.status_code == 302:
        assert r["Location"].startswith("/login/")
    for role in ROLES:
        client.force_login(getattr(sv.cast, role))
        assert send(url).status_code == expected[role], role


@pytest.mark.parametrize("role", ["reporter", "leader", "stats", "outsider"])
def test_others_cannot_post_a_file(sv, client, role):
    before = Matter.objects.count()
    client.force_login(getattr(sv.cast, role))
    assert post(client, workbook([good_row()])).status_code == 403
    assert Matter.objects.count() == before


def test_anonymous_post_goes_to_login(sv, client):
    r = post(client, workbook([good_row()]))
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert not Matter.objects.filter(title="整治背街小巷").exists()


def test_services_refuse_non_office(sv):
    leader = sv.cast.leader  # may register a single matter, but not import in bulk
    with pytest.raises(NotAllowed):
        matters_import(actor=leader, scope=sv.scope(leader), rows=[])
    with pytest.raises(NotAllowed):
        matters_import_upload(actor=leader, scope=sv.scope(leader),
                              upload=SimpleUploadedFile("x.xlsx", workbook([good_row()])))
    assert not Matter.objects.filter(title="整治背街小巷").exists()
