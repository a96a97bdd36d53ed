"""Correcting a statusmelding keeps what was said (issue 15): the form arrives filled, the correction supersedes
what it corrects everywhere the status counts, and the corrected one stays readable, marked as corrected."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiltak import selectors
from tiltak.models import Statusmelding
from tiltak.services import MAX_REASON_LENGTH, statusmelding_create, statusmelding_withdraw

from .test_views import form_url

FIELDS = ["date", "status", "vurdering", "gjennomfoert", "resultater", "neste_steg", "intern_merknad"]


@pytest.fixture
def full_report(tiltak_212, saksbehandler) -> Statusmelding:
    return statusmelding_create(
        tiltak=tiltak_212,
        user=saksbehandler,
        date=datetime.date(2022, 5, 2),
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.RISIKO,
        gjennomfoert="Fire skoler søkte Erasmus+-akkreditering.",
        resultater="To skoler fikk akkreditering.",
        neste_steg="Følge opp de to andre.",
        intern_merknad="Ring rektor på Ole Vig.",
        today=datetime.date(2023, 6, 1),
    )


def correct(tiltak, user, korrigerer, **changes) -> Statusmelding:
    values = {name: getattr(korrigerer, name) for name in FIELDS} | changes
    return statusmelding_create(tiltak=tiltak, user=user, korrigerer=korrigerer, **values)


def test_the_correction_form_arrives_filled_and_saves_every_unchanged_field(client, saksbehandler, full_report):
    tiltak = full_report.tiltak
    client.force_login(saksbehandler)
    page = client.get(form_url(tiltak), {"korrigerer": full_report.pk})
    assert page.status_code == 200
    form = page.context["form"]
    assert {name: form.initial[name] for name in FIELDS} == {name: getattr(full_report, name) for name in FIELDS}
    assert form.initial["korrigerer"] == full_report.pk
    html = page.content.decode()
    assert "Fire skoler søkte" in html and "Ring rektor på Ole Vig." in html
    assert "Korriger statusmeldingen av 02.05.2022" in html

    # The user changes one word, gives a reason and saves what the form holds.
    posted = {name: form.initial[name] for name in FIELDS} | {
        "date": "2022-05-02",
        "gjennomfoert": "Fem skoler søkte Erasmus+-akkreditering.",
        "korrigerer": full_report.pk,
        "correction_reason": "Feil antall skoler",
    }
    assert client.post(form_url(tiltak), posted).status_code == 302

    correction = Statusmelding.objects.get(korrigerer=full_report)
    for name in FIELDS:
        expected = "Fem skoler søkte Erasmus+-akkreditering." if name == "gjennomfoert" else getattr(full_report, name)
        assert getattr(correction, name) == expected, name
    assert (correction.correction_reason, correction.author) == ("Feil antall skoler", saksbehandler)
    full_report.refresh_from_db()
    assert full_report.superseded_by == correction
    assert full_report.gjennomfoert == "Fire skoler søkte Erasmus+-akkreditering."  # kept as it was written


def test_the_tiltak_page_folds_the_corrected_report_and_links_its_correction(
    client, saksbehandler, koordinator, full_report
):
    correction = correct(full_report.tiltak, koordinator, full_report, gjennomfoert="Fem skoler søkte.")
    html = client.get(full_report.tiltak.get_absolute_url()).content.decode()
    item = re.search(rf'<li id="statusmelding-{full_report.pk}".*?</li>', html, re.S).group(0)
    assert "portal-timeline__item--superseded" in item
    assert f'href="#statusmelding-{correction.pk}"' in item and "se rettelsen" in item
    assert re.search(r"<details[^>]*>.*Fire skoler søkte", item, re.S)  # still there, folded away
    assert "Korriger meldingen fra" not in item  # a corrected report is not offered for correction again
    current = re.search(rf'<li id="statusmelding-{correction.pk}".*?</li>', html, re.S).group(0)
    assert "<details" not in current and "Fem skoler søkte." in current


def test_a_new_report_starts_from_the_current_status_and_assessment(client, saksbehandler, tiltak_212):
    client.force_login(saksbehandler)
    initial = client.get(form_url(tiltak_212)).context["form"].initial
    assert "status" not in initial and "vurdering" not in initial  # nothing made up for a measure with no report
    assert 'value="" selected' in client.get(form_url(tiltak_212)).content.decode()

    Statusmelding.objects.create(
        tiltak=tiltak_212,
        author=saksbehandler,
        date=datetime.date(2022, 1, 10),
        status=Statusmelding.Status.FULLFOERT,
        vurdering=Statusmelding.Vurdering.AVVIK,
        gjennomfoert="Ferdig.",
    )
    initial = client.get(form_url(tiltak_212)).context["form"].initial
    assert (initial["status"], initial["vurdering"]) == ("fullfoert", "avvik")
    assert not any(initial.get(name) for name in ["gjennomfoert", "resultater", "neste_steg", "intern_merknad"])


def test_no_status_chosen_is_a_message_not_a_default(client, saksbehandler, tiltak_212):
    client.force_login(saksbehandler)
    post = {"date": "2023-03-15", "status": "", "vurdering": "", "gjennomfoert": "Møte holdt."}
    response = client.post(form_url(tiltak_212), post)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"status", "vurdering"}
    assert not Statusmelding.objects.exists()


@pytest.mark.parametrize("kind", ["superseded", "withdrawn"])
def test_a_report_that_no_longer_counts_cannot_be_corrected(saksbehandler, koordinator, full_report, kind):
    if kind == "superseded":
        correct(full_report.tiltak, saksbehandler, full_report, gjennomfoert="Rettet.")
    else:
        statusmelding_withdraw(statusmelding=full_report, user=koordinator, begrunnelse="Feil tiltak")
    count = Statusmelding.objects.count()
    with pytest.raises(ValidationError) as error:
        correct(full_report.tiltak, saksbehandler, full_report, gjennomfoert="Rettet igjen.")
    assert "korrigerer" in error.value.message_dict
    assert Statusmelding.objects.count() == count


def test_the_form_explains_why_a_stale_correction_link_does_nothing(client, saksbehandler, full_report):
    correct(full_report.tiltak, saksbehandler, full_report, gjennomfoert="Rettet.")
    client.force_login(saksbehandler)
    for value in [full_report.pk, "not-a-number", 99999999]:
        response = client.get(form_url(full_report.tiltak), {"korrigerer": value})
        assert response.status_code == 200
        assert "kan ikke korrigeres" in response.content.decode()
        assert response.context["form"].initial.get("korrigerer") is None


@pytest.mark.parametrize(("reason", "with_target"), [("x" * (MAX_REASON_LENGTH + 1), True), ("Skrivefeil", False)])
def test_a_bad_correction_reason_is_refused(saksbehandler, full_report, reason, with_target):
    count = Statusmelding.objects.count()
    values = {name: getattr(full_report, name) for name in FIELDS}
    with pytest.raises(ValidationError) as error:
        statusmelding_create(
            tiltak=full_report.tiltak,
            user=saksbehandler,
            korrigerer=full_report if with_target else None,
            correction_reason=reason,
            **values,
        )
    assert "correction_reason" in error.value.message_dict
    assert Statusmelding.objects.count() == count
    full_report.refresh_from_db()
    assert full_report.superseded_by is None


def test_withdrawing_a_correction_makes_the_corrected_report_count_again(saksbehandler, koordinator, full_report):
    correction = correct(full_report.tiltak, saksbehandler, full_report, status=Statusmelding.Status.FULLFOERT)
    assert selectors.current_statusmelding(tiltak=full_report.tiltak) == correction
    statusmelding_withdraw(statusmelding=correction, user=koordinator, begrunnelse="Rettelsen var feil")
    full_report.refresh_from_db()
    assert full_report.superseded_by is None
    assert selectors.current_statusmelding(tiltak=full_report.tiltak) == full_report
    # Every step is in the audit history: written, superseded, counting again.
    assert [h.superseded_by_id for h in full_report.history.order_by("history_date", "history_id")] == [
        None,
        correction.pk,
        None,
    ]


def test_status_lists_and_the_report_count_only_the_correction(saksbehandler, full_report, programme):
    correction = correct(full_report.tiltak, saksbehandler, full_report, status=Statusmelding.Status.FULLFOERT)
    row = selectors.tiltak_with_status(programme=programme, year=2022).get(pk=full_report.tiltak_id)
    assert (row.siste_status, row.rapportert) == ("fullfoert", True)
    in_year = list(selectors.statusmeldinger_in_year(programme=programme, year=2022))
    assert correction in in_year and full_report not in in_year
    assert full_report not in selectors.latest_statusmeldinger(programme=programme)


def test_the_api_lists_the_reports_that_count_unless_asked_for_all(client, saksbehandler, full_report):
    correction = correct(full_report.tiltak, saksbehandler, full_report, gjennomfoert="Fem skoler søkte.")
    url = reverse("api:statusmelding-list")
    listed = client.get(url, {"tiltak": "2.1.2"}).json()["results"]
    assert [r["id"] for r in listed] == [correction.pk]
    assert (listed[0]["korrigerer"], listed[0]["gjeldende"], listed[0]["erstattet_av"]) == (full_report.pk, True, None)

    everything = {
        r["id"]: r for r in client.get(url, {"tiltak": "2.1.2", "inkluder_erstattede": "true"}).json()["results"]
    }
    assert set(everything) == {full_report.pk, correction.pk}
    assert (everything[full_report.pk]["erstattet_av"], everything[full_report.pk]["gjeldende"]) == (
        correction.pk,
        False,
    )
    detail = client.get(reverse("api:statusmelding-detail", kwargs={"pk": full_report.pk})).json()
    assert detail["erstattet_av"] == correction.pk
    response = client.get(url, {"inkluder_erstattede": "kanskje"})
    assert response.status_code == 400 and "inkluder_erstattede" in response.json()
