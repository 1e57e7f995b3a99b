"""Media on an S3-compatible object store (MEDIA_STORAGE=s3, docs/deploy.md 八): an evidence uploaded through one
process is stored in the bucket, nothing on local disk, and is read back by another process with the same
settings — what several app nodes and workers sharing the store rely on. The store is moto's S3 server on
loopback (the CI machine has no object store); the app talks to it over HTTP exactly as to MinIO."""

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from findings.models import Attachment

from .test_attachments import xlsx_bytes
from .test_services import draft

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "xuncha-media"
KEYS = {"MEDIA_S3_ACCESS_KEY": "xuncha", "MEDIA_S3_SECRET_KEY": "xuncha-secret", "MEDIA_S3_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def object_store():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=KEYS["MEDIA_S3_ACCESS_KEY"],
                          aws_secret_access_key=KEYS["MEDIA_S3_SECRET_KEY"], region_name=KEYS["MEDIA_S3_REGION"])
    client.create_bucket(Bucket=BUCKET)
    yield {"endpoint": endpoint, "client": client}
    server.stop()


@pytest.fixture
def s3_media(object_store, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-unused"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"endpoint_url": object_store["endpoint"], "bucket_name": BUCKET,
                    "access_key": KEYS["MEDIA_S3_ACCESS_KEY"], "secret_key": KEYS["MEDIA_S3_SECRET_KEY"],
                    "region_name": KEYS["MEDIA_S3_REGION"], "addressing_style": "path", "default_acl": None,
                    "file_overwrite": False, "querystring_auth": False},
    }}
    return object_store


def read_in_another_process(name: str, endpoint: str) -> str:
    """The SHA-256 of the stored file as another process, configured only by the environment, reads it."""
    env = {**os.environ, "MEDIA_STORAGE": "s3", "MEDIA_S3_ENDPOINT_URL": endpoint, "MEDIA_S3_BUCKET": BUCKET, **KEYS}
    code = ("import django, hashlib; django.setup(); from django.core.files.storage import storages; s = storages['default']; "
            f"print(type(s).__name__, hashlib.sha256(s.open({name!r}).read()).hexdigest())")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    backend, digest = result.stdout.split()[-2:]
    assert backend == "S3Storage"
    return digest


def test_an_evidence_lives_in_the_bucket_and_every_process_reads_it(s3_media, settings, client, team_unit, member,
                                                                   leader):
    content = xlsx_bytes()
    finding = draft(member, team_unit)
    client.force_login(member)
    response = client.post(f"/api/findings/{finding.pk}/attachments/",
                           {"file": SimpleUploadedFile("食堂就餐登记台账.xlsx", content)})
    assert response.status_code == 201, response.content
    stored = Attachment.objects.get(pk=response.json()["id"])
    keys = [item["Key"] for item in s3_media["client"].list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert stored.file.name in keys
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on local disk
    assert "食堂" not in stored.file.name  # a random name, as on disk

    client.force_login(leader)
    download = client.get(f"/api/finding-attachments/{stored.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert read_in_another_process(stored.file.name, s3_media["endpoint"]) == hashlib.sha256(content).hexdigest()


def test_an_unknown_media_storage_refuses_to_start():
    env = {**os.environ, "MEDIA_STORAGE": "nfs"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "MEDIA_STORAGE 只能是 filesystem 或 s3，而不是“nfs”" in result.stderr
