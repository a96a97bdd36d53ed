"""Four eyes on the annual report, in a browser (issue 18): a coordinator turns the programme's setting on, writes
the 2021 report and marks it ready; they are then told another coordinator must approve it; a second coordinator
approves it through the worker, and the report's page shows both. axe-core on every page on the way."""

import pytest

from handlingsprogram.models import Handlingsprogram, User
from rapportering.models import Aarsrapport
from tests.e2e.conftest import axe_violations
from tests.e2e.test_aarsrapport import DATABASE_QUEUE, PASSWORD, run_worker, wait_for_outcome
from tests.e2e.test_sluttevaluering import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def background_tasks(settings, tmp_path):
    settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def koordinatorer(loaded_programme):
    return [
        User.objects.create_user(
            username=username, password=PASSWORD, rolle=User.Rolle.KOORDINATOR, first_name=first, last_name="Test"
        )
        for username, first in (("kora", "Kora"), ("kari", "Kari"))
    ]


def test_one_coordinator_marks_ready_and_another_approves(live_server, page, koordinatorer, loaded_programme):
    base = live_server.url
    log_in(page, base, "kora")

    # The setting, on the annual reports page.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Årsrapporter").click()
    page.get_by_label("Godkjenning krever en koordinator til").check()
    page.get_by_role("button", name="Lagre innstillingen for godkjenning").click()
    page.wait_for_load_state()
    assert "godkjennes nå av to koordinatorer" in page.locator("main").inner_text()
    assert page.get_by_label("Godkjenning krever en koordinator til").is_checked()
    assert axe_violations(page) == []
    assert Handlingsprogram.objects.get(pk=loaded_programme.pk).four_eyes_approval

    # The first coordinator writes the draft and marks it ready; approving is not offered to them.
    page.get_by_role("link", name="Ny årsrapport").click()
    page.get_by_label("År").select_option("2021")
    page.get_by_role("button", name="Opprett utkast").click()
    page.get_by_label("Sammendrag").fill("Et år med mange digitale møter.")
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Godkjenn rapporten").count() == 0
    assert "Ikke markert ennå" in page.locator("#ready-for-approval").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Marker som klar til godkjenning").click()
    page.wait_for_load_state()
    assert "Markert klar" in page.locator("#ready-for-approval").inner_text()
    assert "en annen koordinator må godkjenne det" in page.locator("#approval-refusal").inner_text()
    assert page.get_by_role("link", name="Godkjenn rapporten").count() == 0
    assert axe_violations(page) == []
    report_url = page.url
    page.goto(report_url + "godkjenn/")  # straight to the approval: refused with the same message
    assert "en annen koordinator må godkjenne det" in page.locator("main").inner_text()
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state()

    # The second coordinator sees who marked it ready, and approves it.
    log_in(page, base, "kari")
    page.goto(report_url)
    assert "(Kora Test)" in page.locator("#ready-for-approval").inner_text()
    page.get_by_role("link", name="Godkjenn rapporten").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Godkjenn og publiser").click()
    page.wait_for_load_state()
    run_worker()
    wait_for_outcome(page, "#generering-done")
    assert "Årsrapporten er godkjent" in page.locator("#generering-done").inner_text()

    aarsrapport = Aarsrapport.objects.get(aar=2021)
    assert aarsrapport.status == Aarsrapport.Status.GODKJENT
    assert (aarsrapport.ready_by.username, aarsrapport.approved_by.username) == ("kora", "kari")
    page.goto(report_url)
    facts = page.locator("#report-facts").inner_text()
    assert "(Kora Test)" in facts and "(Kari Test)" in facts
    assert axe_violations(page) == []
