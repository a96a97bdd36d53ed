"""Four eyes on the annual report and the final evaluation (issue 18): with the programme's setting on, one
coordinator marks the draft ready for approval and another approves it; the same person is refused, both are
recorded, and a change to the texts after the mark sends the draft back to a plain draft. Off, one coordinator
approves in one step, as before."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from handlingsprogram import services as programme_services
from handlingsprogram.models import Handlingsprogram, User
from rapportering import selectors, services
from rapportering.models import Aarsrapport, PdfGenerering, Sluttevaluering

NOT_READY = "Utkastet er ikke markert som klart ennå."
SAME_PERSON = "Du markerte utkastet som klart til godkjenning, så en annen koordinator må godkjenne det."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def koordinator_to(make_user):
    return make_user("koordinator-to", User.Rolle.KOORDINATOR, first_name="Kari", last_name="Andre")


@pytest.fixture
def four_eyes(programme, koordinator):
    return programme_services.programme_four_eyes_set(programme=programme, user=koordinator, required=True)


@pytest.fixture
def aarsrapport(programme, koordinator):
    return services.aarsrapport_draft_create(programme=programme, aar=2021, user=koordinator)


@pytest.fixture
def sluttevaluering(programme, koordinator):
    return services.sluttevaluering_create(programme=programme, user=koordinator)


def save_texts(report, user, text: str):
    """Save the report's texts through its own service, with ``text`` as the summary or overall evaluation."""
    if isinstance(report, Aarsrapport):
        return services.aarsrapport_draft_update(
            aarsrapport=report,
            user=user,
            sammendrag=text,
            endrede_forutsetninger="",
            fu_meeting_date=None,
            fu_saksnummer="",
            vurderinger={area.pk: "Gikk bra." for area in report.handlingsprogram.omraader.all()},
        )
    return services.sluttevaluering_update(
        sluttevaluering=report,
        user=user,
        overall_assessment=text,
        programme_recommendation="rulleres",
        programme_reasoning="",
        fu_meeting_date=None,
        fu_saksnummer="",
        omraader={area.pk: "Gikk bra." for area in report.handlingsprogram.omraader.all()},
        tiltak={},
    )


def reload(report):
    if isinstance(report, Aarsrapport):
        return selectors.aarsrapport_get(pk=report.pk)
    return selectors.sluttevaluering_for(programme=report.handlingsprogram)


def approve(report, user):
    if isinstance(report, Aarsrapport):
        return services.aarsrapport_approve(aarsrapport=report, user=user)
    return services.sluttevaluering_approve(sluttevaluering=report, user=user)


@pytest.fixture(params=["aarsrapport", "sluttevaluering"])
def report(request):
    return request.getfixturevalue(request.param)


def test_the_setting_is_off_by_default_and_only_coordinators_change_it(programme, koordinator, saksbehandler):
    assert programme.four_eyes_approval is False
    with pytest.raises(PermissionDenied):
        programme_services.programme_four_eyes_set(programme=programme, user=saksbehandler, required=True)
    programme_services.programme_four_eyes_set(programme=programme, user=koordinator, required=True)
    programme.refresh_from_db()
    assert programme.four_eyes_approval is True
    latest = programme.history.latest()
    assert (latest.four_eyes_approval, latest.history_user) == (True, koordinator)


def test_off_one_coordinator_approves_in_one_step(aarsrapport, koordinator):
    assert services.approval_refusal(aarsrapport, koordinator) is None
    with pytest.raises(ValidationError, match="godkjennes av én koordinator i ett steg"):
        services.report_mark_ready(report=aarsrapport, user=koordinator)
    approved = approve(reload(aarsrapport), koordinator)
    assert approved.status == Aarsrapport.Status.GODKJENT
    assert (approved.approved_by, approved.ready_by, approved.ready_at) == (koordinator, None, None)


def test_on_approval_needs_the_ready_mark_and_another_coordinator(report, four_eyes, koordinator, koordinator_to):
    report = reload(report)
    # Not marked ready: nobody approves, and the request queues nothing.
    for user in (koordinator, koordinator_to):
        with pytest.raises(ValidationError, match=NOT_READY):
            services.pdf_generering_request(
                **{report._meta.model_name: report}, user=user, formaal=PdfGenerering.Formaal.GODKJENNING
            )
    services.report_mark_ready(report=report, user=koordinator)
    with pytest.raises(ValidationError, match="allerede markert"):
        services.report_mark_ready(report=report, user=koordinator_to)
    report = reload(report)
    # The one who marked it is refused, in the request and in the service the worker runs.
    assert services.approval_refusal(report, koordinator) == SAME_PERSON
    with pytest.raises(ValidationError, match=SAME_PERSON):
        services.pdf_generering_request(
            **{report._meta.model_name: report}, user=koordinator, formaal=PdfGenerering.Formaal.GODKJENNING
        )
    with pytest.raises(ValidationError, match=SAME_PERSON):
        approve(report, koordinator)
    assert not PdfGenerering.objects.exists()
    report = reload(report)
    assert report.is_draft and report.ready_by == koordinator
    assert services.approval_refusal(report, koordinator_to) is None


