"""Documents attached to a statusmelding when it is written: the same check, limit and download as a deltagelse's
(felles.vedlegg); internal (logged-in users only, never on the public page or in the API); part of the record."""

import datetime
import io
import zipfile

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiltak import services
from tiltak.models import Statusmelding, StatusmeldingVedlegg

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def form_url(tiltak):
    programme = tiltak.innsatsomraade.omraade.handlingsprogram
    return reverse("tiltak:statusmelding_create", kwargs={"program": programme.slug, "kode": tiltak.kode})


def post_data(*files) -> dict:
    return {
        "date": "2023-03-15",
        "status": "paagaar",
        "vurdering": "i_rute",
        "gjennomfoert": "Søknader sendt.",
        "vedlegg": list(files),
    }


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_documents_are_saved_with_the_statusmelding_and_downloaded_by_logged_in_users_only(
    client, saksbehandler, leser, tiltak_212, media_root
):
    client.force_login(saksbehandler)
    response = client.post(
        form_url(tiltak_212),
        post_data(SimpleUploadedFile("rapport.pdf", PDF), SimpleUploadedFile("Referat møte.docx", docx())),
    )
    assert response.status_code == 302
    melding = Statusmelding.objects.get()
    attachments = list(melding.vedlegg.order_by("id"))
    assert [(a.navn, a.type, a.uploaded_by) for a in attachments] == [
        ("rapport.pdf", "pdf", saksbehandler),
        ("Referat_møte.docx", "docx", saksbehandler),
    ]
    # Stored under generated names, in their own folder.
    for attachment in attachments:
        assert attachment.fil.name.startswith("statusmeldinger/")
        assert "rapport" not in attachment.fil.name and "Referat" not in attachment.fil.name
    assert len(stored_files(media_root)) == 2

    download = reverse("tiltak:statusmelding_vedlegg_download", args=[attachments[0].pk])
    client.force_login(leser)  # a reader reads internal content, documents included
    page = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert download in page and "rapport.pdf" in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == PDF

    client.logout()
    page = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert "Søknader sendt." in page  # the statusmelding is public ...
    assert "rapport.pdf" not in page and download not in page  # ... its documents are not
    response = client.get(download)
    assert response.status_code == 302 and response["Location"].startswith(reverse(django_settings.LOGIN_URL))
    api = client.get(reverse("api:statusmelding-list")).content.decode()
    assert "rapport.pdf" not in api and "vedlegg" not in api
    assert client.get(reverse("tiltak:statusmelding_vedlegg_download", args=[999999])).status_code in (302, 404)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("side.pdf", b"<html><script>alert(1)</script></html>", "Bare PDF, Word-, Excel- og PowerPoint-filer"),
        ("rapport.docx", PDF, "Filen er ikke det navnet sier."),
        ("stor.pdf", PDF + b"x" * (1024 * 1024 + 1), "Filen er større enn 1 MB."),
    ],
)
def test_a_bad_document_gets_a_bokmaal_message_and_nothing_is_saved(
    client, saksbehandler, tiltak_212, media_root, settings, name, content, message
):
    settings.VEDLEGG_MAX_BYTES = 1024 * 1024
    client.force_login(saksbehandler)
    response = client.post(
        form_url(tiltak_212), post_data(SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile(name, content))
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f"«{name}»" in html
    assert not Statusmelding.objects.exists()
    assert not StatusmeldingVedlegg.objects.exists()
    assert stored_files(media_root) == []


def test_too_many_documents_at_once_are_refused(client, saksbehandler, tiltak_212, media_root):
    client.force_login(saksbehandler)
    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(services.MAX_ATTACHMENTS + 1)]
    response = client.post(form_url(tiltak_212), post_data(*files))
    assert response.status_code == 400
    assert "Legg ved høyst 5 dokumenter til én statusmelding." in response.content.decode()
    assert not Statusmelding.objects.exists() and stored_files(media_root) == []
    # Past the request's own cap on files, Django refuses the whole request (the Norwegian 400 page).
    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(11)]
    response = client.post(form_url(tiltak_212), post_data(*files))
    assert response.status_code == 400 and "Ugyldig forespørsel" in response.content.decode()
    assert not Statusmelding.objects.exists() and stored_files(media_root) == []


def test_the_size_limit_is_for_all_the_documents_together(client, saksbehandler, tiltak_212, media_root, settings):
    settings.VEDLEGG_MAX_BYTES = 1024 * 1024
    client.force_login(saksbehandler)
    half = PDF + b"x" * (600 * 1024)  # each under the limit, together over it
    response = client.post(
        form_url(tiltak_212), post_data(SimpleUploadedFile("a.pdf", half), SimpleUploadedFile("b.pdf", half))
    )
    assert response.status_code == 400
    assert "Dokumentene er til sammen større enn 1 MB." in response.content.decode()
    assert not Statusmelding.objects.exists() and stored_files(media_root) == []


