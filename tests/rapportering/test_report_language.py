"""The annual report goes to Fylkesutvalget in bokmål: a coordinator browsing the portal in English still gets a
bokmål preview, PDF and frozen content."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from rapportering import services
from rapportering.models import PdfGenerering

from .conftest import YEAR, pdf_text

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def english_koordinator(client, koordinator):
    client.force_login(koordinator)
    client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("tiltak:overview")).content.decode()
    assert '<html lang="en"' in page  # the portal itself is English for this user
    return koordinator


@pytest.fixture
def draft(programme, koordinator):
    return services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)


def test_the_preview_is_bokmaal_for_an_english_user(client, english_koordinator, draft):
    html = client.get(reverse("rapportering:preview", kwargs={"pk": draft.pk})).content.decode()
    assert '<html lang="nb">' in html
    assert "Til fylkesutvalget" in html
    assert "To Fylkesutvalget" not in html


def test_the_pdf_made_in_an_english_request_is_bokmaal(client, settings, english_koordinator, draft):
    # The immediate backend runs the task inside the English request: the hardest case.
    settings.TASKS = IMMEDIATE
    client.post(reverse("rapportering:generate", kwargs={"pk": draft.pk}))
    generering = PdfGenerering.objects.get(aarsrapport=draft)
    assert generering.status == PdfGenerering.Status.FERDIG, generering.feilmelding
    response = client.get(reverse("rapportering:generering_pdf", kwargs={"pk": generering.pk}))
    pdf = b"".join(response.streaming_content)
    text = pdf_text(pdf)
    assert "Til fylkesutvalget" in text
    assert "To Fylkesutvalget" not in text
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "nb"


def test_an_approval_in_an_english_request_freezes_bokmaal_labels(client, settings, english_koordinator, draft):
    settings.TASKS = IMMEDIATE
    client.post(reverse("rapportering:approve", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert draft.frozen_content is not None
    labels = draft.frozen_content["content"]["labels"]
    assert labels["status"]["paagaar"] == "Pågår"
    assert labels["medlemskap_rolle"]["medlem"] == "Medlem"
    assert "Til fylkesutvalget" in pdf_text(draft.pdf.open("rb").read())
