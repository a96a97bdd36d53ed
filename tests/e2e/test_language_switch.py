"""The language switch on a 320 CSS px phone, by keyboard: English is chosen without JavaScript-only controls,
remembered on the next page, the programme's texts stay marked as Norwegian, and axe-core finds nothing (issue 17)."""

import pytest

from tests.e2e.conftest import axe_violations
from tiltak.models import Tiltak

pytestmark = pytest.mark.e2e

PHONE = {"width": 320, "height": 640}


def tab_to(page, selector, *, limit=60):
    locator = page.locator(selector).first
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def document_fits(page) -> bool:
    width, viewport = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return width <= viewport


def test_switching_to_english_and_back_on_a_phone(live_server, browser, loaded_programme):
    tiltak = Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").get(
        innsatsomraade__omraade__handlingsprogram=loaded_programme,
        innsatsomraade__omraade__nummer=2,
        innsatsomraade__nummer=1,
        nummer=2,
    )
    # A browser that asks for English first: the portal stays bokmål until the user chooses.
    context = browser.new_context(locale="en-GB", viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(live_server.url + tiltak.get_absolute_url())
        assert page.locator("html").get_attribute("lang") == "nb"
        switch = page.locator("form.portal-language button")
        assert switch.is_visible() and switch.inner_text() == "English"
        assert switch.get_attribute("lang") == "en"
        assert document_fits(page)
        assert axe_violations(page) == []

        tab_to(page, "form.portal-language button")
        with page.expect_navigation():
            page.keyboard.press("Enter")

        # Back on the same page, in English.
        assert page.url == live_server.url + tiltak.get_absolute_url()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", level=1).inner_text() == "Measure 2.1.2"
        text = page.locator("p[data-variant=long]")
        assert text.get_attribute("lang") == "nb" and text.inner_text() == tiltak.tekst
        assert page.locator(".portal-language-note").is_visible()
        assert page.locator("form.portal-language button").inner_text() == "Norsk (bokmål)"
        assert document_fits(page)
        assert axe_violations(page) == []

        # Remembered: another page, opened afresh, is English too.
        page.goto(live_server.url + "/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("summary.portal-menu__button").inner_text().strip() == "Menu"
        assert document_fits(page)
        assert axe_violations(page) == []

        tab_to(page, "form.portal-language button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("html").get_attribute("lang") == "nb"
        assert page.locator("summary.portal-menu__button").inner_text().strip() == "Meny"
    finally:
        context.close()