def test_a_statusmelding_without_documents_is_as_before(client, saksbehandler, tiltak_212):
    client.force_login(saksbehandler)
    assert client.post(form_url(tiltak_212), post_data()).status_code == 302
    assert Statusmelding.objects.get().vedlegg.count() == 0


def test_the_service_refuses_a_user_who_may_not_log(saksbehandler_annen_enhet, tiltak_212, media_root):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.statusmelding_create(
            tiltak=tiltak_212,
            user=saksbehandler_annen_enhet,
            date=datetime.date(2023, 3, 1),
            status="paagaar",
            vurdering="i_rute",
            gjennomfoert="x",
            vedlegg=[SimpleUploadedFile("a.pdf", PDF)],
        )
    assert stored_files(media_root) == []


def test_documents_are_never_deleted(client, koordinator, saksbehandler, tiltak_212):
    melding = services.statusmelding_create(
        tiltak=tiltak_212,
        user=saksbehandler,
        date=datetime.date(2023, 3, 1),
        status="paagaar",
        vurdering="i_rute",
        gjennomfoert="x",
        vedlegg=[SimpleUploadedFile("a.pdf", PDF)],
    )
    attachment = melding.vedlegg.get()
    with pytest.raises(ProtectedError):
        melding.delete()
    client.force_login(koordinator)
    assert client.get(reverse("admin:tiltak_statusmeldingvedlegg_changelist")).status_code == 200
    assert client.get(reverse("admin:tiltak_statusmeldingvedlegg_delete", args=[attachment.pk])).status_code == 403
    assert client.post(reverse("admin:tiltak_statusmeldingvedlegg_change", args=[attachment.pk]), {}).status_code == 403
    # The upload is in the audit history, by its uploader.
    record = StatusmeldingVedlegg.history.get()
    assert (record.history_type, record.history_user) == ("+", saksbehandler)
    assert not services.permissions.can_read_internal(AnonymousUser())


def add_statusmeldinger_with_documents(tiltak, user, count: int):
    for n in range(count):
        services.statusmelding_create(
            tiltak=tiltak,
            user=user,
            date=datetime.date(2023, 1, 1 + n),
            status="paagaar",
            vurdering="i_rute",
            gjennomfoert=f"Runde {n}",
            vedlegg=[SimpleUploadedFile(f"{n}-{k}.pdf", PDF) for k in range(3)],
        )


@pytest.mark.parametrize("who", ["saksbehandler", "leser", None])
def test_the_tiltak_page_runs_a_constant_number_of_queries_whatever_the_number_of_documents(
    request, client, saksbehandler, tiltak_212, django_assert_num_queries, who
):
    if who:
        client.force_login(request.getfixturevalue(who))
    add_statusmeldinger_with_documents(tiltak_212, saksbehandler, 1)
    client.get(tiltak_212.get_absolute_url())  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(tiltak_212.get_absolute_url()).status_code == 200
    add_statusmeldinger_with_documents(tiltak_212, saksbehandler, 4)
    assert StatusmeldingVedlegg.objects.count() == 15
    with django_assert_num_queries(len(captured)):
        html = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert ("3-2.pdf" in html) == (who is not None)


def test_the_api_lists_documents_to_portal_users_only_in_a_constant_number_of_queries(
    client, koordinator, saksbehandler, tiltak_212, django_assert_num_queries
):
    from handlingsprogram.services import api_token_create

    add_statusmeldinger_with_documents(tiltak_212, saksbehandler, 1)
    melding = Statusmelding.objects.get()
    detail = reverse("api:statusmelding-detail", args=[melding.pk])
    _, key = api_token_create(user=koordinator, navn="Europakontoret", aktoer=None)
    for headers in ({}, {"HTTP_AUTHORIZATION": f"Token {key}"}):
        for path in (reverse("api:statusmelding-list"), detail):
            for fmt in ("json", "csv"):
                body = client.get(path, {"format": fmt}, **headers).content.decode()
                assert "0-0.pdf" not in body and "vedlegg" not in body

    client.force_login(saksbehandler)
    documents = client.get(detail).json()["vedlegg"]
    assert [(d["navn"], d["type"], d["stoerrelse"]) for d in documents] == [
        (f"0-{k}.pdf", "pdf", len(PDF)) for k in range(3)
    ]
    assert client.get(documents[0]["url"]).status_code == 200
    listing = reverse("api:statusmelding-list")
    client.get(listing)
    with CaptureQueriesContext(connection) as captured:
        client.get(listing)
    add_statusmeldinger_with_documents(tiltak_212, saksbehandler, 4)
    with django_assert_num_queries(len(captured)):
        rows = client.get(listing).json()["results"]
    assert sum(len(row["vedlegg"]) for row in rows) == 15
