"""Notification preferences and following in a real browser (issue 18): a case officer follows Nordsjøkommisjonen
from its page, chooses e-mail for report-backs on the preferences page, and gets a report-back from one of its
working groups in "Varsler"; then unfollows from the preferences page. axe-core on every page on the way."""

import datetime
import re

import pytest
from django.utils import timezone

from handlingsprogram.models import User
from nettverk import services as nettverk_services
from nettverk.models import Deltagelse, Nettverk
from tests.e2e.conftest import axe_violations
from tests.e2e.test_staff_progress import log_in, log_out, make_user
from varsler.models import Foelging, Varselinnstilling

pytestmark = pytest.mark.e2e


def test_follow_a_network_choose_email_and_get_its_report_back(live_server, page, loaded_programme):
    base = live_server.url
    page.set_default_timeout(60_000)
    make_user("kari", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning")
    per = make_user("per", User.Rolle.SAKSBEHANDLER, "avdeling-for-plan-og-naering")

    log_in(page, base, "kari")
    page.goto(base + "/nettverk/nordsjokommisjonen/")
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile(r"^Følg\W+Nordsjøkommisjonen$")).click()
    page.wait_for_load_state()
    assert (
        "Du følger Nordsjøkommisjonen og får varsel om nye tilbakerapporteringer." in page.locator("main").inner_text()
    )
    assert axe_violations(page) == []

    page.goto(base + "/varsler/")
    page.get_by_role("link", name="Velg hvilke varsler du også får på e-post, og hva du følger").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Innstillinger for varsler"
    assert axe_violations(page) == []
    field = page.get_by_label("Tilbakerapportering fra et nettverk eller område du følger")
    assert field.input_value() == "ukentlig"  # the default, marked as such
    assert "Standard: Også i en ukentlig samle-e-post." in page.locator("main").inner_text()
    field.select_option("straks")
    page.get_by_role("button", name="Lagre innstillingene").click()
    page.wait_for_load_state()
    assert "Innstillingene dine for varsler er lagret." in page.locator("main").inner_text()
    assert list(Varselinnstilling.objects.values_list("kind", "levering")) == [("tilbakerapportering", "straks")]
    assert page.get_by_role("link", name="Nordsjøkommisjonen").is_visible()
    assert axe_violations(page) == []
    log_out(page)

    # Per reports back from one of Nordsjøkommisjonen's working groups.
    deltagelse = nettverk_services.deltagelse_create(
        user=per,
        data={
            "nettverk": Nettverk.objects.get(slug="nsc-transport"),
            "tittel": "Arbeidsgruppemøte transport",
            "type": Deltagelse.Type.MOETE,
            "start": timezone.localdate() - datetime.timedelta(days=3),
            "nivaa": "administrativ",
            "formaal": "Påvirke TEN-T",
            "forberedelser": "Notat",
            "referat": "Korridoren ble utvidet",
            "deling": "Delt i faggruppen",
        },
    )
    assert deltagelse.status == Deltagelse.Status.RAPPORTERT

    log_in(page, base, "kari")
    page.goto(base + "/varsler/")
    main = page.locator("main").inner_text()
    assert f"Ny tilbakerapportering fra {deltagelse.nettverk.navn}: «Arbeidsgruppemøte transport»" in main
    assert axe_violations(page) == []
    page.get_by_role("button", name="Åpne og merk som lest").first.click()
    page.wait_for_load_state()
    assert page.url == base + deltagelse.get_absolute_url()

    page.goto(base + "/varsler/innstillinger/")
    page.get_by_role("button", name=re.compile(r"^Slutt å følge\W+Nordsjøkommisjonen$")).click()
    page.wait_for_load_state()
    assert "Du følger ikke lenger Nordsjøkommisjonen." in page.locator("main").inner_text()
    assert not Foelging.objects.exists()
    assert axe_violations(page) == []
