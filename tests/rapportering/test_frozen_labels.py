"""An approved report renders from its frozen content alone: the labels of the coded values it shows (statuses,
assessments, units, roles, network types) are frozen with it, so rewording or translating a label later changes
new reports, not approved ones."""

import datetime
import json

import pytest
from django.utils import translation

from handlingsprogram.models import Aktoer
from nettverk.models import Medlemskap, Nettverk
from rapportering import content, rendering, selectors, services

from .conftest import YEAR, get_tiltak, prosjekt, report

pytestmark = pytest.mark.django_db

# In bokmål, as the report was built and approved; the English msgid is what the portal says once the wording
# has changed (here: another language is active when the approved report is rendered again).
FROZEN = {
    "status": ("Pågår", "In progress"),
    "vurdering": ("I rute", "On track"),
    "ingen": ("Ingen statusmelding ennå", "No status report yet"),
    "retning": ("Høyere er bedre", "Higher is better"),
    "prosjekt_rolle": ("Koordinator (hovedpartner)", "Lead partner"),
    "nettverk_type": ("Arbeidsgruppe", "Working group"),
    "nivaa": ("Politisk", "Political"),
}


@pytest.fixture
def approved(programme, koordinator, saksbehandler):
    report(get_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(YEAR, 4, 1), "paagaar", "i_rute", "Arbeid")
    prosjekt(programme, start=datetime.date(YEAR, 2, 1), innvilget=100_000, rolle="koordinator")
    nettverk = Nettverk.objects.create(navn="Testgruppa", slug="testgruppa", type="arbeidsgruppe", geografi="nordisk")
    Medlemskap.objects.create(nettverk=nettverk, aktoer=Aktoer.objects.first(), rolle="medlem", nivaa="politisk")
    draft = services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)
    return services.aarsrapport_approve(aarsrapport=draft, user=koordinator)


def test_the_content_holds_the_labels_of_what_it_shows(approved):
    frozen = approved.frozen_content["content"]
    assert frozen["schema"] == content.SCHEMA_VERSION == 6
    assert frozen["labels"]["status"]["paagaar"] == "Pågår"
    assert frozen["labels"]["status"]["ingen"] == "Ingen statusmelding ennå"
    assert frozen["labels"]["maaleenhet"]["prosent"] == "prosent"
    assert frozen["labels"]["medlemskap_rolle"]["medlem"] == "Medlem"
    assert frozen["categories"]["vurdering"][0] == {
        "key": "i_rute",
        "label": "I rute",
        "colour": "success",
        "pattern": None,
    }
    json.dumps(frozen)  # still plain data


def test_an_approved_report_keeps_its_labels_when_the_wording_changes(approved, monkeypatch):
    document = selectors.report_document(aarsrapport=approved)
    # The report renders in REPORT_LANGUAGE whatever the reader's: English there stands for a reworded label.
    monkeypatch.setattr(content, "REPORT_LANGUAGE", "en")
    with translation.override("en"):  # every label of today's code now reads differently
        assert str(Nettverk.Type.ARBEIDSGRUPPE.label) == "Working group"
        html = rendering.render_html(document)
        old = json.loads(json.dumps(document))
        del old["content"]["labels"], old["content"]["categories"]  # as frozen before schema 4
        html_without_frozen_labels = rendering.render_html(old)
    for kind, (frozen, today) in FROZEN.items():
        assert frozen in html, kind
        assert today not in html, kind
        # The test can fail: without labels of its own, the report shows today's.
        assert today in html_without_frozen_labels, kind
    assert '<span class="tag tag-paagaar">Pågår</span> <span class="tag tag-i_rute">I rute</span>' in html
    assert 'data-category="paagaar"' in html  # the counts table still keyed by the code


def test_a_report_frozen_with_schema_3_renders_with_todays_labels(programme, saksbehandler):
    report(get_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(YEAR, 4, 1), "paagaar", "i_rute", "Arbeid")
    document = json.loads(json.dumps(selectors.live_document(programme=programme, year=YEAR)))
    document["content"]["schema"] = 3
    del document["content"]["labels"], document["content"]["categories"]
    html = rendering.render_html(document)
    assert '<span class="tag tag-paagaar">Pågår</span> <span class="tag tag-i_rute">I rute</span>' in html
    assert 'id="resultater"' in html and "Høyere er bedre" in html
    assert "Ingen statusmelding ennå" in html
