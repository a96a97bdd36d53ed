"""Every page type on a phone and on a wide screen (issue 17, WCAG 2.1 success criterion 1.4.10 Reflow).

The pages are the URL names of the role tests (tests/test_url_roles.py: the same table and the same way to build
each address), one address per name, opened by anonymous, a case officer responsible for 2.1.2 and a
coordinator: each page a role may open (200 in the table) and that is an HTML page. At 320 CSS px (1280 px zoomed
to 400 %) and at 1280 px the document is no wider than the viewport; only a data table wider than that may scroll,
in its own box, which must then be reachable by keyboard and have a name. A chart scales with the page instead:
none scrolls in a box, every label of it lies inside the viewport, and at 320 px its text is still at least
10 px. axe-core finds no WCAG 2.1 A/AA violation
at either width, and no request on the way answers 404 (the favicon, a static file). One browser context per
role, one page reused for all its addresses, so the walk stays a few minutes long."""

import datetime
import time

import pytest
from django.urls import reverse

from handlingsprogram.models import User
from tests.e2e.conftest import axe_violations, reflow_problems
from tests.e2e.test_staff_progress import log_in, make_user
from tests.test_url_roles import EXPECTED, _aarsrapport, build_url
from tiltak.models import Statusmelding, Tiltak

pytestmark = pytest.mark.e2e

# Names in the table that answer something other than an HTML page: files, feeds, JSON, the partner API (its
# Swagger UI is a third-party page of its own) and redirects.
NOT_PAGES = {
    "tiltak:export",
    "resultater:indikatorverdi_export",
    "resultater:prosjekt_export",
    "nettverk:deltagelser_atom",
    "nettverk:deltagelser_ical",
    "nettverk:vedlegg_download",
    "tiltak:statusmelding_vedlegg_download",
    "rapportering:pdf",
    "rapportering:generering_pdf",
    "rapportering:generering_status",
    "portal:favicon",
    "portal:programme_export",
    "rapportering:sluttevaluering_pdf",
}
# The role in the table each browser user stands for.
ROLES = {"anonymous": "anonymous", "kari": "responsible", "kore": "koordinator"}
WIDTHS = (320, 1280)


def addresses(role_key, programme, tiltak, statusmelding):
    names = sorted(
        name
        for name, statuses in EXPECTED.items()
        if statuses[role_key] == 200 and name not in NOT_PAGES and not name.startswith("api:")
    )
    return [(name, build_url(name, programme, tiltak, statusmelding)) for name in names]


def test_every_page_type_reflows_at_320_px_and_passes_axe_at_both_widths(live_server, browser, loaded_programme):
    base = live_server.url
    kari = make_user("kari", User.Rolle.SAKSBEHANDLER, "avdeling-for-utdanning")  # responsible for 2.1.2
    make_user("kore", User.Rolle.KOORDINATOR, "avdeling-for-plan-og-naering")
    tiltak = Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").get(
        innsatsomraade__omraade__handlingsprogram=loaded_programme,
        innsatsomraade__omraade__nummer=2,
        innsatsomraade__nummer=1,
        nummer=2,
    )
    statusmelding = Statusmelding.objects.create(
        tiltak=tiltak,
        author=kari,
        date=datetime.date(2021, 3, 1),
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert="Informasjonsmøte med KS og Fylkesmannen.",
    )
    walks = {username: addresses(role, loaded_programme, tiltak, statusmelding) for username, role in ROLES.items()}
    # An approved report's page, with its SHA-256 (the table opens the report pages on a draft).
    approved = _aarsrapport(loaded_programme, approved=True)
    approved.pdf_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    approved.save()
    walks["anonymous"].append(("approved report", reverse("rapportering:detail", kwargs={"pk": approved.pk})))

    problems, missing, opened = [], [], 0
    started = time.monotonic()
    for username, walk in walks.items():
        context = browser.new_context(locale="nb-NO", viewport={"width": WIDTHS[0], "height": 800})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.on("response", lambda response: response.status == 404 and missing.append(response.url))
        if username != "anonymous":
            log_in(page, base, username)
        for name, url in walk:
            page.set_viewport_size({"width": WIDTHS[0], "height": 800})
            response = page.goto(base + url)
            assert response.status == 200, f"{name} as {username}: {response.status}"
            opened += 1
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                where = f"{name} ({url}) as {username} at {width} px"
                problems += reflow_problems(page, where, narrow=width == WIDTHS[0])
                problems += [
                    f"{where}: {v}" for v in axe_violations(page, impacts=("minor", "moderate", "serious", "critical"))
                ]
        context.close()
    print(f"{opened} pages at {len(WIDTHS)} widths in {time.monotonic() - started:.0f} s")
    assert opened >= 60
    assert problems == [], "\n".join(problems)
    assert missing == []
