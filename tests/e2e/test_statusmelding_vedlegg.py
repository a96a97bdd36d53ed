"""A document attached to a status report, by keyboard on a phone (390 CSS px): the case officer chooses a file
that is not what its name says (refused in bokmål, nothing saved), then a real PDF; the measure's page lists it
for logged-in users only, and it downloads as a file with the bytes that were uploaded. axe-core on the way."""

from pathlib import Path

import pytest

from handlingsprogram.models import User
from tests.e2e.conftest import axe_violations
from tests.e2e.test_keyboard_phone import PHONE, follow, tab_to
from tests.e2e.test_staff_progress import PASSWORD, TILTAK_212, make_user
from tiltak.models import Statusmelding, StatusmeldingVedlegg

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


def choose_file_by_keyboard(page, path):
    """Focus the file input with Tab and open its chooser with Space, as a keyboard user does."""
    tab_to(page, "input[name=vedlegg]")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(path))


def fill_report_by_keyboard(page, text):
    tab_to(page, "select[name=status]")
    page.keyboard.type("Pågår")
    tab_to(page, "select[name=vurdering]")
    page.keyboard.type("I rute")
    tab_to(page, "textarea[name=gjennomfoert]")
    page.keyboard.type(text)


def submit_by_keyboard(page):
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_attach_a_document_to_a_status_report_and_download_it_by_keyboard_on_a_phone(
    live_server, browser, loaded_programme, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    make_user("kari", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning")  # responsible for 2.1.2
    fake = tmp_path / "rapport.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    real = tmp_path / "sluttrapport.pdf"
    real.write_bytes(PDF)

    context = browser.new_context(locale="nb-NO", viewport=PHONE, has_touch=True, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    # Subscribe to file choosers now: expect_file_chooser subscribes when it starts, without waiting for the
    # browser to confirm, and on a busy machine the Space that opens the chooser could get there first (a CI run
    # waited 60 s for a chooser that had opened unintercepted).
    page.on("filechooser", lambda _chooser: None)
    try:
        page.goto(base + "/konto/logg-inn/")
        tab_to(page, "input[name=username]")
        page.keyboard.type("kari")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")

        page.goto(base + TILTAK_212)
        follow(page, page.locator("main").get_by_role("link", name="Ny statusmelding", exact=True))
        assert "høyst 20 MB til sammen" in page.locator("#id_vedlegg_helptext").inner_text()

        # A file that is not what its name says: refused next to the field, in bokmål; nothing is saved.
        fill_report_by_keyboard(page, "Sluttrapport levert.")
        choose_file_by_keyboard(page, fake)
        submit_by_keyboard(page)
        error = page.locator("#id_vedlegg_error").inner_text()
        assert "«rapport.pdf»: Bare PDF, Word-, Excel- og PowerPoint-filer" in error
        assert page.locator("input[name=vedlegg]").get_attribute("aria-invalid") == "true"
        assert not Statusmelding.objects.exists() and not StatusmeldingVedlegg.objects.exists()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert axe_violations(page, impacts=ALL_IMPACTS) == []

        # The texts typed stay in the form; the real PDF is chosen again and saved with the report.
        assert page.locator("textarea[name=gjennomfoert]").input_value() == "Sluttrapport levert."
        choose_file_by_keyboard(page, real)
        submit_by_keyboard(page)
        attachment = StatusmeldingVedlegg.objects.get()
        assert (attachment.navn, attachment.statusmelding.gjennomfoert) == ("sluttrapport.pdf", "Sluttrapport levert.")
        item = page.locator(f"#statusmelding-{attachment.statusmelding_id}")
        assert "Dokumenter" in item.inner_text() and "sluttrapport.pdf" in item.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert axe_violations(page, impacts=ALL_IMPACTS) == []

        # Downloaded by keyboard: a file (not a page) with the bytes uploaded.
        tab_to(page, item.get_by_role("link", name="sluttrapport.pdf"))
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        assert download.value.suggested_filename == "sluttrapport.pdf"
        assert Path(download.value.path()).read_bytes() == PDF
    finally:
        context.close()

    # Not on the public page.
    anonymous = browser.new_context(locale="nb-NO", viewport=PHONE)
    try:
        public = anonymous.new_page()
        public.goto(base + TILTAK_212)
        assert "Sluttrapport levert." in public.locator("main").inner_text()
        assert "sluttrapport.pdf" not in public.content()
    finally:
        anonymous.close()
