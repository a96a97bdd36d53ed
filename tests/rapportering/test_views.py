"""Drafting, preview, PDF download, approval (freezing), reopening and the command line, with who may do what."""

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from rapportering import rendering, services
from rapportering.models import Aarsrapport, Omraadevurdering, PdfGenerering

from .conftest import YEAR, get_tiltak, pdf_text, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(programme, koordinator):
    return services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)


def edit_data(programme, **overrides):
    data = {
        "sammendrag": "Et godt år for samarbeidet.",
        "endrede_forutsetninger": "Pandemien stengte grensene.",
        "fu_meeting_date": "2022-03-15",
        "fu_saksnummer": "22/01234",
    }
    data.update({f"vurdering_{o.pk}": f"Vurdering av område {o.nummer}" for o in programme.omraader.all()})
    data.update(overrides)
    return data


def test_coordinator_creates_and_edits_a_draft(client, programme, koordinator):
    client.force_login(koordinator)
    response = client.post(reverse("rapportering:create", kwargs={"program": programme.slug}), {"aar": YEAR})
    aarsrapport = Aarsrapport.objects.get(handlingsprogram=programme, aar=YEAR)
    assert response.status_code == 302
    assert response["Location"] == reverse("rapportering:edit", kwargs={"pk": aarsrapport.pk})
    assert (aarsrapport.status, aarsrapport.versjon) == (Aarsrapport.Status.UTKAST, 1)

    response = client.post(reverse("rapportering:edit", kwargs={"pk": aarsrapport.pk}), edit_data(programme))
    assert response.status_code == 302
    aarsrapport.refresh_from_db()
    assert aarsrapport.sammendrag == "Et godt år for samarbeidet."
    assert aarsrapport.fu_meeting_date == datetime.date(2022, 3, 15)
    assert aarsrapport.fu_saksnummer == "22/01234"
    assert Omraadevurdering.objects.filter(aarsrapport=aarsrapport).count() == 4

    response = client.post(reverse("rapportering:create", kwargs={"program": programme.slug}), {"aar": YEAR})
    assert response.status_code == 400
    assert Aarsrapport.objects.filter(handlingsprogram=programme, aar=YEAR).count() == 1


