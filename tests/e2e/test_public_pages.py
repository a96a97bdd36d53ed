"""A visitor reads the programme in a real browser; axe-core finds no serious accessibility problems."""

import pytest

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e


def test_visitor_goes_from_overview_to_a_measure_and_its_network(live_server, page, loaded_programme):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Internasjonalt handlingsprogram")
    assert page.get_attribute("html", "lang") == "nb"

    # The skip link is the first thing keyboard users reach, and it moves focus to the main content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Hopp til hovedinnhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.get_by_role("link", name="Tiltak 4.3.1").click()
    assert page.locator("h1").inner_text() == "Tiltak 4.3.1"
    assert "CPMR" in page.locator("main").inner_text()

    page.get_by_role("link", name="Nettverk", exact=True).first.click()
    assert page.locator("h1").inner_text() == "Nettverk og organisasjoner"
    page.get_by_role("link", name="Nordsjøkommisjonen", exact=False).first.click()
    assert "Nordsjøkommisjonen" in page.locator("h1").inner_text()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/program/internasjonalt-handlingsprogram-2020-2023/omraade/utdanning-og-kompetanse/",
        "/program/internasjonalt-handlingsprogram-2020-2023/tiltak/2.1.2/",
        "/nettverk/",
        "/styringsdokumenter/",
        "/finansieringsprogrammer/",
    ],
)
def test_public_pages_have_no_serious_accessibility_violations(live_server, page, loaded_programme, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert axe_violations(page) == []


def test_pages_work_without_javascript(live_server, browser, loaded_programme):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Tiltak 1.1.1").click()
    assert page.locator("h1").inner_text() == "Tiltak 1.1.1"
    context.close()
