"""A coordinator writes the annual report, has its PDF made by the background worker while the page shows the
progress, approves it, and the public finds it — in Chromium, with axe-core on every page on the way."""

import pytest
from django.core.management import call_command

from handlingsprogram.models import User
from rapportering.models import Aarsrapport, PdfGenerering
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"  # noqa: S105 -- a test user on a throwaway database
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def koordinator(loaded_programme):
    return User.objects.create_user(username="kora", password=PASSWORD, rolle=User.Rolle.KOORDINATOR, first_name="Kora")


@pytest.fixture(autouse=True)
def background_tasks(settings, tmp_path):
    """Tasks go to the database queue, as in production; the test runs the worker when it wants them done."""
    settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"


def run_worker() -> None:
    """``manage.py db_worker --batch``: works off the queue, then stops. It installs signal handlers, so it runs
    in this (the main) thread; the browser keeps polling the live server meanwhile."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def wait_for_outcome(page, selector):
    # The page polls its status once a second and reloads itself when the PDF is done or has failed.
    page.wait_for_selector(selector, timeout=90_000)


def test_coordinator_makes_the_pdf_in_the_background_and_approves(live_server, page, koordinator):
    base = live_server.url
    page.goto(base + "/konto/logg-inn/")
    page.locator("input[name=username]").fill("kora")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()

    # From the menu to a new draft for 2021, with a summary.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Årsrapporter").click()
    assert page.locator("h1").inner_text() == "Årsrapporter"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ny årsrapport").click()
    page.get_by_label("År").select_option("2021")
    page.get_by_role("button", name="Opprett utkast").click()
    page.get_by_label("Sammendrag").fill("Et år med mange digitale møter.")
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []

    # A PDF of the draft: queued, then made by the worker while the page follows it.
    page.get_by_role("button", name="Lag PDF av utkastet").click()
    page.wait_for_load_state()
    assert page.locator("#generering-text").inner_text() == "I kø: venter på en ledig arbeider."
    assert page.locator("#generering-bar").is_visible()
    assert axe_violations(page) == []
    run_worker()
    wait_for_outcome(page, "#generering-done")
    assert "PDF-en er klar" in page.locator("#generering-done").inner_text()
    assert axe_violations(page) == []
    download = page.get_by_role("link", name="Last ned utkastet som PDF").get_attribute("href")
    response = page.request.get(base + download)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # Approval goes the same way; the report is then public.
    page.get_by_role("link", name="Tilbake til rapporten").click()
    page.get_by_role("link", name="Godkjenn rapporten").click()
    page.get_by_role("button", name="Godkjenn og publiser").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Godkjenner årsrapport 2021"
    aarsrapport = Aarsrapport.objects.get(aar=2021)
    assert aarsrapport.status == Aarsrapport.Status.UTKAST
    run_worker()
    wait_for_outcome(page, "#generering-done")
    assert "Årsrapporten er godkjent" in page.locator("#generering-done").inner_text()
    aarsrapport.refresh_from_db()
    assert aarsrapport.status == Aarsrapport.Status.GODKJENT
    assert PdfGenerering.objects.filter(status="ferdig").count() == 2

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Årsrapporter").click()
    assert page.get_by_role("link", name="Last ned årsrapporten for 2021 (PDF)").is_visible()
