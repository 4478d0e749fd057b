"""HMAC-SM3 seals (item 21): every stored result row and publication carries a seal made when it
is written (full recompute and patch alike); a row or snapshot changed behind the application's back
is refused on the ranking page, the object page, the reward page and the publication link — with a
security audit event — and named by ``seals_verify``; ``--reseal`` rotates the key only when all hold."""

from __future__ import annotations

import hmac
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from jixiao.audit.models import AuditEntry
from jixiao.core.seals import Verifier, canonical
from jixiao.core.sm import hmac_sm3
from jixiao.scoring.models import Publication, Result
from jixiao.scoring.seals import publication_parts, result_message, result_message_of

from .conftest import enter


def test_item_21_the_fast_seal_is_hmac_sm3() -> None:
    """The seal's C path (hashlib's SM3) is the same function as the cryptography one."""
    key, msg = b"k" * 32, canonical(("result", 1, 2, "town", "g", 36.5, 1, 2, "优秀", True, False))
    assert hmac.new(key, msg, "sm3").digest() == hmac_sm3(key, msg)
    assert canonical((None, True, 0.1)) == b"\x00\x1f1\x1f0x1.999999999999ap-4"
    for total in (36.5, None, 0.1):
        parts = (1, 2, "town", "g", total, 1, 2, "优秀", True, False)
        assert result_message(*parts) == canonical(("result", *parts))


@pytest.mark.django_db
def test_item_21_results_are_sealed_when_written_and_a_tampered_row_is_refused(
        ranked: Any, scope: Any, client: Any) -> None:
    v = Verifier()
    rows = list(Result.objects.all())
    assert rows and all(r.seal.startswith("dev:") and v.ok_bytes(r.seal, result_message_of(r)) for r in rows)
    enter(ranked, scope, ranked.east_obj, "95")  # a change after the first scoring (the patch path)
    assert all(v.ok_bytes(r.seal, result_message_of(r)) for r in Result.objects.all())
    call_command("seals_verify")

    east = Result.objects.get(object=ranked.east_obj)
    Result.objects.filter(pk=east.pk).update(total=99.0, rank=1)  # behind the application's back
    client.force_login(ranked.office)
    url = reverse("scoring:ranking", args=[ranked.assessment.code, "town"])
    resp = client.get(url)
    assert resp.status_code == 409 and "封印" in resp.content.decode() and "99" not in resp.content.decode()
    entry = AuditEntry.objects.filter(action="seal_broken").latest("id")
    assert entry.outcome == "failure" and entry.target == "scoring.result" and str(east.pk) in entry.target_id
    resp = client.get(reverse("scoring:object", args=[ranked.assessment.code, ranked.east_obj.code]))
    assert resp.status_code == 409
    resp = client.get(reverse("outcomes:rewards"), {"assessment": ranked.assessment.code, "category": "town",
                                                    "mode": "pool", "amount": "10000"})
    assert resp.status_code == 409
    resp = client.get(f"/api/assessments/{ranked.assessment.code}/results/")
    assert resp.status_code == 409 and "封印" in resp.json()["detail"]
    with pytest.raises(CommandError, match=f"考核结果 #{east.pk}"):
        call_command("seals_verify")
    with pytest.raises(CommandError):
        call_command("seals_verify", "--reseal")  # never launders a tampered row


@pytest.mark.django_db
def test_item_21_a_tampered_publication_is_refused_and_reseal_rotates_the_key(
        publication: Publication, client: Any, settings: Any) -> None:
    assert Verifier().ok(publication.seal, publication_parts(Publication.objects.get(pk=publication.pk)))
    client.force_login(publication.published_by)
    url = reverse("scoring:published", args=[publication.token])
    assert client.get(url).status_code == 200
    settings.JIXIAO_SEAL_KEYS = {"k2": b"n" * 32, **settings.JIXIAO_SEAL_KEYS}
    call_command("seals_verify", "--reseal")
    assert Publication.objects.get(pk=publication.pk).seal.startswith("k2:")
    assert all(r.seal.startswith("k2:") for r in Result.objects.all())
    assert client.get(url).status_code == 200
    snap = Publication.objects.get(pk=publication.pk).snapshot
    snap["rows"][0]["total"] = 100.0
    Publication.objects.filter(pk=publication.pk).update(snapshot=snap)
    resp = client.get(url)
    assert resp.status_code == 409 and "结果公示" in resp.content.decode()
    with pytest.raises(CommandError, match=f"结果公示 #{publication.pk}"):
        call_command("seals_verify")
