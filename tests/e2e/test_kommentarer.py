"""A comment thread in Chromium on a 320 px phone: a coordinator asks about a statusmelding in a comment, the
case officer answers in the same thread, both see it in order; axe-core on the page with the thread."""

import datetime

import pytest

from handlingsprogram.models import Enhet, User
from tests.e2e.conftest import axe_violations
from tiltak.models import Statusmelding, Tiltak

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"  # noqa: S105 -- test users on a throwaway database
WAIT = 60_000  # milliseconds; two busy cores


@pytest.fixture
def setup(loaded_programme):
    enhet = Enhet.objects.get(slug="avdeling-for-utdanning")
    kora = User.objects.create_user(
        username="kora", password=PASSWORD, rolle=User.Rolle.KOORDINATOR, first_name="Kora", last_name="Koordinator"
    )
    ola = User.objects.create_user(
        username="ola", password=PASSWORD, rolle=User.Rolle.SAKSBEHANDLER, enhet=enhet, first_name="Ola"
    )
    tiltak = Tiltak.objects.by_code(loaded_programme, "2.1.2").get()
    melding = Statusmelding.objects.create(
        tiltak=tiltak,
        author=ola,
        date=datetime.date(2023, 3, 1),
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert="Informasjonsmøte med KS.",
    )
    return {"kora": kora, "ola": ola, "tiltak": tiltak, "melding": melding}


def log_in(page, base, username):
    page.goto(base + "/konto/logg-inn/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def test_a_question_and_its_answer_in_one_thread_on_a_phone(live_server, browser, setup):
    base = live_server.url
    url = base + setup["tiltak"].get_absolute_url()
    thread = f"#kommentarer-statusmelding-{setup['melding'].pk}"
    for username, text in [("kora", "Hvem deltok fra KS?"), ("ola", "Tre rådgivere fra KS Trøndelag.")]:
        context = browser.new_context(locale="nb-NO", viewport={"width": 320, "height": 800})
        page = context.new_page()
        page.set_default_timeout(WAIT)
        log_in(page, base, username)
        page.goto(url)
        page.locator(thread).get_by_label("Ny kommentar").fill(text)
        page.locator(thread).get_by_role("button", name="Legg til kommentar").click()
        page.wait_for_selector(".portal-messages >> text=Kommentaren er lagret.")
        assert text in page.locator(thread).inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert axe_violations(page) == []
        context.close()

    items = setup["melding"].kommentarer.order_by("created_at", "id")
    assert [k.author.username for k in items] == ["kora", "ola"]
    context = browser.new_context(locale="nb-NO", viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    log_in(page, base, "ola")
    page.goto(url)
    page_text = page.locator(thread).inner_text()
    assert page_text.index("Hvem deltok fra KS?") < page_text.index("Tre rådgivere fra KS Trøndelag.")
    assert "Kommentarer (2)" in page_text
    context.close()
