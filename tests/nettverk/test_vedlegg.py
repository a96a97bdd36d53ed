"""Documents attached to deltagelser: checked by their bytes, limited in size, stored under a generated name, and
only ever downloaded (never shown inline) by logged-in staff."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nettverk import services
from nettverk.models import Deltagelse, Nettverk, Vedlegg

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<x/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def deltagelse(programme, saksbehandler):
    return services.deltagelse_create(
        user=saksbehandler,
        data={
            "nettverk": Nettverk.objects.get(slug="nsc-transport"),
            "tittel": "Møte",
            "start": datetime.date(2023, 3, 1),
            "nivaa": "administrativ",
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("agenda.pdf", PDF, "pdf"),
        ("referat.docx", ooxml("word/document.xml"), "docx"),
        ("budsjett.xlsx", ooxml("xl/workbook.xml"), "xlsx"),
        ("presentasjon.pptx", ooxml("ppt/presentation.xml"), "pptx"),
        ("bilde.png", PNG, "png"),
        ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "jpeg"),
    ],
)
def test_allowed_documents_are_stored_under_a_generated_name(client, deltagelse, saksbehandler, name, content, kind):
    client.force_login(saksbehandler)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(reverse("nettverk:vedlegg_upload", kwargs={"pk": deltagelse.pk}), {"fil": upload})
    assert response.status_code == 302
    vedlegg = Vedlegg.objects.get()
    assert (vedlegg.navn, vedlegg.type, vedlegg.stoerrelse) == (name, kind, len(content))
    assert name.split(".")[0] not in vedlegg.fil.name  # the stored name is generated

    download = client.get(reverse("nettverk:vedlegg_download", kwargs={"pk": vedlegg.pk}))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == content
    client.logout()
    assert client.get(reverse("nettverk:vedlegg_download", kwargs={"pk": vedlegg.pk})).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("referat.pdf", b"<html><script>alert(1)</script></html>", "Bare PDF"),
        ("referat.docx", PDF, "ikke det navnet sier"),
        ("arkiv.docx", b"PK\x03\x04" + b"\x00" * 40, "Bare PDF"),
        ("pakke.docx", ooxml("annet/fil.xml"), "Bare PDF"),
        ("skript.exe", b"MZ\x90\x00", "Bare PDF"),
        ("bilde.pdf", PNG, "ikke det navnet sier"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(client, deltagelse, saksbehandler, name, content, message):
    client.force_login(saksbehandler)
    response = client.post(
        reverse("nettverk:vedlegg_upload", kwargs={"pk": deltagelse.pk}),
        {"fil": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Vedlegg.objects.exists()


def test_size_limit_and_permissions(client, settings, deltagelse, saksbehandler_annen_enhet, leser, koordinator):
    settings.VEDLEGG_MAX_BYTES = 1024 * 1024
    client.force_login(koordinator)
    big = SimpleUploadedFile("stor.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    response = client.post(reverse("nettverk:vedlegg_upload", kwargs={"pk": deltagelse.pk}), {"fil": big})
    assert response.status_code == 400
    assert "større enn 1 MB" in response.content.decode()
    assert not Vedlegg.objects.exists()

    for user in (saksbehandler_annen_enhet, leser):
        client.force_login(user)
        small = SimpleUploadedFile("a.pdf", PDF)
        assert (
            client.post(reverse("nettverk:vedlegg_upload", kwargs={"pk": deltagelse.pk}), {"fil": small}).status_code
            == 403
        )
    assert not Vedlegg.objects.exists()

    client.force_login(koordinator)
    client.post(
        reverse("nettverk:vedlegg_upload", kwargs={"pk": deltagelse.pk}), {"fil": SimpleUploadedFile("a.pdf", PDF)}
    )
    vedlegg = Vedlegg.objects.get()
    client.force_login(leser)  # readers read the documents, but do not remove them
    assert client.get(reverse("nettverk:vedlegg_download", kwargs={"pk": vedlegg.pk})).status_code == 200
    assert client.post(reverse("nettverk:vedlegg_delete", kwargs={"pk": vedlegg.pk})).status_code == 403
    client.force_login(koordinator)
    assert client.post(reverse("nettverk:vedlegg_delete", kwargs={"pk": vedlegg.pk})).status_code == 302
    assert not Vedlegg.objects.exists()
    assert Deltagelse.objects.filter(pk=deltagelse.pk).exists()
    # The audit history keeps who attached and who removed it.
    assert [(h.history_type, h.navn) for h in Vedlegg.history.order_by("history_date")] == [
        ("+", "a.pdf"),
        ("-", "a.pdf"),
    ]


def test_an_upload_passing_the_limit_while_it_streams_is_stopped_and_nothing_is_kept(
    client, settings, tmp_path, deltagelse, saksbehandler
):
    """A body within the declared-length limit whose file passes the largest upload allowed (security review,
    issue 20 finding 5): the upload stops once the file passes it, the rest of the body is not read, the view
    never runs (413), and neither an attachment nor a temporary file is left behind."""
    from tests.portal.test_request_limits import multipart_with_file, post_streamed

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    limit = settings.UPLOAD_MAX_BYTES
    client.force_login(saksbehandler)
    body = multipart_with_file({}, "stor.pdf", limit + 512 * 1024)
    assert body.length <= settings.REQUEST_BODY_MAX_BYTES  # so the declared length alone does not refuse it
    response = post_streamed(client, reverse("nettverk:vedlegg_upload", kwargs={"pk": deltagelse.pk}), body)
    assert response.status_code == 413
    assert "for stor" in response.content.decode()
    assert body.sent < body.length
    assert body.sent <= limit + len(body.head) + 2 * 64 * 1024  # stopped within a chunk or two of the limit
    assert not Vedlegg.objects.exists()
    assert list((tmp_path / "uploads").iterdir()) == []
