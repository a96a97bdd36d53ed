"""Keyboard only, on a phone (390 CSS px; issue 17): a case officer opens the collapsed menu, registers a
participation choosing three measures in the checkbox list (filtered as she types), and files a status report.
No click and no fill: Tab, Enter, Space and typing, as with a keyboard or switch control; pages are opened from
the menu and the links on them. The filter box may only appear because the script shows it."""

import datetime

import pytest

from handlingsprogram.models import User
from nettverk.models import Deltagelse
from tests.e2e.conftest import axe_violations
from tests.e2e.test_staff_progress import PASSWORD, make_user
from tiltak.models import Statusmelding

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def tab_to(page, target, *, limit=250):
    """Press Tab until ``target`` (a CSS selector or a locator) has the focus; fail if it never does."""
    locator = page.locator(target).first if isinstance(target, str) else target.first
    for _ in range(limit):
        if locator.count() and locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML")[:200]
    pytest.fail(f"Tab never reached {target} (focus is on {focused})")


def follow(page, target):
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def open_menu_and_follow(page, link_text):
    tab_to(page, "summary.portal-menu__button")
    page.keyboard.press("Enter")
    assert page.locator("details.portal-menu").get_attribute("open") is not None
    follow(page, page.get_by_role("navigation").get_by_role("link", name=link_text, exact=True))


def test_register_participation_with_three_measures_and_a_status_report_by_keyboard(
    live_server, browser, loaded_programme
):
    base = live_server.url
    kari = make_user("kari", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning")  # responsible for 2.1.2
    context = browser.new_context(locale="nb-NO", viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(base + "/konto/logg-inn/")
        # The menu is collapsed: its links are not visible on the first screen, its button is.
        assert page.locator("summary.portal-menu__button").is_visible()
        assert not page.get_by_role("link", name="Nettverk").is_visible()

        tab_to(page, "input[name=username]")
        page.keyboard.type("kari")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Mine tiltak"

        # Register a participation from "Mine deltagelser".
        open_menu_and_follow(page, "Mine deltagelser")
        follow(page, page.locator("main").get_by_role("link", name="Registrer deltagelse", exact=True))
        assert page.locator("h1").inner_text() == "Registrer deltagelse"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        tab_to(page, "select[name=nettverk]")
        page.keyboard.type("Nordsjøkommisjonen")
        tab_to(page, "input[name=tittel]")
        page.keyboard.type("Arbeidsgruppemøte om skolesamarbeid")
        tab_to(page, "input[name=start]")
        # Typed into the date picker's fields; day and month alike, as their order follows Chromium's own locale.
        page.keyboard.type("11112022")
        tab_to(page, "select[name=nivaa]")
        page.keyboard.type("Adm")

        # The measures: type in the filter box, then Space on the first three boxes it leaves.
        filter_box = page.locator("#id_tiltak_filter")
        tab_to(page, "#id_tiltak_filter")
        assert filter_box.is_visible()
        page.keyboard.type("2.1.")
        visible = page.locator("#id_tiltak .portal-choices__option:visible")
        assert 3 <= visible.count() < 45
        assert page.locator("#id_tiltak_count").inner_text().endswith("av 45 vises")
        chosen = []
        for _ in range(3):
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.name") == "tiltak"
            page.keyboard.press("Space")
            chosen.append(int(page.evaluate("document.activeElement.value")))
        assert page.locator("#id_tiltak input:checked").count() == 3

        tab_to(page, "textarea[name=formaal]")
        page.keyboard.type("Finne partnere til Erasmus+-prosjekter for yrkesfag.")
        assert axe_violations(page, impacts=("minor", "moderate", "serious", "critical")) == []
        tab_to(page, "main form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Arbeidsgruppemøte om skolesamarbeid"
        deltagelse = Deltagelse.objects.get()
        assert deltagelse.start == datetime.date(2022, 11, 11)
        assert deltagelse.nivaa == "administrativ"
        assert sorted(deltagelse.tiltak.values_list("pk", flat=True)) == sorted(chosen)
        assert all(t.kode.startswith("2.1.") for t in deltagelse.tiltak.all())

        # A status report on 2.1.2, from "Mine tiltak".
        open_menu_and_follow(page, "Mine tiltak")
        follow(page, "main a[aria-label='Tiltak 2.1.2']")
        follow(page, page.locator("main").get_by_role("link", name="Ny statusmelding", exact=True))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        tab_to(page, "select[name=status]")
        page.keyboard.type("Pågår")
        tab_to(page, "select[name=vurdering]")
        page.keyboard.type("I rute")
        tab_to(page, "textarea[name=gjennomfoert]")
        page.keyboard.type("Skolebesøk i Bremen med tre videregående skoler.")
        tab_to(page, "main form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        melding = Statusmelding.objects.get(tiltak__innsatsomraade__omraade__nummer=2, author=kari)
        assert (melding.status, melding.vurdering) == ("paagaar", "i_rute")
        assert melding.gjennomfoert == "Skolebesøk i Bremen med tre videregående skoler."
    finally:
        context.close()
