"""A matter's page offers each user the steps he may take now, and no others."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def offered(client, pk):
    html = client.get(f"/supervision/{pk}/").content.decode()
    steps = re.findall(r'data-action="(\w+)">', html.split('id="steps"')[0])
    return steps, 'id="feedback-form"' in html, 'id="extension-request"' in html, 'id="edit"' in html


def test_offers(sv, client):
    c = sv.cast
    client.force_login(c.office)
    assert offered(client, sv.draft.pk) == (["review", "assign"], False, False, True)
    assert offered(client, sv.east_task.pk) == ([], False, False, True)
    client.force_login(c.reporter)
    assert offered(client, sv.draft.pk) == ([], False, False, False)
    assert offered(client, sv.east_task.pk) == (["sign"], False, True, False)
    client.post(f"/supervision/{sv.east_task.pk}/do/sign")
    steps, feedback, extension, _ = offered(client, sv.east_task.pk)
    assert (steps, feedback, extension) == ([], True, True)
    html = client.get(f"/supervision/{sv.east_task.pk}/").content.decode()
    assert "作为办结报告报送" in html  # the lead unit may report completion
    client.force_login(c.leader)
    assert offered(client, sv.east_task.pk) == ([], False, False, False)
