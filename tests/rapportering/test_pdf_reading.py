"""The annual report as a member of Fylkesutvalget reads it (issue 16, "The reports read well for a politician"):
the 2021 report of the real programme with `make run`'s demo data and a coordinator's texts, read back from the
PDF with pypdf. Reports frozen before content schema 6 keep the layout they were approved with."""

import datetime
import io
import json
import re

import pytest
from django.db import transaction
from pypdf import PdfReader

from handlingsprogram.models import Handlingsprogram, User
from portal.demo import demo_deltagelser_create, demo_resultater_create, demo_statusmeldinger_create, demo_users_create
from rapportering import content, rendering, selectors, services
from tests.conftest import PROGRAMME_SLUG

from .conftest import YEAR

pytestmark = pytest.mark.django_db

MEETING_DATE = datetime.date(2022, 3, 29)
CASE_NUMBER = "22/01234"
# A coordinator's texts of an ordinary length: a summary of two paragraphs and a few sentences per area.
SUMMARY = (
    "Arbeidet med handlingsprogrammet gikk i 2021 i hovedsak etter planen, men pandemien forsinket tiltak som "
    "bygger på reiser og fysiske møter. Nettverkene ble holdt i gang digitalt, og flere søknader til EU-program "
    "ble sendt.\n\nFylkesutvalget bes merke seg at tiltakene for mobilitet i fag- og yrkesopplæringen er utsatt, "
    "og at flere tiltak under næringsutvikling er vurdert med avvik."
)
AREA_TEXT = (
    "Området er samlet sett i rute, men tiltakene som krever reiser er forsinket. Koordinatorene følger opp "
    "tiltakene med avvik i neste rapporteringsrunde."
)
CONDITIONS = (
    "Pandemien og brexit har endret forutsetningene for flere tiltak. Den nye programperioden i EU (2021–2027) "
    "startet sent, slik at flere utlysninger kom senere enn planlagt."
)
HYPHENS = "\u2010\u00ad-"  # the plain hyphen last, literal in a character class
# The table headers of the report (bokmål), which must never be split over two lines.
HEADERS = (
    "Kode",
    "Tiltak (forkortet)",
    "Status",
    "Vurdering",
    "Prioritert område",
    "Totalt",
    "Alle områder",
    "Før",
    "Nå",
    "Indikator",
    "Utgangsverdi",
    "Mål",
    "Utvikling",
    "Finansieringsprogram",
    "Prosjekter",
    "Innvilget, NOK",
    "Nettverk",
    "Politisk",
    "Administrativ",
)


def _raw_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value)


