"""Results in a real browser: a case officer records an indikator's value and sees the chart change, then corrects
it; a coordinator imports projects from a spreadsheet with one bad row (row-level error, nothing saved), fixes the
file and imports it, enters an exchange rate and reads the funding page. axe-core checks the indikator page, the
value form (also with an error), the import preview (with errors and valid), the rates page and the funding page;
every chart is an SVG with role="img" and a <title>/<desc> text alternative."""

from decimal import Decimal

import pytest

from handlingsprogram.models import User
from resultater.models import Indikator, Indikatorverdi, Prosjekt, Valutakurs
from tests.e2e.conftest import axe_violations, reflow_problems
from tests.e2e.test_staff_progress import log_in, make_user
from tiltak.models import Tiltak

pytestmark = pytest.mark.e2e

NBSP = "\u00a0"


def tiltak_212(programme) -> Tiltak:
    return Tiltak.objects.get(
        innsatsomraade__omraade__handlingsprogram=programme,
        innsatsomraade__omraade__nummer=2,
        innsatsomraade__nummer=1,
        nummer=2,
    )


def chart_alternative(page, svg) -> str:
    """The chart's accessible name as aria-labelledby builds it: its <title> and <desc>."""
    assert svg.get_attribute("role") == "img"
    ids = svg.get_attribute("aria-labelledby").split()
    texts = [page.locator(f"[id='{element_id}']").text_content() for element_id in ids]
    assert texts[0] == svg.locator("title").text_content()
    assert texts[1] == svg.locator("desc").text_content()
    return " ".join(texts)


