"""Staff log progress in a real browser: log in, find their measure, report, correct; a coordinator follows up.

Every page on the way is checked with axe-core, the form also while it shows validation errors."""

import pytest

from handlingsprogram.models import Enhet, User
from tests.e2e.conftest import axe_violations
from tiltak.models import Statusmelding

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"  # noqa: S105 -- test users on a throwaway database
TILTAK_212 = "/program/internasjonalt-handlingsprogram-2020-2023/tiltak/2.1.2/"


def make_user(username, rolle, enhet_slug=None):
    enhet = Enhet.objects.get(aktoer__slug="trondelag-fylkeskommune", slug=enhet_slug) if enhet_slug else None
    return User.objects.create_user(
        username=username, password=PASSWORD, rolle=rolle, enhet=enhet, first_name=username.title()
    )


def log_in(page, base_url, username):
    page.goto(base_url + "/konto/logg-inn/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def log_out(page):
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state()


@pytest.fixture
def users(loaded_programme):
    return {
        "utdanning": make_user("kari", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning"),
        "plan": make_user("per", User.Rolle.SAKSBEHANDLER, "avdeling-for-plan-og-naering"),
        "koordinator": make_user("kora", User.Rolle.KOORDINATOR, "avdeling-for-plan-og-naering"),
        "leser": make_user("lise", User.Rolle.LESER),
    }


def test_case_officer_reports_progress_and_coordinator_follows_up(live_server, page, users):
    base = live_server.url

    # The login page, then straight to "Mine tiltak".
    page.goto(base + "/konto/logg-inn/")
    assert page.locator("h1").inner_text() == "Logg inn"
    assert axe_violations(page) == []
    log_in(page, base, "kari")
    assert page.url == base + "/mine-tiltak/"
    assert page.locator("h1").inner_text() == "Mine tiltak"
    assert axe_violations(page) == []
    row = page.locator("tr", has=page.get_by_role("link", name="Tiltak 2.1.2", exact=True))
    assert "Ikke rapportert i 2023" in row.inner_text()

    # The measure's page has no status reports yet; the form opens from it.
    row.get_by_role("link", name="Tiltak 2.1.2", exact=True).click()
    assert page.locator("h1").inner_text() == "Tiltak 2.1.2"
    assert "Ingen statusmeldinger ennå." in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ny statusmelding").click()
    assert page.locator("h1").inner_text() == "Ny statusmelding for tiltak 2.1.2"

    # A date in the future and no description: both are refused, in Norwegian, and nothing is saved.
    page.get_by_label("Dato").fill("2099-01-01")
    page.get_by_role("button", name="Lagre statusmelding").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Datoen kan ikke være fram i tid." in main
    assert "Feltet er påkrevet." in main
    assert page.get_by_label("Hva som er gjort").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    assert not Statusmelding.objects.exists()

    page.get_by_label("Dato").fill("2023-05-10")
    page.get_by_label("Status", exact=True).select_option("paagaar")
    page.get_by_label("Vurdering").select_option("risiko")
    page.get_by_label("Hva som er gjort").fill("Informasjonsmøte med KS og Statsforvalteren om Erasmus+.")
    page.get_by_label("Resultater").fill("Tolv skoler meldte interesse.")
    page.get_by_label("Intern merknad").fill("Avklar ressursbruk med leder.")
    page.get_by_role("button", name="Lagre statusmelding").click()
    page.wait_for_load_state()

    # Back on the measure's page: a confirmation, the new status and the timeline entry.
    assert page.url == base + TILTAK_212
    main = page.locator("main").inner_text()
    assert "Statusmeldingen for tiltak 2.1.2 er lagret." in main
    assert "Informasjonsmøte med KS og Statsforvalteren om Erasmus+." in main
    assert "Avklar ressursbruk med leder." in main  # logged-in users read the internal remark
    facts = page.locator("dl.portal-facts").first.inner_text()
    assert "Pågår" in facts and "Risiko" in facts and "10.05.2023" in facts
    assert axe_violations(page) == []

    # A correction arrives filled with what it corrects: only what was wrong is retyped. It is a new report
    # that points at the first, which stays, folded away and marked as corrected.
    page.get_by_role("link", name="Korriger meldingen fra 10.05.2023").click()
    assert (
        page.get_by_label("Hva som er gjort").input_value()
        == "Informasjonsmøte med KS og Statsforvalteren om Erasmus+."
    )
    assert page.get_by_label("Intern merknad").input_value() == "Avklar ressursbruk med leder."
    assert page.get_by_label("Status", exact=True).input_value() == "paagaar"
    assert axe_violations(page) == []
    page.get_by_label("Dato").fill("2023-06-01")
    page.get_by_label("Vurdering").select_option("i_rute")
    page.get_by_label("Hva som er gjort").fill("Rettelse: møtet var med KS alene.")
    page.get_by_label("Hvorfor rettes den? (valgfritt)").fill("Feil deltakere")
    page.get_by_role("button", name="Lagre statusmelding").click()
    page.wait_for_load_state()
    headings = page.locator(".portal-timeline h3").all_inner_texts()
    assert [h.strip() for h in headings] == ["01.06.2023", "10.05.2023 – rettet"]
    newest = page.locator(".portal-timeline li").first.inner_text()
    assert "Korrigerer statusmeldingen fra 10.05.2023" in newest and "Feil deltakere" in newest
    assert "Avklar ressursbruk med leder." in newest  # the internal remark came along unchanged
    first = Statusmelding.objects.get(date="2023-05-10")
    corrected = page.locator(f"#statusmelding-{first.pk}")
    assert "se rettelsen" in corrected.inner_text()
    assert not corrected.get_by_text("Informasjonsmøte med KS og Statsforvalteren").is_visible()  # folded
    corrected.get_by_text("Vis meldingen slik den ble skrevet").click()
    assert corrected.get_by_text("Informasjonsmøte med KS og Statsforvalteren").is_visible()
    assert axe_violations(page) == []
    api = page.request.get(base + "/api/v1/statusmeldinger/?tiltak=2.1.2").json()["results"]
    assert [r["gjennomfoert"] for r in api] == ["Rettelse: møtet var med KS alene."]

    # Mine tiltak now counts 2.1.2 as reported this year; a case officer may not withdraw.
    page.get_by_role("link", name="Mine tiltak").click()
    row = page.locator("tr", has=page.get_by_role("link", name="Tiltak 2.1.2", exact=True))
    assert "01.06.2023" in row.inner_text() and "Ikke rapportert" not in row.inner_text()
    response = page.goto(base + f"/statusmelding/{first.pk}/trekk-tilbake/")
    assert response.status == 403
    log_out(page)

    # The coordinator sees the report on the dashboard, withdraws the first one and reads the history.
    log_in(page, base, "kora")
    page.get_by_role("link", name="Statusoversikt").click()
    assert page.locator("h1").inner_text().startswith("Statusoversikt")
    latest = page.locator("section", has=page.get_by_role("heading", name="Siste statusmeldinger"))
    assert "2.1.2" in latest.inner_text()
    assert "01.06.2023" in latest.inner_text() and "10.05.2023" not in latest.inner_text()  # only the correction
    assert axe_violations(page) == []

    # Withdrawing the correction: the first report counts again.
    correction = Statusmelding.objects.get(date="2023-06-01")
    page.goto(base + TILTAK_212)
    assert page.get_by_role("link", name="Trekk tilbake meldingen fra 10.05.2023").count() == 0  # corrected
    page.get_by_role("link", name="Trekk tilbake meldingen fra 01.06.2023").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Trekk tilbake").click()  # no reason given: refused
    page.wait_for_load_state()
    assert "Begrunnelse for tilbaketrekking: Feltet er påkrevet." in page.locator("main").inner_text()
    assert Statusmelding.objects.get(pk=correction.pk).withdrawn_at is None
    page.get_by_label("Begrunnelse for tilbaketrekking").fill("Feil møte registrert.")
    page.get_by_role("button", name="Trekk tilbake").click()
    page.wait_for_load_state()
    withdrawn = page.locator(f"#statusmelding-{correction.pk}")
    assert "trukket tilbake" in withdrawn.inner_text() and "Feil møte registrert." in withdrawn.inner_text()
    restored = page.locator(f"#statusmelding-{first.pk}")
    assert "rettet" not in restored.locator("h3").inner_text()
    assert restored.get_by_text("Informasjonsmøte med KS og Statsforvalteren").is_visible()
    history = page.locator("section", has=page.get_by_role("heading", name="Endringshistorikk"))
    assert "Kari" in history.inner_text() and "Kora" in history.inner_text()
    assert axe_violations(page) == []


def test_other_unit_cannot_report_and_reader_changes_nothing(live_server, page, users):
    base = live_server.url
    log_in(page, base, "per")  # Avdeling for plan og næring: not responsible for 2.1.2
    page.goto(base + TILTAK_212)
    assert page.get_by_role("link", name="Ny statusmelding").count() == 0
    response = page.goto(base + TILTAK_212 + "statusmelding/ny/")
    assert response.status == 403
    log_out(page)

    log_in(page, base, "lise")
    assert page.locator("h1").inner_text() == "Mine tiltak"
    page.get_by_role("link", name="Alle tiltak").click()
    assert page.locator("h1").inner_text().startswith("Alle tiltak")
    assert axe_violations(page) == []
    response = page.goto(base + TILTAK_212 + "statusmelding/ny/")
    assert response.status == 403
    assert not Statusmelding.objects.exists()


def test_tiltak_list_filters_in_the_browser(live_server, page, users):
    base = live_server.url
    log_in(page, base, "kora")
    page.goto(base + "/tiltak/")
    page.get_by_label("Søk", exact=True).fill("Erasmus")
    page.get_by_role("button", name="Bruk filtrene").click()
    page.wait_for_load_state()
    codes = page.locator("table a.portal-code").all_inner_texts()
    assert codes == ["2.3.5"]  # the only measure whose text names Erasmus+
    assert axe_violations(page) == []

    # A year outside the programme period is refused with a message, not a 500.
    response = page.goto(base + "/tiltak/?aar=1999")
    assert response.status == 200
    assert "Velg et år i programperioden 2020–2023." in page.locator("main").inner_text()
    assert axe_violations(page) == []