@pytest.fixture(scope="module")
def reading(django_db_setup, django_db_blocker):
    """`make run`'s data (load_programme, then everything load_demo makes), a draft for 2021 with the
    coordinator's texts, its document rendered once; rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_users_create()
        demo_statusmeldinger_create()
        demo_deltagelser_create()
        demo_resultater_create()
        programme = Handlingsprogram.objects.get(slug=PROGRAMME_SLUG)
        koordinator = User.objects.get(username="koordinator")
        draft = services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)
        services.aarsrapport_draft_update(
            aarsrapport=draft,
            user=koordinator,
            sammendrag=SUMMARY,
            endrede_forutsetninger=CONDITIONS,
            fu_meeting_date=MEETING_DATE,
            fu_saksnummer=CASE_NUMBER,
            vurderinger={area.pk: AREA_TEXT for area in programme.omraader.all()},
        )
        document = selectors.report_document(aarsrapport=selectors.aarsrapport_get(pk=draft.pk))
        pdf = rendering.render_pdf(document, timeout=600)
        transaction.set_rollback(True)
    return {"document": json.loads(json.dumps(document)), "pdf": pdf, "pages": _raw_text(pdf)}


def _tiltak(document: dict) -> list[dict]:
    return [t for area in document["content"]["omraader"] for i in area["innsatsomraader"] for t in i["tiltak"]]


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += _outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def test_the_2021_report_fits_in_20_pages(reading):
    assert reading["document"]["content"]["schema"] == content.SCHEMA_VERSION
    assert len(_tiltak(reading["document"])) == 45
    assert len(reading["pages"]) <= 20


def test_the_cover_has_the_wordmark_year_meeting_date_and_case_number(reading):
    cover = _one_line(reading["pages"][0])
    assert cover.startswith("Trøndelag fylkeskommune")  # the wordmark, typeset
    assert "Trööndelagen fylkentjïelte" in cover
    assert "Årsrapport 2021" in cover
    assert reading["document"]["content"]["programme"]["navn"] in cover
    assert "Møtedato 29.03.2022" in cover and f"Saksnummer {CASE_NUMBER}" in cover


def test_the_overview_follows_the_summary_and_lists_every_tiltak_with_status_and_assessment(reading):
    labels = reading["document"]["content"]["labels"]
    summary_page = next(i for i, text in enumerate(reading["pages"]) if "\nSammendrag\n" in text)
    overview = reading["pages"][summary_page + 1]
    assert overview.startswith("Alle tiltak i korte trekk, 2021")
    status_labels = "|".join(re.escape(label) for label in labels["status"].values())
    changed = 0
    for tiltak in _tiltak(reading["document"]):
        # One line a measure: code, short text, the status in words (and the assessment, when there is one).
        line = re.search(rf"^{re.escape(tiltak['kode'])} (.+)$", overview, re.MULTILINE)
        assert line, tiltak["kode"]
        assert re.search(rf" ({status_labels})( ENDRET)?( |$)", line[1]), line[0]
        assert labels["status"][tiltak["status"] or "ingen"] in line[1]
        if tiltak["vurdering"]:
            assert labels["vurdering"][tiltak["vurdering"]] in line[1]
        changed += "ENDRET" in line[1]
    # The change marks are the content's changes since the end of 2020, no more and no fewer.
    changes = reading["document"]["content"]["changes"]
    marked = {row["kode"] for row in changes["status_changed"]} | {row["kode"] for row in changes["vurdering_changed"]}
    assert changed == len(marked) > 0


def test_a_measures_text_is_printed_once_under_a_short_heading(reading):
    squashed = re.sub(rf"[\s{HYPHENS}]", "", "".join(reading["pages"]))
    titles = _outline_titles(PdfReader(io.BytesIO(reading["pdf"])).outline)
    for tiltak in _tiltak(reading["document"]):
        heading = f"{tiltak['kode']} {tiltak['kort']}"
        assert heading in titles  # the bookmark: code and short text
        assert len(tiltak["kort"]) <= content.SHORT_TEXT_LENGTH + 2
        if tiltak["forkortet"]:
            assert tiltak["kort"].endswith("\u00a0…")
            assert squashed.count(re.sub(rf"[\s{HYPHENS}]", "", tiltak["tekst"])) == 1, tiltak["kode"]
        else:
            assert tiltak["kort"] == tiltak["tekst"].strip().removesuffix(".")


def _hyphenated(pages: list[str], words) -> list[str]:
    """The words that the text shows split over two lines with a hyphen ("Ut-" then "satt")."""
    text = "\n".join(pages)
    found = []
    for word in words:
        for i in range(2, len(word) - 1):
            if not (word[i - 1].isalpha() and word[i].isalpha()):
                continue
            if re.search(rf"{re.escape(word[:i])}[{HYPHENS}]\n\s*{re.escape(word[i:])}", text):
                found.append(word)
    return found


def _label_words(document: dict) -> set[str]:
    labels = document["content"]["labels"]
    return {label for kind in ("status", "vurdering") for label in labels[kind].values()} | set(HEADERS)


def test_no_status_word_or_header_is_hyphenated(reading):
    assert _hyphenated(reading["pages"], _label_words(reading["document"])) == []


def test_a_report_frozen_before_schema_6_keeps_its_layout(reading):
    """An approved report's frozen content renders as it was approved: the old template and stylesheet (which
    hyphenated the narrow status columns: the check above can fail), no overview, and the long headings."""
    old = json.loads(json.dumps(reading["document"]))
    old["content"]["schema"] = 5
    for tiltak in _tiltak(old):
        del tiltak["kort"], tiltak["forkortet"]
    html = rendering.render_html(old)
    assert "/static/css/aarsrapport.css" in html and "/static/css/rapport.css" not in html
    assert 'id="oversikt"' not in html and "Trööndelagen" not in html
    assert html.count('<p class="tiltak-text">') == 45
    pages = _raw_text(rendering.render_pdf(old, timeout=600))
    assert len(pages) > 20
    assert _hyphenated(pages, _label_words(old))  # e.g. «Ut‐ / satt» in the key figures


def test_tagged_with_language_and_bookmarks(reading):
    reader = PdfReader(io.BytesIO(reading["pdf"]))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nb"
    titles = _outline_titles(reader.outline)
    assert "Alle tiltak i korte trekk, 2021" in titles
    for area in reading["document"]["content"]["omraader"]:
        assert f"{area['nummer']}. {area['navn']}" in titles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bidra til å trekke store arrangement til regionen.",
            ("Bidra til å trekke store arrangement til regionen", False),
        ),
        (
            "Synliggjøre Trøndelag som testarena for internasjonale satsinger innen klima.",
            ("Synliggjøre Trøndelag som testarena for internasjonale\u00a0…", True),
        ),
        (
            "CPMR, Nordsjøkommisjonen med tilhørende faggrupper: Trøndelag skal ha en tydelig",
            ("CPMR, Nordsjøkommisjonen med tilhørende faggrupper\u00a0…", True),
        ),
        ("x" * 80, ("x" * 58 + "\u00a0…", True)),
    ],
)
def test_short_text_cuts_at_a_word_boundary_and_says_so(text, expected):
    assert content.short_text(text) == expected


def test_a_cover_without_meeting_date_and_case_number_says_they_are_not_set(programme):
    html = rendering.render_html(selectors.live_document(programme=programme, year=YEAR))
    cover = html[html.index('<section class="cover">') : html.index("</section>")]
    assert cover.count("ikke fastsatt ennå") == 2
    assert "Trøndelag fylkeskommune" in cover and 'lang="sma"' in cover


def test_the_overview_marks_changes_against_the_previous_report_and_new_measures():
    def tiltak(kode, status, vurdering):
        return {"kode": kode, "kort": kode, "status": status, "vurdering": vurdering}

    current = {"1.1.1": ("paagaar", "i_rute"), "1.1.2": ("utsatt", "i_rute"), "1.1.3": ("paagaar", "risiko")}
    previous = {"1.1.1": ("paagaar", "i_rute"), "1.1.2": ("paagaar", "i_rute")}
    changes = content.compute_changes(
        current={k: {"status": s, "vurdering": v, "tekst": k} for k, (s, v) in current.items()},
        previous={k: {"status": s, "vurdering": v, "tekst": k} for k, (s, v) in previous.items()},
        basis=content.BASIS_REPORT,
        since=2020,
    )
    overview = rendering.tiltak_overview(
        {
            "changes": changes,
            "omraader": [
                {
                    "nummer": 1,
                    "navn": "Klima",
                    "innsatsomraader": [{"tiltak": [tiltak(k, s, v) for k, (s, v) in current.items()]}],
                }
            ],
        }
    )
    rows = {
        row["kode"]: (row["ny"], row["status_endret"], row["vurdering_endret"])
        for row in overview["areas"][0]["tiltak"]
    }
    assert rows == {"1.1.1": (False, False, False), "1.1.2": (False, True, False), "1.1.3": (True, False, False)}
    assert (overview["basis"], overview["since"]) == ("report", 2020)
