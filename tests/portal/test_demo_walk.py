"""Demo data is unmistakable (issue 15): every public page, opened anonymously, carries the "Demodata" banner
while the database holds demo rows and each demo item is tagged where it is shown; without demo rows no page and
no API response shows anything of the kind."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.test_url_roles import EXPECTED, build_url

pytestmark = pytest.mark.django_db

PUBLIC_NAMES = sorted(name for name, access in EXPECTED.items() if access["anonymous"] == 200)
BANNER = "Denne databasen inneholder demodata — tall og meldinger merket «Demo» er oppdiktet."
DEMO_TAG = 'class="ds-tag portal-demo-tag"'
DEMO_TRUE = re.compile(r'"\w*demo": ?true')
# Pages that are not portal HTML pages built on base.html: the API (JSON, its schema, and the Swagger page that
# renders it), the feeds.
NOT_PORTAL_HTML = {"api:docs", "nettverk:deltagelser_atom", "nettverk:deltagelser_ical"}


def load_demo():
    call_command("load_demo", "--allow-production", stdout=io.StringIO())  # tests run with DEBUG off


def public_pages(client, programme, tiltak_212, statusmelding):
    """(name, response) for every public URL name, each opened anonymously."""
    assert len(PUBLIC_NAMES) > 40  # the walk covers the table's public pages, not a handful
    for name in PUBLIC_NAMES:
        response = client.get(build_url(name, programme, tiltak_212, statusmelding))
        assert response.status_code == 200, name
        yield name, response


def is_portal_html(name, response) -> bool:
    return not name.startswith("api:") and name not in NOT_PORTAL_HTML and "text/html" in response["Content-Type"]


def test_with_demo_data_every_public_page_has_the_banner(client, programme, tiltak_212, statusmelding):
    load_demo()
    html_pages = 0
    for name, response in public_pages(client, programme, tiltak_212, statusmelding):
        if is_portal_html(name, response):
            html = response.content.decode()
            assert html.count("data-demo-banner") == 1, name
            assert BANNER in html, name
            # A region landmark named by its heading, so screen readers can find and skip it.
            assert '<section class="portal-demo-banner" aria-labelledby="portal-demo-banner-title"' in html, name
            html_pages += 1
    assert html_pages > 20


def test_with_demo_data_demo_items_are_tagged_where_shown(client, programme):
    from nettverk.models import Deltagelse
    from resultater.models import Indikatorverdi, Prosjekt
    from tiltak.models import Tiltak

    load_demo()
    # The public indicator list: the Erasmus+ indicator's latest value (1 455 000 EUR in 2023) is demo.
    indikatorer = client.get(reverse("resultater:indikator_list_current")).content.decode()
    row = next(r for r in indikatorer.split("<tr") if "1\u00a0455\u00a0000" in r)
    assert DEMO_TAG in row
    verdi = Indikatorverdi.objects.filter(demo=True).select_related("indikator").first()
    assert DEMO_TAG in client.get(verdi.indikator.get_absolute_url()).content.decode()
    prosjekt = Prosjekt.objects.filter(demo=True).first()
    assert DEMO_TAG in client.get(prosjekt.get_absolute_url()).content.decode()
    assert client.get(reverse("resultater:prosjekt_list")).content.decode().count(DEMO_TAG) >= 6
    deltagelse = Deltagelse.objects.filter(demo=True).first()
    assert DEMO_TAG in client.get(deltagelse.get_absolute_url()).content.decode()
    assert client.get(reverse("nettverk:deltagelser_siste")).content.decode().count(DEMO_TAG) == 8
    # A tiltak whose current status comes from a demo statusmelding: the status and each message are tagged (and
    # the demo projects serving it).
    tiltak = (
        Tiltak.objects.filter(statusmeldinger__demo=True, innsatsomraade__omraade__handlingsprogram=programme)
        .select_related("innsatsomraade__omraade__handlingsprogram")
        .first()
    )
    page = client.get(tiltak.get_absolute_url()).content.decode()
    assert page.count(DEMO_TAG) == 1 + tiltak.statusmeldinger.count() + tiltak.prosjekter.filter(demo=True).count()


def test_with_demo_data_the_api_flags_demo_items_and_derived_figures(client, programme):
    load_demo()
    for name, field in [
        ("api:statusmelding-list", "demo"),
        ("api:tiltak-list", "status_demo"),
        ("api:deltagelse-list", "demo"),
        ("api:prosjekt-list", "demo"),
        ("api:prosjekt-list", "kurs_demo"),
        ("api:valutakurs-list", "demo"),
    ]:
        results = client.get(reverse(name)).json()["results"]
        assert any(row[field] is True for row in results), (name, field)
    indikatorer = client.get(reverse("api:indikator-list")).json()["results"]
    assert any(verdi["demo"] is True for indikator in indikatorer for verdi in indikator["verdier"])


def test_without_demo_data_no_page_and_no_api_response_shows_demo(
    client, programme, tiltak_212, statusmelding, koordinator
):
    """The same walk on a database without demo rows, but with real rows of every kind shown (the walk creates a
    statusmelding, an indicator, a project and a deltagelse): no banner, no tag, no "(demo)" name, no
    ``"demo": true`` anywhere."""
    from decimal import Decimal

    from resultater import services

    services.valutakurs_save(user=koordinator, aar=2021, valuta="EUR", kurs=Decimal("10.16"), kilde="Norges Bank")
    checked = 0
    for name, response in public_pages(client, programme, tiltak_212, statusmelding):
        body = response.content.decode()
        if name == "api:schema":  # describes the fields, the demo flag among them ("demodata"), not rows
            body = re.sub(r"(?i)title: demodata", "", body)
        assert "data-demo-banner" not in body and "demodata" not in body.lower(), name
        assert DEMO_TAG not in body and "data-demo" not in body, name
        assert "(demo)" not in body.lower(), name
        assert not DEMO_TRUE.search(body), name
        checked += 1
    # The API lists themselves do carry the flag, as false: the absence above is not a missing field.
    results = client.get(reverse("api:statusmelding-list")).json()["results"]
    assert results and all(row["demo"] is False for row in results)
    assert client.get(reverse("api:valutakurs-list")).json()["results"][0]["demo"] is False
    assert checked == len(PUBLIC_NAMES)
