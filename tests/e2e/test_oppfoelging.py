"""The follow-up in a real browser (issue 18): a coordinator opens a reporting round and asks for an update; the
case officer sees both on "Mine tiltak" and in "Varsler", reports, and the request shows answered; the round's
dashboard shows her unit complete. The coordinator then asks for clarification of her entry, and she answers it
with a comment on the entry. axe-core on every page on the way."""

import datetime

import pytest

from handlingsprogram.models import User
from tests.e2e.conftest import axe_violations
from tests.e2e.test_staff_progress import TILTAK_212, log_in, log_out, make_user
from tiltak.models import Oppfoelgingsforespoersel, Rapporteringsrunde, Statusmelding, Tiltak

pytestmark = pytest.mark.e2e


def test_round_request_notification_and_answer(live_server, page, loaded_programme):
    base = live_server.url
    page.set_default_timeout(60_000)
    make_user("kari", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning")
    make_user("kora", User.Rolle.KOORDINATOR, "avdeling-for-plan-og-naering")
    frist = datetime.date.today() + datetime.timedelta(days=40)

    # The coordinator opens a round for 2023 from the list of rounds.
    log_in(page, base, "kora")
    page.goto(base + "/rapporteringsrunder/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Åpne en rapporteringsrunde").click()
    assert page.locator("h1").inner_text() == "Åpne en rapporteringsrunde"
    page.get_by_role("button", name="Åpne runden").click()  # empty: refused in Norwegian, nothing saved
    page.wait_for_load_state()
    assert "Feltet er påkrevet." in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert not Rapporteringsrunde.objects.exists()
    page.get_by_label("Navn").fill("Årsrapport 2023")
    page.get_by_label("År det rapporteres for").select_option("2023")
    page.get_by_label("Frist").fill(frist.isoformat())
    page.get_by_role("button", name="Åpne runden").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Årsrapport 2023"
    assert "Avdeling for utdanning" in page.locator("#runde-units").inner_text()
    assert axe_violations(page) == []
    # Her unit has reported on every other measure it owes already this year: 2.1.2 is the one missing.
    owed = Tiltak.objects.filter(
        innsatsomraade__omraade__handlingsprogram=loaded_programme, ansvar__enhet__slug="avdeling-for-utdanning"
    ).distinct()
    kari = User.objects.get(username="kari")
    for tiltak in owed.exclude(pk=Tiltak.objects.by_code(loaded_programme, "2.1.2").get().pk):
        Statusmelding.objects.create(
            tiltak=tiltak, author=kari, date=datetime.date(2023, 2, 1), status="paagaar", vurdering="i_rute",
            gjennomfoert="Rapportert tidligere.",
        )  # fmt: skip
    page.reload()
    unit_row = page.locator("#runde-units tr", has=page.get_by_role("rowheader", name="Avdeling for utdanning"))
    assert f"{owed.count() - 1} / {owed.count()}" in unit_row.inner_text() and "1 mangler" in unit_row.inner_text()

    # ... and asks the unit responsible for 2.1.2 for an update.
    page.goto(base + TILTAK_212)
    page.get_by_role("link", name="Be ansvarlig enhet om en oppdatering").click()
    page.get_by_label("Melding", exact=True).fill("Hvordan går det med Erasmus+-søknadene?")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send forespørselen").click()
    page.wait_for_load_state()
    section = page.locator("#forespoersler-heading").locator("xpath=..")
    assert "Åpen:" in section.inner_text() and "Hvordan går det med Erasmus+-søknadene?" in section.inner_text()
    assert axe_violations(page) == []
    log_out(page)

    # The case officer sees the round on "Mine tiltak" and both notifications in "Varsler".
    log_in(page, base, "kari")
    assert page.url == base + "/mine-tiltak/"
    block = page.locator("section.portal-runde")
    assert "Rapporteringsrunde: Årsrapport 2023" in block.inner_text()
    assert f"Frist: {frist:%d.%m.%Y}." in block.inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Varsler").first.click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Du har 2 uleste varsler." in main
    assert "Rapporteringsrunden «Årsrapport 2023» er åpen" in main
    assert "ber om en oppdatering på tiltak 2.1.2" in main
    assert axe_violations(page) == []
    # Opening the request's notification marks it read and goes to the measure's page.
    page.locator("li.portal-varsel", has_text="tiltak 2.1.2").get_by_role(
        "button", name="Åpne og merk som lest"
    ).click()
    page.wait_for_load_state()
    assert page.url.startswith(base + TILTAK_212)

    # She reports; the request is answered by the new status report.
    page.get_by_role("link", name="Ny statusmelding").click()
    page.get_by_label("Dato").fill("2023-05-10")
    page.get_by_label("Status", exact=True).select_option("paagaar")
    page.get_by_label("Vurdering").select_option("i_rute")
    page.get_by_label("Hva som er gjort").fill("To søknader sendt til Erasmus+.")
    page.get_by_role("button", name="Lagre statusmelding").click()
    page.wait_for_load_state()
    section = page.locator("#forespoersler-heading").locator("xpath=..")
    assert "Besvart:" in section.inner_text() and "statusmeldingen fra 10.05.2023" in section.inner_text()
    assert axe_violations(page) == []
    forespoersel = Oppfoelgingsforespoersel.objects.get()
    assert forespoersel.is_answered and forespoersel.svar_statusmelding is not None

    page.goto(base + "/varsler/")
    assert "Du har 1 ulest varsel." in page.locator("main").inner_text()
    page.get_by_role("button", name="Merk alle som lest").click()
    page.wait_for_load_state()
    assert "Du har 0 uleste varsler." in page.locator("main").inner_text()
    assert axe_violations(page) == []
    log_out(page)

    # The round's dashboard counts 2.1.2 as reported, and her unit as complete.
    log_in(page, base, "kora")
    page.goto(base + f"/rapporteringsrunder/{Rapporteringsrunde.objects.get().pk}/")
    row = page.locator("#runde-tiltak tr", has=page.get_by_role("link", name="Tiltak 2.1.2", exact=True))
    assert "Rapportert" in row.inner_text() and "Ikke rapportert" not in row.inner_text()
    unit_row = page.locator("#runde-units tr", has=page.get_by_role("rowheader", name="Avdeling for utdanning"))
    assert f"{owed.count()} / {owed.count()}" in unit_row.inner_text() and "Fullført" in unit_row.inner_text()
    assert axe_violations(page) == []

    # The coordinator asks for clarification of the entry of 10.05.2023 ...
    page.goto(base + TILTAK_212)
    page.get_by_role("link", name="Be om utdyping av meldingen fra 10.05.2023").click()
    page.get_by_label("Melding", exact=True).fill("Hvilke skoler står bak søknadene?")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send forespørselen").click()
    page.wait_for_load_state()
    clarification = Oppfoelgingsforespoersel.objects.get(statusmelding__isnull=False)
    assert clarification.statusmelding.date == datetime.date(2023, 5, 10) and not clarification.is_answered
    log_out(page)

    # ... the case officer finds it in "Varsler" and answers it with a comment on the entry.
    log_in(page, base, "kari")
    page.get_by_role("link", name="Varsler").first.click()
    page.wait_for_load_state()
    assert "ber om utdyping av statusmeldingen fra 10.05.2023 på tiltak 2.1.2" in page.locator("main").inner_text()
    page.locator("li.portal-varsel", has_text="utdyping").get_by_role("button", name="Åpne og merk som lest").click()
    page.wait_for_load_state()
    assert page.url.startswith(base + TILTAK_212)
    thread = page.locator(f"#kommentarer-statusmelding-{clarification.statusmelding_id}")
    thread.get_by_label("Ny kommentar").fill("Charlottenlund og Thora Storm videregående skole.")
    thread.get_by_role("button", name="Legg til kommentar").click()
    page.wait_for_selector(".portal-messages >> text=Kommentaren er lagret.")
    answered = page.locator(f"#forespoersel-{clarification.pk}").inner_text()
    assert "Besvart:" in answered and "Charlottenlund og Thora Storm videregående skole." in answered
    assert axe_violations(page) == []
    clarification.refresh_from_db()
    assert clarification.is_answered and clarification.answered_by.username == "kari"
