"""Adopting a draft freezes it: later edits become new versions, the adopted text never changes."""

import pytest
from django.urls import reverse

from jixiao.core.errors import Frozen
from jixiao.schemes.models import SchemeVersion
from jixiao.schemes.services import version_require_draft

from .conftest import edited_post


@pytest.mark.django_db
def test_adopt_freezes(office_client, v1):
    office_client.post(reverse("schemes:edit", args=[v1.pk]),
                       edited_post(v1, {"gdp": {"points": "50"}, "tax": {"points": "20"}}))
    v2 = SchemeVersion.objects.get(number=2)
    version_require_draft(v2)  # a draft
    page = office_client.get(reverse("schemes:version", args=[v2.pk])).content.decode()
    assert "草稿" in page and reverse("schemes:adopt", args=[v2.pk]) in page

    resp = office_client.post(reverse("schemes:adopt", args=[v2.pk]))
    assert resp.status_code == 302
    v2.refresh_from_db()
    assert v2.status == SchemeVersion.Status.ADOPTED and v2.adopted_at is not None
    with pytest.raises(Frozen):
        version_require_draft(v2)
    page = office_client.get(reverse("schemes:version", args=[v2.pk])).content.decode()
    assert "已启用（冻结）" in page and reverse("schemes:adopt", args=[v2.pk]) not in page

    # editing the adopted version saves v3 and leaves v2's text alone
    text = v2.text
    office_client.post(reverse("schemes:edit", args=[v2.pk]),
                       edited_post(v2, {"gdp": {"points": "45"}, "tax": {"points": "25"}}))
    v2.refresh_from_db()
    assert v2.text == text
    assert SchemeVersion.objects.get(number=3).status == SchemeVersion.Status.DRAFT
