"""A coordinator rolls 2020–2023 over in a real browser, with one tiltak of each decision, and adopts the
successor: the public front page shows 2024–2027, the archived tiltak page says where it went and the new one where
it came from (issue 16)."""

import pytest

from handlingsprogram.models import Enhet, Handlingsprogram, User
from tests.e2e.conftest import axe_violations
from tiltak.models import TiltakRullering

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"  # noqa: S105 -- a test user on a throwaway database
OLD = "internasjonalt-handlingsprogram-2020-2023"
NEW = "internasjonalt-handlingsprogram-2024-2027"


def log_in(page, base_url, username):
    page.goto(base_url + "/konto/logg-inn/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def decide(page, base, kode, decision_label, **fields):
    page.goto(f"{base}/program/{NEW}/rullering/")
    page.get_by_role("link", name=f"Endre beslutningen om {kode}", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label(decision_label, exact=True).check()
    for label, value in fields.items():
        field = page.get_by_label(label, exact=True)
        if label == "Slått sammen med":
            field.select_option(label=value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Lagre beslutningen").click()
    page.wait_for_load_state()
    # Back on the decisions page, at the row that was decided.
    page.wait_for_url(f"**/program/{NEW}/rullering/**", timeout=60_000)


def test_coordinator_rolls_over_and_adopts(live_server, page, loaded_programme):
    base = live_server.url
    enhet = Enhet.objects.get(aktoer__slug="trondelag-fylkeskommune", slug="avdeling-for-plan-og-naering")
    User.objects.create_user(username="kora", password=PASSWORD, rolle=User.Rolle.KOORDINATOR, enhet=enhet)
    log_in(page, base, "kora")

    # Start the rollover from the programme page; the form proposes the next period.
    page.goto(f"{base}/program/{OLD}/")
    page.get_by_role("link", name="Rullér over til et nytt program").click()
    page.wait_for_load_state()
    assert page.get_by_label("Første år", exact=True).input_value() == "2024"
    assert page.get_by_label("Kortnavn i adresser", exact=True).input_value() == NEW
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lag utkastet").click()
    page.wait_for_url(f"**/program/{NEW}/rullering/", timeout=60_000)
    assert page.locator("h1").inner_text() == "Rulleringsbeslutninger"
    assert page.locator("tbody tr").count() == 45
    assert axe_violations(page) == []

    # One tiltak of each decision (2.1.2 stays continued).
    decide(page, base, "1.1.1", "Endret", **{"Tiltakets tekst i det nye programmet": "Endret tekst for 2024–2027."})
    merge_target = page.locator("tr[data-kode='1.1.1'] td").nth(1).inner_text()  # its successor's code
    assert merge_target == "1.1.1"
    page.goto(f"{base}/program/{NEW}/rullering/1.1.2/")
    assert axe_violations(page) == []
    decide(page, base, "1.1.2", "Slått sammen", **{"Slått sammen med": "1.1.1 Endret tekst for 2024–2027."})
    decide(page, base, "1.2.1", "Delt", **{"Flere tiltak det deles i": "Første nye del.\nAndre nye del."})
    # Closing without a reason is refused with a message.
    page.goto(f"{base}/program/{NEW}/rullering/3.1.1/")
    page.get_by_label("Avsluttet", exact=True).check()
    page.get_by_role("button", name="Lagre beslutningen").click()
    page.wait_for_load_state()
    assert "Skriv hvorfor tiltaket avsluttes." in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Begrunnelse", exact=True).fill("Målet er nådd.")
    page.get_by_role("button", name="Lagre beslutningen").click()
    page.wait_for_url(f"**/program/{NEW}/rullering/**", timeout=60_000)
    decisions = {
        r.tiltak.kode: r.decision for r in TiltakRullering.objects.select_related("tiltak__innsatsomraade__omraade")
    }
    assert {decisions[k] for k in ("2.1.2", "1.1.1", "1.1.2", "1.2.1", "3.1.1")} == set(TiltakRullering.Decision.values)

    # Adopt.
    page.get_by_role("link", name="Registrer vedtaket").first.click()
    page.wait_for_load_state()
    page.get_by_label("Dato for Fylkesutvalgets vedtak", exact=True).fill("2023-12-12")
    page.get_by_label("Saksnummer", exact=True).fill("PS 23/145")
    page.get_by_role("button", name="Vedta").click()
    page.wait_for_url(f"**/program/{NEW}/", timeout=60_000)
    assert Handlingsprogram.objects.get(slug=OLD).state == "avsluttet"

    # The public front page shows 2024–2027.
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state()
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Internasjonalt handlingsprogram 2024–2027"
    assert "Programperiode 2024–2027" in page.content()
    assert "Vedtatt av Fylkesutvalget 12.12.2023, sak PS 23/145." in page.content()

    # The archived tiltak page says it is closed and where each went; the new one where it came from.
    page.goto(f"{base}/program/{OLD}/tiltak/2.1.2/")
    assert "Avsluttet" in page.get_by_test_id("programme-state").inner_text()
    lineage = page.get_by_test_id("lineage")
    assert "Videreført som 2.1.2 i 2024–2027" in lineage.inner_text()
    assert axe_violations(page) == []
    page.goto(f"{base}/program/{OLD}/tiltak/1.1.2/")
    assert "Slått sammen med 1.1.1 i 2024–2027" in page.get_by_test_id("lineage").inner_text()
    page.goto(f"{base}/program/{OLD}/tiltak/3.1.1/")
    assert "Avsluttet: Målet er nådd." in page.get_by_test_id("lineage").inner_text()
    page.goto(f"{base}/program/{OLD}/tiltak/1.2.1/")
    assert "Delt i:" in page.get_by_test_id("lineage").inner_text()
    page.goto(f"{base}/program/{NEW}/tiltak/1.1.1/")
    new_lineage = page.get_by_test_id("lineage").inner_text()
    assert "Endret fra 1.1.1 i 2020–2023" in new_lineage and "Slått sammen fra 1.1.2 i 2020–2023" in new_lineage
    page.get_by_role("link", name="Endret fra 1.1.1 i 2020–2023").click()
    page.wait_for_url(f"**/program/{OLD}/tiltak/1.1.1/", timeout=60_000)
    assert "Endret, videreført som 1.1.1 i 2024–2027" in page.get_by_test_id("lineage").inner_text()
