"""What a browser or a proxy may keep: nothing a logged-in user was shown, and never a draft report; public pages
and the partner API's conditional GET stay as they were."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from rapportering import services
from rapportering.models import PdfGenerering

pytestmark = pytest.mark.django_db

YEAR = 2021


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_a_logged_in_page_is_private_and_not_stored(client, saksbehandler):
    client.force_login(saksbehandler)
    for url in [reverse("tiltak:mine"), reverse("tiltak:overview")]:
        response = client.get(url)
        assert response.status_code == 200
        assert directives(response) >= {"private", "no-store"}, url


def test_a_draft_pdf_and_preview_are_private_and_not_stored(client, programme, koordinator):
    draft = services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)
    generering = PdfGenerering.objects.create(
        aarsrapport=draft,
        formaal=PdfGenerering.Formaal.UTKAST,
        status=PdfGenerering.Status.FERDIG,
        requested_by=koordinator,
    )
    generering.pdf.save("utkast.pdf", ContentFile(b"%PDF-1.7 draft"))
    client.force_login(koordinator)

    response = client.get(reverse("rapportering:generering_pdf", kwargs={"pk": generering.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert directives(response) == {"private", "no-store"}

    response = client.get(reverse("rapportering:preview", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    assert directives(response) == {"private", "no-store"}


def test_public_pages_and_the_partner_api_stay_cacheable_for_anonymous_visitors(client):
    response = client.get(reverse("tiltak:overview"))
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "private" not in directives(response)

    response = client.get(reverse("api:tiltak-list"))
    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=60"}
    etag = response["ETag"]
    assert client.get(reverse("api:tiltak-list"), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_api_keeps_what_staff_see_out_of_every_cache_but_still_answers_conditional_gets(client, leser):
    client.force_login(leser)
    response = client.get(reverse("api:tiltak-list"))
    assert response.status_code == 200
    assert directives(response) == {"private", "no-store"}, "staff see internal fields: stored by no cache"
    assert client.get(reverse("api:tiltak-list"), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