def test_bad_input_is_reported_next_to_the_field_and_nothing_is_saved(client, programme, koordinator, draft):
    client.force_login(koordinator)
    data = edit_data(programme, fu_meeting_date="32.13.2021", fu_saksnummer="x" * 41)
    response = client.post(reverse("rapportering:edit", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_fu_meeting_date_error"' in html
    assert 'id="id_fu_saksnummer_error"' in html
    assert 'aria-invalid="true"' in html
    draft.refresh_from_db()
    assert (draft.sammendrag, draft.fu_meeting_date, draft.fu_saksnummer) == ("", None, "")
    assert not Omraadevurdering.objects.filter(aarsrapport=draft).exists()

    response = client.post(reverse("rapportering:create", kwargs={"program": programme.slug}), {"aar": 2019})
    assert response.status_code == 400
    assert 'id="id_aar_error"' in response.content.decode()


def test_preview_is_the_whole_report_with_staff_text_escaped(client, programme, koordinator, draft, saksbehandler):
    report(get_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(YEAR, 5, 1), "paagaar", "i_rute", "Skolebesøk")
    services.aarsrapport_draft_update(
        aarsrapport=draft,
        user=koordinator,
        sammendrag="<script>alert(1)</script> Sammendrag",
        endrede_forutsetninger="",
        fu_meeting_date=None,
        fu_saksnummer="",
        vurderinger={},
    )
    client.force_login(koordinator)
    response = client.get(reverse("rapportering:preview", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Sammendrag" in html
    assert "<script>" not in html
    assert "Skolebesøk" in html
    for code in ["1.1.1", "2.1.2", "4.2.1"]:
        assert f'id="tiltak-{code}"' in html
    assert "/static/css/rapport.css" in html


PAYLOAD = (
    '<img src="file:///etc/passwd"> <link rel=attachment href="file:///etc/passwd"> '
    '<img src="http://127.0.0.1:9/x.png"> http://127.0.0.1:9/x.png'
)


def make_draft_pdf(client, draft) -> bytes:
    """A coordinator asks for a PDF of the draft and downloads it (the immediate task backend makes it at once)."""
    response = client.post(reverse("rapportering:generate", kwargs={"pk": draft.pk}))
    generering = PdfGenerering.objects.get(aarsrapport=draft, formaal=PdfGenerering.Formaal.UTKAST)
    assert response.status_code == 302
    assert response["Location"] == reverse("rapportering:generering", kwargs={"pk": generering.pk})
    assert generering.status == PdfGenerering.Status.FERDIG, generering.feilmelding
    page = client.get(response["Location"]).content.decode()
    download = reverse("rapportering:generering_pdf", kwargs={"pk": generering.pk})
    assert f'href="{download}"' in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)


def test_hostile_text_in_every_editable_field_fetches_nothing(client, programme, koordinator, draft):
    form_fields = edit_data(programme, fu_meeting_date="")
    data = {name: PAYLOAD for name in form_fields if name != "fu_meeting_date"}
    data["fu_saksnummer"] = '<img src="file:///etc/passwd">'[:40]
    data["fu_meeting_date"] = ""
    client.force_login(koordinator)
    assert client.post(reverse("rapportering:edit", kwargs={"pk": draft.pk}), data).status_code == 302

    pdf = make_draft_pdf(client, draft)
    assert b"root:x:0:0" not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert "/AF" not in root
    for page in reader.pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            assert xobject.get_object().get("/Subtype") != "/Image"
        for annotation in page.get("/Annots", []):
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"
    text = pdf_text(pdf)
    assert "root:x:0:0" not in text
    assert '<img src="file:///etc/passwd">' in text  # shown as the text it is
    assert "<link rel=attachment" in text


def test_approval_freezes_the_pdf_whatever_happens_to_the_live_data(
    client, programme, koordinator, saksbehandler, draft
):
    t212 = get_tiltak(programme, "2.1.2")
    report(t212, saksbehandler, datetime.date(YEAR, 5, 1), "paagaar", "i_rute", "Før godkjenning")
    client.force_login(koordinator)
    response = client.post(reverse("rapportering:approve", kwargs={"pk": draft.pk}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Aarsrapport.Status.GODKJENT
    generering = PdfGenerering.objects.get(aarsrapport=draft)
    assert response["Location"] == generering.get_absolute_url()
    assert 'id="generering-done"' in client.get(response["Location"]).content.decode()
    assert (draft.approved_by, draft.approved_at is not None) == (koordinator, True)
    stored = draft.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == draft.pdf_sha256
    assert "Før godkjenning" in pdf_text(stored)
    assert generering.sider == len(PdfReader(io.BytesIO(stored)).pages)

    # Live data moves on: a new report, and the old one withdrawn.
    melding = report(t212, saksbehandler, datetime.date(YEAR, 11, 1), "fullfoert", "i_rute", "Etter godkjenning")
    old = t212.statusmeldinger.get(gjennomfoert="Før godkjenning")
    old.withdrawn_at, old.withdrawn_by, old.trukket_tilbake_begrunnelse = timezone.now(), koordinator, "x"
    old.save()
    assert melding.pk

    client.logout()
    response = client.get(reverse("rapportering:pdf", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert served == stored
    assert hashlib.sha256(served).hexdigest() == draft.pdf_sha256
    preview = client.get(reverse("rapportering:preview", kwargs={"pk": draft.pk})).content.decode()
    assert "Før godkjenning" in preview
    assert "Etter godkjenning" not in preview
    assert client.get(reverse("rapportering:list", kwargs={"program": programme.slug})).status_code == 200

    # An approved report cannot be edited or approved again.
    client.force_login(koordinator)
    assert client.post(reverse("rapportering:edit", kwargs={"pk": draft.pk}), edit_data(programme)).status_code == 302
    draft.refresh_from_db()
    assert draft.sammendrag == ""


def test_a_render_failure_leaves_the_draft_intact_with_a_clear_error(client, koordinator, draft, settings):
    settings.AARSRAPPORT_RENDER_TIMEOUT = 0.001  # the real time limit, far too short for any report
    client.force_login(koordinator)
    response = client.post(reverse("rapportering:approve", kwargs={"pk": draft.pk}))
    generering = PdfGenerering.objects.get(aarsrapport=draft)
    assert response["Location"] == generering.get_absolute_url()
    assert (generering.status, generering.formaal) == ("feilet", "godkjenning")
    page = client.get(generering.get_absolute_url()).content.decode()
    assert 'id="generering-error"' in page
    assert "0.001" in page
    draft.refresh_from_db()
    assert (draft.status, draft.pdf.name, draft.pdf_sha256, draft.frozen_content) == ("utkast", "", "", None)
    # Once the cause is gone, approving again works.
    settings.AARSRAPPORT_RENDER_TIMEOUT = 120
    client.post(reverse("rapportering:approve", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert draft.status == "godkjent"


def test_rendering_has_a_time_limit(programme):
    from rapportering import selectors

    document = selectors.live_document(programme=programme, year=YEAR)
    with pytest.raises(rendering.RenderError):
        rendering.render_pdf(document, timeout=0.001)


@pytest.fixture
def approved(programme, koordinator, draft):
    return services.aarsrapport_approve(aarsrapport=draft, user=koordinator)


def test_reopen_needs_a_reason_and_keeps_the_approved_version(client, programme, koordinator, approved):
    client.force_login(koordinator)
    url = reverse("rapportering:reopen", kwargs={"pk": approved.pk})
    response = client.post(url, {"reopened_reason": "  "})
    assert response.status_code == 400
    assert 'id="id_reopened_reason_error"' in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == Aarsrapport.Status.GODKJENT

    response = client.post(url, {"reopened_reason": "Feil i tallene for område 2."})
    new = Aarsrapport.objects.get(handlingsprogram=programme, aar=YEAR, versjon=2)
    assert response.status_code == 302
    assert (new.status, new.reopened_reason) == (Aarsrapport.Status.UTKAST, "Feil i tallene for område 2.")
    approved.refresh_from_db()
    assert approved.status == Aarsrapport.Status.ERSTATTET
    stored = approved.pdf.read()

    client.logout()
    response = client.get(reverse("rapportering:pdf", kwargs={"pk": approved.pk}))
    assert b"".join(response.streaming_content) == stored
    listing = client.get(reverse("rapportering:list", kwargs={"program": programme.slug})).content.decode()
    assert f'data-report="{approved.pk}"' in listing
    assert f'data-report="{new.pk}"' not in listing  # drafts are never public
    response = client.get(reverse("rapportering:detail", kwargs={"pk": new.pk}))
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["anonymous", "leser", "saksbehandler"])
def test_drafts_and_actions_are_for_coordinators_only(client, programme, role, request, approved):
    draft = services.aarsrapport_draft_create(programme=programme, aar=YEAR + 1, user=approved.approved_by)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    expected = 302 if role == "anonymous" else 403
    for name in ["detail", "preview", "pdf", "edit", "approve", "generate"]:
        response = client.post(reverse(f"rapportering:{name}", kwargs={"pk": draft.pk}), edit_data(programme))
        assert response.status_code == expected, name
        if role == "anonymous":
            assert response["Location"].startswith(reverse("konto:login"))
    response = client.post(reverse("rapportering:reopen", kwargs={"pk": approved.pk}), {"reopened_reason": "x"})
    assert response.status_code == expected
    response = client.post(reverse("rapportering:create", kwargs={"program": programme.slug}), {"aar": YEAR + 2})
    assert response.status_code == expected
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert (draft.status, draft.sammendrag, approved.status) == ("utkast", "", "godkjent")
    assert Aarsrapport.objects.count() == 2
    # Approved reports are public.
    for name in ["detail", "preview", "pdf"]:
        assert client.get(reverse(f"rapportering:{name}", kwargs={"pk": approved.pk})).status_code == 200, name


def test_command_writes_the_approved_pdf_or_renders_the_draft(programme, approved, tmp_path):
    out = tmp_path / "rapport.pdf"
    call_command("aarsrapport", "--aar", str(YEAR), "--output", str(out), "--program", programme.slug)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == approved.pdf_sha256
    call_command("aarsrapport", "--aar", str(YEAR + 1), "--output", str(out))
    text = pdf_text(out.read_bytes())
    assert "2.1.2" in text
    assert str(YEAR + 1) in text
