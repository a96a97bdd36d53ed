"""The pages every page's footer links to (issue 17): the accessibility statement, the privacy statement and the
contact page; public, with their facts from portal/legal.py and the addresses from settings."""

import datetime

import pytest
from django.urls import reverse

from portal import legal

PAGES = ["portal:tilgjengelighet", "portal:personvern", "portal:kontakt"]


@pytest.mark.parametrize("name", PAGES)
def test_page_is_public_linked_from_the_footer_and_in_bokmaal(client, programme, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    footer = html[html.index('<footer class="portal-footer">') :]
    for linked in PAGES:
        assert f'href="{reverse(linked)}"' in footer
    assert html.count("<h1 ") == 1
    assert 'lang="nb"' in html


@pytest.mark.parametrize("name", PAGES)
def test_every_page_links_to_the_statements_in_its_footer(client, programme, name):
    # Another page than the statements themselves: the front page and a tiltak page.
    for url in (reverse("tiltak:overview"), reverse(name)):
        footer = client.get(url).content.decode().split('<footer class="portal-footer">')[1]
        assert reverse(name) in footer


@pytest.mark.parametrize("name", PAGES)
def test_pages_query_count(client, programme, name, django_assert_num_queries):
    # The contact page reads the current programme and its owners; the demo banner's check is the last one.
    with django_assert_num_queries(3 if name == "portal:kontakt" else 1):
        assert client.get(reverse(name)).status_code == 200


def test_accessibility_statement_follows_digdirs_model(client, db):
    html = client.get(reverse("portal:tilgjengelighet")).content.decode()
    assert "<title>Tilgjengelighetserklæring – " in html
    # Conformance status against WCAG 2.1 AA, with the number of known deviations.
    conformance = html[html.index('id="conformance"') :].split("</p>")[0]
    assert "oppfyller delvis" in conformance and "WCAG 2.1" in conformance and "nivå AA" in conformance
    assert f"{len(legal.KNOWN_DEVIATIONS)} suksesskriterium" in conformance
    # Each known deviation with its criterion and the date it was found.
    deviations = html[html.index('id="deviations"') :].split("</ul>")[0]
    assert deviations.count("<li>") == len(legal.KNOWN_DEVIATIONS) >= 1
    assert "3.1.2 Språk for deler av innholdet" in deviations
    assert "administrasjonssidene" in deviations and "engelske grensesnittet" in deviations
    assert 'Funnet <time datetime="2026-12-02">02.12.2026</time>' in deviations
    # The dates of the statement, from the one constant each.
    dates = html[html.index('id="statement-dates"') :].split("</dl>")[0]
    assert legal.ACCESSIBILITY_STATEMENT_DATE.strftime("%d.%m.%Y") in dates
    assert legal.ACCESSIBILITY_LAST_REVIEWED.strftime("%d.%m.%Y") in dates
    # How to report a problem, and where to complain.
    assert 'href="mailto:postmottak@trondelagfylke.no"' in html
    assert 'href="https://uustatus.no/"' in html
    assert 'href="https://www.uutilsynet.no/"' in html
    assert "Tilsynet for universell utforming av ikt" in html


def test_accessibility_statement_follows_the_constants(client, db, monkeypatch):
    monkeypatch.setattr(legal, "ACCESSIBILITY_LAST_REVIEWED", datetime.date(2027, 3, 14))
    found = legal.Deviation("1.4.3", "Kontrast (minimum)", "For lite kontrast i et diagram.", datetime.date(2027, 3, 1))
    monkeypatch.setattr(legal, "KNOWN_DEVIATIONS", (*legal.KNOWN_DEVIATIONS[:1], found))
    html = client.get(reverse("portal:tilgjengelighet")).content.decode()
    assert "14.03.2027" in html
    assert "2 suksesskriterier er kjent" in html
    assert "1.4.3 Kontrast (minimum)" in html and 'Funnet <time datetime="2027-03-01">01.03.2027</time>' in html
    monkeypatch.setattr(legal, "KNOWN_DEVIATIONS", ())
    html = client.get(reverse("portal:tilgjengelighet")).content.decode()
    assert "oppfyller delvis" not in html and 'id="deviations"' not in html
    assert "så langt vi kjenner til" in html


def test_contact_addresses_come_from_settings(client, db, settings):
    settings.PORTAL_CONTACT_EMAIL = "internasjonalt@example.no"
    settings.PORTAL_PRIVACY_EMAIL = "personvernombud@example.no"
    for name in ("portal:tilgjengelighet", "portal:kontakt"):
        html = client.get(reverse(name)).content.decode()
        assert 'href="mailto:internasjonalt@example.no"' in html
        assert "postmottak@trondelagfylke.no" not in html
    html = client.get(reverse("portal:personvern")).content.decode()
    assert 'href="mailto:personvernombud@example.no"' in html
    assert "internasjonalt@example.no" not in html


def test_privacy_statement_says_what_is_kept_why_how_long_and_whom_to_ask(client, db, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=25)
    html = client.get(reverse("portal:personvern")).content.decode()
    assert "<title>Personvernerklæring – " in html
    assert "Trøndelag fylkeskommune er behandlingsansvarlig" in html
    assert "personvernombud" in html
    for kept in ("e-postadresse", "IP-adressen", "Microsoft Entra ID", "endringshistorikk", "statusmelding", "API-et"):
        assert kept in html, kept
    assert "artikkel 6 nr. 1 bokstav e" in html
    retention = html[html.index('id="retention"') :].split("</ul>")[0]
    assert "mer enn 25 minutter gamle" in retention  # from the lockout setting, not a copy of it
    assert "sletter ikke portalen av seg selv" in retention  # no retention job: said so, not invented
    assert 'href="https://www.datatilsynet.no/"' in html


def test_contact_page_names_the_programme_owners_from_the_data(client, programme):
    html = client.get(reverse("portal:kontakt")).content.decode()
    owners = html[html.index('id="owners"') :].split("</ul>")[0]
    assert "Trøndelag fylkeskommune" in owners
    assert "Innovasjon Norge Trøndelag" in owners
    assert 'href="mailto:postmottak@trondelagfylke.no"' in html
    assert reverse("handlingsprogram:programdokument", kwargs={"program": programme.slug}) in html


def test_contact_page_without_a_programme(client, programme):
    from handlingsprogram.models import Handlingsprogram

    Handlingsprogram.objects.all().delete()
    html = client.get(reverse("portal:kontakt")).content.decode()
    assert "Trøndelag fylkeskommune og Innovasjon Norge Trøndelag" in html


def test_header_has_the_county_wordmark(client, db):
    html = client.get(reverse("portal:kontakt")).content.decode()
    brand = html[html.index('class="portal-brand"') :].split("</a>")[0]
    assert '<span class="portal-brand__county">Trøndelag fylkeskommune</span>' in brand
    assert "<img" not in brand and "<svg" not in brand  # typeset, no copied logo


def test_contact_settings_must_be_addresses():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_CONTACT_EMAIL": "ikke en adresse",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_CONTACT_EMAIL must be an e-mail address" in result.stderr