@pytest.mark.parametrize("kind", [Aarsrapport, Sluttevaluering])
def test_both_steps_are_recorded_on_the_report_and_in_its_history(
    client, kind, aarsrapport, sluttevaluering, four_eyes, koordinator, koordinator_to
):
    report = reload(aarsrapport if kind is Aarsrapport else sluttevaluering)
    save_texts(report, koordinator, "Et godt år.")
    services.report_mark_ready(report=reload(report), user=koordinator)
    approved = approve(reload(report), koordinator_to)
    assert approved.status == "godkjent" and approved.pdf_sha256
    assert (approved.ready_by, approved.approved_by) == (koordinator, koordinator_to)
    assert approved.ready_at <= approved.approved_at
    history = list(kind.history.filter(id=report.pk).order_by("history_date", "history_id"))
    steps = [(h.status, h.ready_by_id, h.approved_by_id, h.history_user_id) for h in history]
    assert (report.status, koordinator.pk, None, koordinator.pk) in steps  # marked ready, by whom
    assert steps[-1] == ("godkjent", koordinator.pk, koordinator_to.pk, koordinator_to.pk)
    if kind is Sluttevaluering:  # the partner API adds when it was marked ready and that two approved it
        listed = client.get("/api/v1/sluttevalueringer/").json()["results"]
        assert [(row["godkjent_av_to"], row["klar_til_godkjenning"] is not None) for row in listed] == [(True, True)]


def test_changed_texts_after_the_mark_send_the_draft_back(report, four_eyes, koordinator, koordinator_to):
    save_texts(reload(report), koordinator, "Første tekst.")
    services.report_mark_ready(report=reload(report), user=koordinator)
    # Saving the same texts again changes nothing that was marked.
    save_texts(reload(report), koordinator_to, "Første tekst.")
    assert reload(report).ready_by == koordinator
    # A changed text is not what was marked: the draft is a plain draft again, and must be marked anew.
    save_texts(reload(report), koordinator_to, "En annen tekst.")
    report = reload(report)
    assert (report.ready_at, report.ready_by) == (None, None)
    assert services.approval_refusal(report, koordinator_to).endswith(NOT_READY)
    marks = [h.ready_by_id for h in type(report).history.filter(id=report.pk).order_by("history_date", "history_id")]
    assert koordinator.pk in marks and marks[-1] is None  # the mark stays in the audit history


def test_changing_an_area_text_alone_drops_the_mark(sluttevaluering, four_eyes, koordinator, programme):
    save_texts(reload(sluttevaluering), koordinator, "Tekst.")
    services.report_mark_ready(report=reload(sluttevaluering), user=koordinator)
    area = programme.omraader.order_by("nummer").first()
    services.sluttevaluering_update(
        sluttevaluering=reload(sluttevaluering),
        user=koordinator,
        overall_assessment="Tekst.",
        programme_recommendation="rulleres",
        programme_reasoning="",
        fu_meeting_date=None,
        fu_saksnummer="",
        omraader={area.pk: "Noe annet."},
        tiltak={},
    )
    assert reload(sluttevaluering).ready_at is None


def test_pages_offer_the_step_the_user_can_take(client, aarsrapport, four_eyes, koordinator, koordinator_to):
    detail = reverse("rapportering:detail", kwargs={"pk": aarsrapport.pk})
    client.force_login(koordinator)
    page = client.get(detail).content.decode()
    assert "Marker som klar til godkjenning" in page and "Godkjenn rapporten" not in page
    response = client.get(reverse("rapportering:approve", kwargs={"pk": aarsrapport.pk}), follow=True)
    assert NOT_READY in response.content.decode()

    response = client.post(reverse("rapportering:mark_ready", kwargs={"pk": aarsrapport.pk}), follow=True)
    page = response.content.decode()
    assert "Utkastet er markert som klart til godkjenning." in page
    assert SAME_PERSON in page and "Godkjenn rapporten" not in page
    response = client.post(reverse("rapportering:approve", kwargs={"pk": aarsrapport.pk}), follow=True)
    assert SAME_PERSON in response.content.decode()
    assert not PdfGenerering.objects.exists()

    client.force_login(koordinator_to)
    page = client.get(detail).content.decode()
    assert "Godkjenn rapporten" in page and "Klar til godkjenning" in page
    assert "(koordinator-test)" in page or f"({koordinator.get_full_name()})" in page


def test_the_coordinator_turns_the_setting_on_and_off_on_the_reports_page(client, programme, koordinator, leser):
    url = reverse("rapportering:approval_setting", kwargs={"program": programme.slug})
    client.force_login(leser)
    assert client.post(url, {"four_eyes_approval": "on"}).status_code == 403
    client.force_login(koordinator)
    page = client.get(reverse("rapportering:list", kwargs={"program": programme.slug})).content.decode()
    assert "Godkjenning krever en koordinator til" in page
    response = client.post(url, {"four_eyes_approval": "on"}, follow=True)
    assert "godkjennes nå av to koordinatorer" in response.content.decode()
    assert Handlingsprogram.objects.get(pk=programme.pk).four_eyes_approval is True
    client.post(url, {})
    assert Handlingsprogram.objects.get(pk=programme.pk).four_eyes_approval is False
    assert client.post(url, {"four_eyes_approval": "<script>"}).status_code == 302  # a ticked box, whatever it says
    assert Handlingsprogram.objects.get(pk=programme.pk).four_eyes_approval is True
