"""Evidence on S3-compatible storage (JIXIAO_STORAGE=s3): moto's standalone server, started over HTTP
on a free local port, stands in for MinIO; the evidence service stores a file through Django's storage
API, the scoped download view streams it back, and the object sits privately in the bucket under the
configured prefix.

moto is a dev dependency: without it the tests fail."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.collection.models import Evidence, Value
from jixiao.collection.services import evidence_add, value_save

BUCKET = "jixiao-evidence"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:  # `make test` installs it: a missing one is a failure, never a skip
        pytest.fail("moto[server] is missing: it is a dev dependency (pip install -e '.[dev]')")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint: str, settings: Any) -> Any:
    """A fresh bucket, and Django's default storage pointed at it as settings.py does for JIXIAO_STORAGE=s3;
    returns a boto3 client to look into the bucket directly."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id=KEYS["access_key"],
                          aws_secret_access_key=KEYS["secret_key"], region_name=KEYS["region_name"])
    if any(b["Name"] == BUCKET for b in client.list_buckets().get("Buckets", [])):
        for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    else:
        client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, **KEYS, "location": "jx",
                    "addressing_style": "path", "default_acl": None, "querystring_auth": True,
                    "file_overwrite": False},
    }}
    return client


def test_the_storage_api_round_trips_through_the_server(s3: Any) -> None:
    from django.core.files.storage import default_storage
    from storages.backends.s3 import S3Storage

    assert isinstance(default_storage, S3Storage)  # what Evidence.file saves through
    data = "台账佐证 ledger evidence\n".encode() * 100
    name = default_storage.save("evidence/ab/abc/file.txt", ContentFile(data))
    assert name == "evidence/ab/abc/file.txt"
    assert default_storage.exists(name) and default_storage.size(name) == len(data)
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == data
    # a taken name gets a suffix, as on the filesystem, instead of overwriting another upload
    second = default_storage.save("evidence/ab/abc/file.txt", ContentFile(b"other"))
    assert second != name and default_storage.size(second) == 5
    assert s3.get_object(Bucket=BUCKET, Key=f"jx/{name}")["Body"].read() == data
    url = default_storage.url(name)
    assert "Signature=" in url or "X-Amz-Signature=" in url  # never a public URL
    default_storage.delete(name)
    assert not default_storage.exists(name)


@pytest.mark.django_db
def test_evidence_is_stored_in_the_bucket_and_downloaded_through_the_view(cast: Any, scope: Any, s3: Any,
                                                                          client: Any) -> None:
    value = value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                       indicator="gdp", variable="value", value=Decimal("80"))
    assert isinstance(value, Value)
    data = b"%PDF-1.4\n" + os.urandom(64 * 1024) + b"\n%%EOF\n"
    ev = evidence_add(actor=cast.reporter, scope=scope(cast.reporter), value=value,
                      upload=SimpleUploadedFile("统计报表.pdf", data, content_type="application/pdf"))
    ev = Evidence.objects.get(pk=ev.pk)
    name = str(ev.file.name)
    assert name.startswith(f"evidence/{ev.sha256[:2]}/{ev.sha256}/") and name.endswith(".pdf")
    stored = s3.get_object(Bucket=BUCKET, Key=f"jx/{name}")
    assert stored["Body"].read() == data and hashlib.sha256(data).hexdigest() == ev.sha256
    assert ev.file.storage.exists(name) and ev.file.size == len(data)

    client.force_login(cast.reporter)
    response = client.get(reverse("collection:evidence", args=[ev.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == data

    client.force_login(cast.outsider)  # no role: no organisation, the file is not found
    assert client.get(reverse("collection:evidence", args=[ev.pk])).status_code == 404
