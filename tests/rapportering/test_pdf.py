"""The rendered PDF, read back with pypdf: content, outline, fonts, tagging, metadata, and that nothing outside
our own static files gets into it."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from rapportering import rendering
from rapportering.pdf import STATIC_ORIGIN, RefusedURL, StaticOnlyURLFetcher

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def reader(demo_document):
    return PdfReader(io.BytesIO(demo_document["pdf"]))


@pytest.fixture(scope="module")
def text(demo_document):
    return pdf_text(demo_document["pdf"])


def test_every_area_and_every_tiltak_code_appears(demo_document, text):
    assert len(demo_document["codes"]) == 45
    for nummer, navn in demo_document["areas"]:
        assert f"{nummer}. {navn}" in text
    for code in demo_document["codes"]:
        assert code in text, code


def _squash(value: str) -> str:
    # bokmål hyphenation splits words over lines ("partner-/søkseminar"): compare without spaces and hyphens
    return re.sub(r"[\s\-\u00ad\u2010]", "", value)


def test_the_years_statusmeldinger_appear_and_nothing_else(demo_document, text):
    assert len(demo_document["meldinger"]) > 20
    squashed = _squash(text)
    for gjennomfoert, resultater in demo_document["meldinger"]:
        assert _squash(gjennomfoert) in squashed
        if resultater:
            assert _squash(resultater) in squashed
    assert "Workshop i Levanger om Erasmus-pluss" in text
    assert "TRUKKET-TILBAKE-TEKST" not in text
    assert "HEMMELIG-INTERN-MERKNAD" not in text
    assert "HEMMELIG-INTERN-MERKNAD" not in demo_document["html"]


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(item.title)
    return titles


def test_outline_has_the_areas(demo_document, reader):
    titles = _outline_titles(reader.outline)
    for nummer, navn in demo_document["areas"]:
        assert f"{nummer}. {navn}" in titles
    assert "1.2.1" in " ".join(titles)  # tiltak are level-3 bookmarks


def test_fonts_are_embedded(reader):
    descriptors = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    descriptors.append(descriptor.get_object())
    assert descriptors
    assert all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)
    assert any("Inter" in str(d["/FontName"]) for d in descriptors)


def test_tagged_with_language_and_title(demo_document, reader):
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nb"
    assert reader.metadata.title == rendering.title(demo_document["document"])
    assert demo_document["document"]["content"]["programme"]["navn"] in reader.metadata.title


def test_page_count_and_running_footer(reader, text):
    pages = len(reader.pages)
    assert pages > 10
    assert f"{pages}" in reader.pages[-1].extract_text()


def test_charts_are_vector_not_images(reader):
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for xobject in xobjects.values():
            assert xobject.get_object().get("/Subtype") != "/Image"


def test_fetcher_serves_our_static_files_and_data_uris():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch(STATIC_ORIGIN + "css/aarsrapport.css")
    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    font = fetcher.fetch(STATIC_ORIGIN + "vendor/inter/inter-latin-400-normal.woff2")
    assert font.read()[:4] == b"wOF2"
    assert fetcher.fetch("data:text/plain;base64,aGVp").read() == b"hei"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x",
        STATIC_ORIGIN + "../../../../etc/passwd",
        STATIC_ORIGIN + "css/../../portal/settings.py",
        STATIC_ORIGIN + "%2e%2e/%2e%2e/etc/passwd",
        STATIC_ORIGIN + "no/such/file.css",
        "https://static.aarsrapport.invalid.example.org/css/aarsrapport.css",
    ],
)
def test_fetcher_refuses_everything_else(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_results_and_funding_are_chapters_with_the_indicators_baselines(demo_document, reader, text):
    from django.utils.translation import gettext

    titles = _outline_titles(reader.outline)
    assert gettext("Results") in titles
    assert gettext("International projects and funding") in titles
    # The programme file's indikatorer: the Erasmus+ baselines from chapter 2.2 of the programme document.
    assert "926 000" in text and "469 000" in text


def test_inferred_facts_are_marked_and_explained(text):
    assert "«utledet» markerer noe programdokumentet ikke sier" in text
    # 2.2.1's actor is inferred; 4.1.1 names Trøndelag fylkeskommune.
    assert re.search(r"Avdeling for utdanning \(TRFK\) \(utledet\)", text)
    assert "(Ikke oppgitt)" in text  # a membership level the document does not give
    assert "(Politisk, utledet)" in text  # Europapolitisk forum: inferred from «en politisk møteplass»


def test_cover_of_a_report_built_with_demo_data_says_so(demo_document, reader):
    """The demo statusmeldinger are flagged, so the cover (page 1 of the PDF, and the HTML preview) warns."""
    assert demo_document["document"]["content"]["demo"] is True
    assert "Inneholder demodata" in pdf_text_of_page(reader, 0)
    assert "Inneholder demodata" in demo_document["html"]


def test_report_without_demo_data_does_not_claim_any_and_frozen_content_decides(programme, koordinator):
    """Without demo rows the cover says nothing of demo; and the mark comes from the built content alone, as an
    approved report renders: flipping the database afterwards changes neither document."""
    from rapportering import selectors
    from tiltak.models import Statusmelding

    from .conftest import YEAR, get_tiltak, report

    real = selectors.live_document(programme=programme, year=YEAR)
    assert real["content"]["demo"] is False
    pdf = rendering.render_pdf(real)
    assert "Inneholder demodata" not in pdf_text(pdf)

    koordinator.demo = True
    koordinator.save(update_fields=["demo"])
    report(get_tiltak(programme, "1.1.1"), koordinator, datetime.date(YEAR, 5, 1), "paagaar", "i_rute", "x")
    Statusmelding.objects.update(demo=True)
    demo = selectors.live_document(programme=programme, year=YEAR)
    assert demo["content"]["demo"] is True
    assert "Inneholder demodata" not in rendering.render_html(real)  # built before: stays as built
    Statusmelding.objects.update(demo=False)
    type(koordinator).objects.update(demo=False)
    assert "Inneholder demodata" in pdf_text(rendering.render_pdf(demo))  # built with demo: keeps saying so


def pdf_text_of_page(reader, index: int) -> str:
    return re.sub(r"\s+", " ", reader.pages[index].extract_text())