def assert_reflows(page):
    """WCAG 1.4.10: at 320 CSS px (1280 px zoomed to 400 %) the page does not scroll sideways, only data tables
    scroll inside their own boxes, and the charts scale down with their labels inside the viewport and legible
    (the reflow walk's checks, tests/e2e/test_reflow.py)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    problems = reflow_problems(page, page.url, narrow=True)
    page.set_viewport_size(size)
    assert problems == [], "\n".join(problems)


def test_case_officer_records_and_corrects_a_value_and_the_chart_follows(live_server, page, loaded_programme):
    base = live_server.url
    make_user("kari", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning")  # responsible for 2.1.2
    indikator = Indikator.objects.create(
        tiltak=tiltak_212(loaded_programme),
        navn="Skoler med internasjonale prosjekt",
        maaleenhet=Indikator.Maaleenhet.PROSENT,
        basis_verdi=Decimal(80),
        basis_aar=2019,
        basis_kilde="Programmet, kap. 2.2",
        maal_verdi=Decimal(100),
        maal_aar=2023,
    )
    log_in(page, base, "kari")

    # The indikator's page: baseline and target in the chart, no points yet.
    page.goto(base + indikator.get_absolute_url())
    assert page.locator("h1").inner_text() == "Skoler med internasjonale prosjekt"
    svg = page.locator("svg.chart--indikator")
    assert "Ingen verdier er registrert ennå." in chart_alternative(page, svg)
    assert svg.locator("g.chart-point").count() == 0
    assert svg.locator("g.chart-reference").count() == 2  # baseline and target
    assert axe_violations(page) == []

    # The form: a value over 100 % is refused at the field, in Norwegian, and nothing is saved.
    page.get_by_role("link", name="Registrer en verdi").click()
    assert page.locator("h1").inner_text() == "Registrer en verdi"
    assert axe_violations(page) == []
    page.get_by_label("År", exact=True).select_option("2021")
    page.get_by_label("Verdi", exact=True).fill("120")
    page.get_by_label("Kilde", exact=True).fill("Skolenes rapporter")
    page.get_by_role("button", name="Lagre verdien").click()
    page.wait_for_load_state()
    assert page.get_by_label("Verdi", exact=True).get_attribute("aria-invalid") == "true"
    assert page.locator("#id_verdi_error").inner_text() == "En prosent må være mellom 0 og 100."
    assert axe_violations(page) == []
    assert not Indikatorverdi.objects.exists()

    page.get_by_label("År", exact=True).select_option("2021")
    page.get_by_label("Verdi", exact=True).fill("87,5")
    page.get_by_label("Kilde", exact=True).fill("Skolenes rapporter")
    page.get_by_label("Kommentar", exact=True).fill("Tolv av trettien skoler svarte ikke.")
    page.get_by_role("button", name="Lagre verdien").click()
    page.wait_for_load_state()

    # Back on the indikator's page: a point for 2021 in the chart, the value in the table and the text alternative.
    assert page.url == base + indikator.get_absolute_url()
    assert "Verdien for 2021 er registrert." in page.locator("main").inner_text()
    point = page.locator('svg.chart--indikator g.chart-point[data-year="2021"]')
    assert point.count() == 1
    assert point.locator("text.chart-point-label").text_content() == f"87,5{NBSP}%"
    row = page.locator("#table-verdier tr", has=page.locator("th", has_text="2021"))
    assert f"87,5{NBSP}%" in row.inner_text()
    assert "Skolenes rapporter" in row.inner_text() and "Tolv av trettien skoler svarte ikke." in row.inner_text()
    alternative = chart_alternative(page, page.locator("svg.chart--indikator"))
    assert "Skoler med internasjonale prosjekt" in alternative
    assert f"2021: 87,5{NBSP}%" in alternative
    assert f"80{NBSP}%" in alternative and f"100{NBSP}%" in alternative  # baseline and target
    assert axe_violations(page) == []
    assert_reflows(page)

    # A correction: the form starts from what is recorded; the point's label changes, there is still one point.
    page.get_by_role("link", name="Rett 2021").click()
    assert page.get_by_label("År", exact=True).input_value() == "2021"
    assert page.get_by_label("Verdi", exact=True).input_value() == "87,5"  # Norwegian decimal comma
    assert axe_violations(page) == []
    page.get_by_label("Verdi", exact=True).fill("90")
    page.get_by_label("Kilde", exact=True).fill("Rettet telling")
    page.get_by_role("button", name="Lagre verdien").click()
    page.wait_for_load_state()
    assert "Verdien for 2021 er rettet." in page.locator("main").inner_text()
    points = page.locator("svg.chart--indikator g.chart-point")
    assert points.count() == 1
    assert points.locator("text.chart-point-label").text_content() == f"90{NBSP}%"
    assert f"2021: 90{NBSP}%" in chart_alternative(page, page.locator("svg.chart--indikator"))
    assert f"87,5{NBSP}%" not in page.locator("#table-verdier").inner_text()
    assert list(Indikatorverdi.objects.values_list("aar", "verdi")) == [(2021, Decimal(90))]
    assert axe_violations(page) == []


HEADER = (
    "Prosjektnummer;Navn;Akronym;Finansieringsprogram;Delprogram eller utlysning;Trøndelags rolle;"
    "Trønderske organisasjoner;Start;Slutt;Status;Totalbudsjett;Innvilget til trønderske partnere;Valuta;Tiltak"
)
GOOD = (
    "EP-1;Yrkesfag ute;YU;Erasmus+;KA121;Koordinator;Trøndelag fylkeskommune;01.08.2022;31.07.2024;Innvilget;"
    "500 000;450 000;EUR;2.1.2"
)
BAD = "EP-2;Lærlinger ute;LU;Erasmus+;KA121;Koordinator;;01.08.2022;31.07.2021;Innvilget;100 000;50 000;EUR;2.1.2"
FIXED = BAD.replace("31.07.2021", "31.07.2024")


def upload(page, base, path):
    page.goto(base + "/prosjekter/import/")
    page.get_by_label("Regneark (XLSX eller CSV)").set_input_files(path)
    page.get_by_role("button", name="Last opp og forhåndsvis").click()
    page.wait_for_load_state()


def test_coordinator_imports_a_spreadsheet_after_fixing_a_bad_row(live_server, page, loaded_programme, tmp_path):
    base = live_server.url
    make_user("kora", User.Rolle.KOORDINATOR, "avdeling-for-plan-og-naering")
    log_in(page, base, "kora")

    page.goto(base + "/prosjekter/import/")
    assert page.locator("h1").inner_text() == "Importer prosjekter fra et regneark"
    assert axe_violations(page) == []

    # A file whose second data row (row 3 of the sheet) ends before it starts: the error names row and column.
    bad = tmp_path / "prosjekter.csv"
    bad.write_text("\n".join([HEADER, GOOD, BAD]), encoding="utf-8")
    upload(page, base, bad)
    assert "/prosjekter/import/" in page.url and page.url != base + "/prosjekter/import/"
    errors = page.locator("#import-errors")
    assert errors.get_attribute("role") == "alert"
    assert "1 rad har feil. Ingenting blir lagret." in errors.inner_text()
    assert "Rad 3, «Slutt»: Prosjektet kan ikke slutte før det starter." in errors.inner_text()
    assert page.locator('#table-import tr[data-action="error"] th').inner_text() == "3"
    assert page.locator('#table-import tr[data-action="create"] th').inner_text() == "2"
    assert page.get_by_role("button", name="Importer filen").count() == 0
    assert not Prosjekt.objects.exists()
    assert axe_violations(page) == []
    assert_reflows(page)

    # The fixed file: valid, the button is there, and the import creates both projects.
    fixed = tmp_path / "prosjekter-rettet.csv"
    fixed.write_text("\n".join([HEADER, GOOD, FIXED]), encoding="utf-8")
    upload(page, base, fixed)
    assert page.locator("#import-errors").count() == 0
    summary = page.locator("#import-summary").inner_text()
    assert "Filen er gyldig" in summary and "2 prosjekter blir opprettet" in summary
    assert page.locator('#table-import tr[data-action="create"]').count() == 2
    assert not Prosjekt.objects.exists()  # nothing is saved before the confirmation
    assert axe_violations(page) == []
    page.get_by_role("button", name="Importer filen").click()
    page.wait_for_load_state()
    assert "Filen er importert: 2 opprettet, 0 oppdatert, 0 uendret." in page.locator("main").inner_text()
    assert page.locator("#import-result").is_visible()
    assert sorted(Prosjekt.objects.values_list("ekstern_id", flat=True)) == ["EP-1", "EP-2"]
    assert axe_violations(page) == []

    # The funding page needs the EUR rate of the start year (2022) for its NOK sums; the coordinator enters it.
    page.goto(base + "/finansiering/")
    assert "EUR 2022" in page.locator("#missing-rates").inner_text()
    page.get_by_role("link", name="Legg inn kursene").click()
    assert axe_violations(page) == []
    page.get_by_label("År", exact=True).fill("2022")
    page.get_by_label("Valuta", exact=True).select_option("EUR")
    page.get_by_label("NOK per enhet").fill("10,1")
    page.get_by_label("Kilde", exact=True).fill("Norges Bank, årsgjennomsnitt")
    page.get_by_role("button", name="Lagre kursen").click()
    page.wait_for_load_state()
    assert Valutakurs.objects.get().kurs == Decimal("10.1")
    assert "10,1" in page.locator("#table-valutakurser").inner_text()
    assert axe_violations(page) == []

    page.goto(base + "/finansiering/")
    assert page.locator("#missing-rates").count() == 0
    total = f"5{NBSP}050{NBSP}000{NBSP}NOK"  # (450 000 + 50 000) EUR × 10,1
    assert total in page.locator("#funding-total").inner_text()
    charts = page.locator("figure.chart-figure svg.chart")
    assert charts.count() == 3  # per funding programme, per start year, per priority area
    for i in range(charts.count()):
        alternative = chart_alternative(page, charts.nth(i))
        assert "NOK" in alternative
    assert_reflows(page)
    by_programme = page.locator("svg", has=page.locator("#chart-finansieringsprogram-title"))
    assert "Erasmus+" in chart_alternative(page, by_programme)
    assert axe_violations(page) == []
