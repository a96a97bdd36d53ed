"""The final evaluation in a browser (issue 16, «Checked»): a coordinator starts it after the period, writes the
overall evaluation, an area's evaluation and recommendations for a few measures, reads the preview, has the draft
PDF made by the background worker, approves it; the public then reads it with its SHA-256, and the partner API lists
it. axe-core on every page on the way, and the public page once at 390 px."""

import pytest

from handlingsprogram.models import User
from rapportering.models import PdfGenerering, Sluttevaluering
from tests.e2e.conftest import axe_violations
from tests.e2e.test_aarsrapport import DATABASE_QUEUE, PASSWORD, run_worker, wait_for_outcome
from tiltak.models import Tiltak

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
RECOMMENDATIONS = {"1.1.1": "viderefoeres", "2.1.2": "endres", "4.1.2": "avsluttes"}


@pytest.fixture(autouse=True)
def background_tasks(settings, tmp_path):
    """Tasks go to the database queue, as in production; the test runs the worker when it wants them done."""
    settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"
    # The live server's database is SQLite in memory with a shared cache, where a write meeting another
    # connection's write fails at once ("table is locked") instead of waiting. The evaluation's render takes long
    # enough for the worker's heartbeat thread to write beside its progress updates; in production (PostgreSQL,
    # or SQLite in a file) they wait for each other. The heartbeat is tested in tests/rapportering/.
    settings.PDF_HEARTBEAT_SECONDS = 3600


@pytest.fixture
def koordinator(loaded_programme):
    return User.objects.create_user(username="kora", password=PASSWORD, rolle=User.Rolle.KOORDINATOR, first_name="Kora")


def log_in(page, base, username):
    page.goto(base + "/konto/logg-inn/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def test_coordinator_writes_and_approves_the_final_evaluation_and_the_public_reads_it(
    live_server, page, koordinator, loaded_programme
):
    base = live_server.url
    programme = loaded_programme
    log_in(page, base, "kora")

    # From the annual reports (the period ended in 2023) to a new draft.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Årsrapporter").click()
    page.get_by_role("link", name="Ny sluttevaluering").click()
    assert page.locator("h1").inner_text() == "Ny sluttevaluering"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Opprett utkast").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []

    # The overall evaluation, one area's and three measures' recommendations.
    area = programme.omraader.order_by("nummer").first()
    page.get_by_label("Samlet vurdering", exact=True).fill("Programmet har samlet aktørene om Europa.")
    page.get_by_label(f"Vurdering av {area.nummer}. {area.navn}").fill("Klimaområdet fikk flest prosjekter.")
    for code, recommendation in RECOMMENDATIONS.items():
        tiltak = Tiltak.objects.by_code(programme, code).get()
        page.locator(f"select[name=anbefaling_{tiltak.pk}]").select_option(recommendation)
    page.locator("select[name=programme_recommendation]").select_option("rulleres")
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_load_state()
    assert page.locator("#evaluation-facts").get_attribute("data-status") == "utkast"
    assert axe_violations(page) == []
    sluttevaluering = Sluttevaluering.objects.get(handlingsprogram=programme)
    assert {a.tiltak.kode: a.recommendation for a in sluttevaluering.tiltakanbefalinger.all()} == RECOMMENDATIONS

    # The preview: the whole evaluation as a web page, with what was written.
    page.get_by_role("link", name="Les evalueringen som nettside").click()
    page.wait_for_load_state()
    preview = page.locator("body").inner_text()
    assert "Programmet har samlet aktørene om Europa." in preview
    assert "Klimaområdet fikk flest prosjekter." in preview
    assert axe_violations(page) == []
    page.go_back()

    # The draft PDF, made by the worker while the progress page follows it.
    page.get_by_role("button", name="Lag PDF av utkastet").click()
    page.wait_for_load_state()
    assert page.locator("#generering-bar").is_visible()
    assert axe_violations(page) == []
    run_worker()
    wait_for_outcome(page, "#generering-done")
    assert axe_violations(page) == []
    download = page.get_by_role("link", name="Last ned utkastet som PDF").get_attribute("href")
    response = page.request.get(base + download)
    assert response.headers["content-type"] == "application/pdf" and response.body().startswith(b"%PDF-")

    # Approval, through the worker too.
    page.get_by_role("link", name="Tilbake til sluttevalueringen").click()
    page.get_by_role("link", name="Godkjenn sluttevalueringen").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Godkjenn og publiser").click()
    page.wait_for_load_state()
    run_worker()
    wait_for_outcome(page, "#generering-done")
    sluttevaluering.refresh_from_db()
    assert sluttevaluering.status == Sluttevaluering.Status.GODKJENT and len(sluttevaluering.pdf_sha256) == 64
    assert PdfGenerering.objects.filter(sluttevaluering=sluttevaluering, status="ferdig").count() == 2

    # Anonymous: the evaluation is public with its hash, on a phone too; the API lists it.
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state()
    page.set_viewport_size(PHONE)
    page.goto(base + sluttevaluering.get_absolute_url())
    assert page.locator("#evaluation-facts").get_attribute("data-status") == "godkjent"
    assert page.locator("code.portal-hash").inner_text() == sluttevaluering.pdf_sha256
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    pdf_link = page.get_by_role("link", name="Last ned PDF").get_attribute("href")
    assert page.request.get(base + pdf_link).body().startswith(b"%PDF-")
    listed = page.request.get(base + "/api/v1/sluttevalueringer/").json()["results"]
    assert [(row["handlingsprogram"], row["pdf_sha256"]) for row in listed] == [
        (programme.slug, sluttevaluering.pdf_sha256)
    ]
    assert listed[0]["tiltakanbefalinger"]["2.1.2"]["anbefaling"] == "endres"
