"""A coordinator checks what the portal inferred, in Chromium: opens «Utledet – til kontroll» from the menu,
confirms one inferred unit of an ansvar and corrects another, sees the count drop, and finds both recorded in
their name on the tiltak page. axe-core on the list and the form."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from handlingsprogram.models import Aktoer, Enhet, Kilde, User
from tests.e2e.conftest import axe_violations
from tiltak.models import Ansvar, Tiltak

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"  # noqa: S105 -- a test user on a throwaway database
TILTAK_212 = "/program/internasjonalt-handlingsprogram-2020-2023/tiltak/2.1.2/"
WAIT = 60_000  # milliseconds; two busy cores


def inferred(ansvar, reasoning):
    kilde, _ = Kilde.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(ansvar),
        object_id=ansvar.pk,
        field_name="enhet",
        related_id=None,
        defaults={"type": Kilde.Type.UTLEDET, "reasoning": reasoning, "reference": ""},
    )
    return kilde


@pytest.fixture
def setup(loaded_programme):
    User.objects.create_user(
        username="kora", password=PASSWORD, rolle=User.Rolle.KOORDINATOR, first_name="Kora", last_name="Kontroll"
    )
    tiltak = Tiltak.objects.by_code(loaded_programme, "2.1.2").get()
    trfk = Aktoer.objects.get(slug="trondelag-fylkeskommune")
    lead = tiltak.ansvar.get(aktoer=trfk, rolle=Ansvar.Rolle.ANSVARLIG)
    second = Ansvar.objects.create(
        tiltak=tiltak, aktoer=trfk, enhet=Enhet.objects.get(aktoer=trfk, slug="avdeling-for-plan-og-naering"),
        rolle=Ansvar.Rolle.BIDRAGSYTER,
    )  # fmt: skip
    kultur = Enhet.objects.create(aktoer=trfk, navn="Avdeling for kultur", slug="avdeling-for-kultur")
    return {
        "confirm": inferred(lead, "Utdanningstiltak ligger til Avdeling for utdanning."),
        "correct": inferred(second, "Regionalt utviklingsarbeid ligger til plan og næring."),
        "second": second,
        "kultur": kultur,
    }


def remaining(page) -> int:
    text = page.locator("#kilde-count").inner_text(timeout=WAIT)
    return int(re.match(r"(\d+) ", text).group(1))


def test_coordinator_confirms_one_inferred_unit_and_corrects_another(live_server, page, setup):
    base = live_server.url
    page.set_default_timeout(WAIT)
    page.goto(base + "/konto/logg-inn/")
    page.locator("input[name=username]").fill("kora")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Utledet – til kontroll", exact=True).click()
    page.wait_for_selector("h1:has-text('Utledet – til kontroll')")
    assert axe_violations(page) == []
    start = remaining(page)
    assert start >= 2
    confirm = page.locator(f"#kilde-{setup['confirm'].pk}")
    assert "Utdanningstiltak ligger til Avdeling for utdanning." in confirm.inner_text()
    assert "Tiltak 2.1.2 · Ansvar (Trøndelag fylkeskommune)" in confirm.inner_text()

    # Confirm the first: it leaves the list, and the count drops by one.
    confirm.get_by_role("button", name="Bekreft").click()
    page.wait_for_selector(".portal-messages >> text=Bekreftet.")
    assert remaining(page) == start - 1
    assert page.locator(f"#kilde-{setup['confirm'].pk}").count() == 0

    # Correct the second: the form starts from the unit as it is; choose another unit of the same actor.
    page.locator(f"#kilde-{setup['correct'].pk}").get_by_role("link", name="Rett").click()
    page.wait_for_selector("h1:has-text('Rett en utledet opplysning')")
    assert axe_violations(page) == []
    unit = page.get_by_label("Enhet")
    assert unit.locator("option:checked").inner_text().startswith("Avdeling for plan og næring")
    unit.select_option(label=str(setup["kultur"]))
    page.get_by_role("button", name="Lagre rettelsen").click()
    page.wait_for_selector(".portal-messages >> text=Rettet.")
    assert remaining(page) == start - 2
    assert axe_violations(page) == []

    setup["second"].refresh_from_db()
    assert setup["second"].enhet == setup["kultur"]

    # The tiltak page now says who recorded both units, and when.
    page.goto(base + TILTAK_212)
    today = timezone.localdate().strftime("%d.%m.%Y")
    table = page.locator("#ansvar-heading + .portal-table-wrap table")
    table.wait_for()
    assert table.inner_text().count(f"Registrert av Kora Kontroll {today}") == 2
    assert "Avdeling for kultur" in table.inner_text()
    assert axe_violations(page) == []


def test_compact_marks_in_lists_fold_out_their_reasoning(live_server, page, setup):
    """On the area page (a list), an inferred SDG link is a small «Utledet» tag that shows its reasoning on a tap
    or a key press, as a disclosure a screen reader announces."""
    from handlingsprogram.models import Baerekraftsmaal

    page.set_default_timeout(WAIT)
    tiltak = setup["second"].tiltak
    omraade = tiltak.innsatsomraade.omraade
    sdg = Baerekraftsmaal.objects.get(nummer=4)
    omraade.baerekraftsmaal.add(sdg)
    Kilde.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(omraade), object_id=omraade.pk,
        field_name="baerekraftsmaal", related_id=sdg.pk,
        defaults={"type": Kilde.Type.UTLEDET, "reasoning": "Ikonene gikk tapt i uttrekket.", "reference": ""},
    )  # fmt: skip
    page.goto(live_server.url + omraade.get_absolute_url())
    mark = page.locator("details.portal-kilde--compact", has_text="Ikonene gikk tapt").first
    reasoning = mark.locator(".portal-kilde__text")
    assert not reasoning.is_visible()
    mark.locator("summary").focus()
    page.keyboard.press("Enter")
    reasoning.wait_for(state="visible")
    assert "Ikke oppgitt i programdokumentet: Ikonene gikk tapt i uttrekket." in reasoning.inner_text()
    assert axe_violations(page) == []
