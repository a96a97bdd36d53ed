"""A reader goes through the programme document in a real browser: from the programme page to the document, through
its contents to a chapter and a footnote; no serious accessibility problems, and no sideways scrolling at 320 px."""

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.test_resultater import assert_reflows

pytestmark = pytest.mark.e2e

PROGRAM = "internasjonalt-handlingsprogram-2020-2023"


def test_reader_goes_from_the_programme_to_a_chapter_and_its_footnote(live_server, page, loaded_programme):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Les hele programdokumentet").click()
    assert page.locator("h1").inner_text() == "Programdokumentet"

    contents = page.get_by_role("navigation", name="Innhold")
    contents.get_by_role("link", name="1.4 Oppfølging av internasjonalt handlingsprogram").click()
    assert page.url.endswith("#kapittel-1-4")
    assert "Oppfølgingen vil foregå langs tre akser" in page.locator("#kapittel-1-4").inner_text()

    page.get_by_role("link", name="Fotnote 1").click()
    assert page.url.endswith("#fotnote-1")
    assert page.locator("#fotnote-1").inner_text().startswith("En oversikt over internasjonale mål")

    page.get_by_role("link", name="Les hele kapittel 2.3, med tiltakene").click()
    assert page.locator("h1").inner_text() == "3. Nærings- og samfunnsutvikling"
    assert page.get_by_role("heading", name="TRØNDERE FRA HELE VERDEN").is_visible()


@pytest.mark.parametrize(
    "path",
    [f"/program/{PROGRAM}/programdokument/", f"/program/{PROGRAM}/omraade/naerings-og-samfunnsutvikling/"],
)
def test_document_pages_have_no_serious_accessibility_violations_and_reflow(live_server, page, loaded_programme, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert axe_violations(page) == []
    assert_reflows(page)
