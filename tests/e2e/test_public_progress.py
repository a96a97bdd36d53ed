"""The public progress and the statements in a real browser (issue 17): on a phone (320 CSS px) and on a wide
screen the front page and an area page show their progress without sideways scrolling, the charts scale down with
the page, and axe-core finds no WCAG 2.1 A/AA violation of any impact; the footer reaches the three statements."""

import datetime

import pytest

from handlingsprogram.models import User
from tests.e2e.conftest import axe_violations
from tests.e2e.test_staff_progress import make_user
from tiltak.models import Statusmelding, Tiltak

pytestmark = pytest.mark.e2e

WIDTHS = (320, 1280)
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


def _status_reports(programme):
    kari = make_user("kari", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning")
    rows = [
        ("2.1.2", "paagaar", "i_rute", False),
        ("2.1.1", "fullfoert", "i_rute", True),
        ("1.1.1", "utsatt", "avvik", False),
    ]
    for day, (code, status, vurdering, demo) in enumerate(rows, start=1):
        omraade, innsats, nummer = (int(part) for part in code.split("."))
        Statusmelding.objects.create(
            tiltak=Tiltak.objects.get(
                innsatsomraade__omraade__handlingsprogram=programme,
                innsatsomraade__omraade__nummer=omraade,
                innsatsomraade__nummer=innsats,
                nummer=nummer,
            ),
            author=kari,
            date=datetime.date(2022, 3, day),
            status=status,
            vurdering=vurdering,
            gjennomfoert="Et langt ord som må brytes: internasjonaliseringssamarbeidsavtaleforhandlingene.",
            intern_merknad="INTERN",
            demo=demo,
        )


def test_front_and_area_page_progress_on_a_phone_and_a_wide_screen(live_server, browser, loaded_programme):
    _status_reports(loaded_programme)
    area = loaded_programme.omraader.get(nummer=2).get_absolute_url()
    context = browser.new_context(locale="nb-NO", viewport={"width": WIDTHS[0], "height": 800})
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems = []
    for path in ("/", area, "/tilgjengelighetserklaering/", "/personvern/", "/kontakt/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            scroll_width, client_width = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll_width > client_width:
                problems.append(f"{path} at {width} px: the page is {scroll_width} px wide")
            problems += [f"{path} at {width} px: {v}" for v in axe_violations(page, impacts=ALL_IMPACTS)]
            if path in ("/", area):
                # The charts scale with the page instead of scrolling in a box of their own.
                for chart in page.locator("[data-testid=public-progress] svg.chart").all():
                    box = chart.bounding_box()
                    if box["width"] > client_width or box["x"] + box["width"] > client_width + 1:
                        problems.append(f"{path} at {width} px: a chart is {box['width']:.0f} px wide")
    assert problems == [], "\n".join(problems)

    # What the phone shows on the front page: the numbers, the newest date, demo marked, nothing internal.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/")
    progress = page.locator("[data-testid=public-progress]")
    assert "Sist oppdatert: 03.03.2022" in progress.inner_text()
    status_table = page.locator("#progress-table-status")
    assert status_table.locator('td[data-area="2"][data-category="paagaar"]').inner_text() == "1"
    assert status_table.locator('td[data-area="1"][data-category="utsatt"]').inner_text() == "1"
    assert progress.locator("[data-demo]").count() >= 2  # the demo count note and the demo report in the list
    assert "INTERN" not in page.locator("main").inner_text()
    # The chart's text alternative names the counts for a screen reader.
    assert page.get_by_role("img", name="Status for tiltakene, per prioritert område").count() == 1

    # The footer leads to the three statements.
    for name, heading in (
        ("Tilgjengelighetserklæring", "Tilgjengelighetserklæring"),
        ("Personvernerklæring", "Personvernerklæring"),
        ("Kontakt", "Kontakt"),
    ):
        page.goto(live_server.url + "/")
        page.locator("footer").get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == heading
    context.close()
