"""The header's search on a 320 CSS px phone, by keyboard, with and without JavaScript (issue 17): the box is
reached by Tab, the query typed and sent with Enter, the results page has its headings, marks and counts, fits
the screen, passes axe-core (run where JavaScript is on: it is a script), and a hit is followed with the keyboard."""

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_keyboard_phone import tab_to

pytestmark = pytest.mark.e2e

PHONE = {"width": 320, "height": 720}


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_search_from_the_header_on_a_phone_by_keyboard(live_server, browser, loaded_programme, javascript):
    base = live_server.url
    context = browser.new_context(locale="nb-NO", viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(base + "/")
        box = page.get_by_role("searchbox", name="Søk etter tiltak, statusmeldinger, nettverk og mer")
        assert box.is_visible()  # not hidden behind the menu button
        assert width(page) <= PHONE["width"]
        tab_to(page, "#portal-search-q")
        page.keyboard.type("internasjonal")
        with page.expect_navigation():
            page.keyboard.press("Enter")

        assert page.url.startswith(base + "/sok/?q=internasjonal")
        assert page.locator("h1").inner_text() == "Søk"
        headings = page.locator("main h2").all_inner_texts()
        assert any(text.startswith("Tiltak (") for text in headings), headings
        assert page.locator("main mark").count() > 0
        assert page.get_by_role("link", name="Vis alle").first.is_visible()
        assert width(page) <= PHONE["width"]
        # axe-core is a script: it runs in the pass with JavaScript.
        assert not javascript or axe_violations(page, impacts=("minor", "moderate", "serious", "critical")) == []

        first_hit = page.locator("#sok-tiltak ~ ol a").first
        target = first_hit.get_attribute("href")
        tab_to(page, first_hit)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == base + target

        # A query of only common words: a message, no error page.
        page.goto(base + "/sok/?q=og+i+det")
        assert "bare svært vanlige ord" in page.get_by_role("alert").inner_text()
        assert width(page) <= PHONE["width"]
        assert not javascript or axe_violations(page, impacts=("minor", "moderate", "serious", "critical")) == []
    finally:
        context.close()
