"""Report PDFs on S3-compatible object storage (DJANGO_S3_BUCKET), against a real S3 server on loopback (moto's
server mode): approval stores the PDF there as a private object, and the public download streams the same bytes."""

import hashlib
import socket

import boto3
import pytest
from django.urls import reverse

from portal.storage_config import media_storage
from rapportering import services

from .conftest import YEAR

pytestmark = pytest.mark.django_db

BUCKET = "handlingsprogram-test"
CREDENTIALS = {"DJANGO_S3_ACCESS_KEY_ID": "testing", "DJANGO_S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-north-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 -- moto's fixed test credentials
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage(
            {
                "DJANGO_S3_BUCKET": BUCKET,
                "DJANGO_S3_ENDPOINT_URL": s3_endpoint,
                "DJANGO_S3_REGION": "eu-north-1",
                "DJANGO_S3_PREFIX": "media",
                **CREDENTIALS,
            }
        ),
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_approved_pdf_is_a_private_object_and_served_byte_for_byte(client, programme, koordinator, s3, media_root):
    draft = services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)
    approved = services.aarsrapport_approve(aarsrapport=draft, user=koordinator)

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"media/{approved.pdf.name}"]
    stored = s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == approved.pdf_sha256
    grants = s3.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only: not public
    assert not media_root.exists() or not any(media_root.rglob("*.pdf")), "nothing on local disk"

    response = client.get(reverse("rapportering:pdf", kwargs={"pk": approved.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored


def test_without_a_bucket_files_stay_on_local_disk():
    assert media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = media_storage({"DJANGO_S3_BUCKET": "b"})["OPTIONS"]
    assert (options["default_acl"], options["file_overwrite"], options["access_key"]) == ("private", False, None)
