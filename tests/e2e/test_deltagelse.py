"""Participation in a real browser: a case officer plans a meeting in the North Sea Commission's transport working
group, fills in "before", marks it held, writes the report-back, and finds it on the feed page. axe-core checks the
register, the network page, the form and the feed page."""

import datetime

import pytest
from django.utils import timezone

from nettverk.models import Deltagelse
from tests.e2e.conftest import axe_violations
from tests.e2e.test_staff_progress import log_in, make_user

pytestmark = pytest.mark.e2e


def test_plan_prepare_hold_and_report_a_meeting(live_server, page, loaded_programme):
    base = live_server.url
    make_user("kari", "saksbehandler", "avdeling-for-plan-og-naering")
    log_in(page, base, "kari")

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Nettverk").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nordsjøkommisjonen – arbeidsgruppe for transport").click()
    assert page.locator("h1").inner_text().startswith("Nordsjøkommisjonen – arbeidsgruppe for transport")
    assert axe_violations(page) == []

    # Plan: the form starts on this network, with Kari as participant.
    page.get_by_role("link", name="Registrer deltagelse").click()
    held_on = timezone.localdate() - datetime.timedelta(days=2)
    page.get_by_label("Tittel").fill("Arbeidsgruppemøte om TEN-T")
    page.get_by_label("Første dag").fill(held_on.isoformat())
    page.get_by_label("Sted").fill("Brussel")
    page.get_by_label("Nivå").select_option("administrativ")
    page.get_by_label("Formål").fill("Få Trøndelag inn i korridoren.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Arbeidsgruppemøte om TEN-T"
    assert "forberedelsene som er gjort" in page.locator("#next-missing").inner_text()
    # A step that cannot succeed yet is not offered as a button: the page says what is missing instead.
    assert page.get_by_role("button", name="Merk som «Forberedt»").count() == 0
    assert page.locator("#deltagelse-facts").get_attribute("data-status") == "planlagt"

    # Before: saving the preparation makes it prepared, and as its day has come, held: no buttons to press.
    page.get_by_role("link", name="Rediger").click()
    page.get_by_label("Forberedelser som er gjort").fill("Notat til fylkesrådet.")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.locator("#deltagelse-facts").get_attribute("data-status") == "gjennomfoert"
    assert "hva som skjedde og ble vedtatt" in page.locator("#next-missing").inner_text()

    # After: saving the report-back makes it reported.
    page.get_by_role("link", name="Rediger").click()
    page.get_by_label("Hva som skjedde og ble vedtatt").fill("Korridoren ble utvidet til Trondheim.")
    page.get_by_label("Hvordan og med hvem det ble delt").fill("Delt med Innovasjon Norge på e-post.")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.locator("#deltagelse-facts").get_attribute("data-status") == "rapportert"
    assert Deltagelse.objects.get().reported_at is not None
    assert page.locator("#vedlegg-form").is_visible()  # documents can be attached here
    assert axe_violations(page) == []

    page.get_by_role("link", name="Siste fra arenaene").click()
    assert "Korridoren ble utvidet til Trondheim." in page.locator("main").inner_text()
    assert axe_violations(page) == []
