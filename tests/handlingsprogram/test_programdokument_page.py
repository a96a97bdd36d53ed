"""The programme document's page: every part in the document's order with its headings in order, fact boxes as
boxes, footnotes as footnotes, text escaped, and a query count that does not grow with the number of parts. The
area pages show their chapter's fact boxes and footnotes and both names of each innsatsområde."""

import html
import re

import pytest
from django.urls import reverse

from handlingsprogram.models import Handlingsprogram, Programtekst
from handlingsprogram.templatetags.programtekst import render_programme_text
from tests.handlingsprogram.test_views import query_count_stays_constant


def document_url(programme):
    return reverse("handlingsprogram:programdokument", kwargs={"program": programme.slug})


def main_of(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def headings(page: str) -> list[tuple[int, str]]:
    return [
        (int(level), html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", page, flags=re.S)
    ]


def plain(text: str) -> list[str]:
    """The words of each line of a stored text, as the page shows them (bullets become list items)."""
    return [re.sub(r"^[•▪] ", "", line).strip() for line in text.split("\n") if line.strip()]


def test_the_page_has_every_part_in_order_with_headings_in_order(client, programme):
    response = client.get(document_url(programme))
    assert response.status_code == 200
    page = main_of(response)

    found = headings(page)
    assert found[0] == (1, "Programdokumentet")
    assert found[1] == (2, "Innhold")
    parts = list(programme.tekster.exclude(type="fotnote").select_related("forelder").order_by("position"))
    titles = [title for _, title in found[2:]]
    assert titles == [part.title for part in parts]  # every part with a heading, in the document's order
    levels = dict((title, level) for level, title in found[2:])
    assert levels["1. INNLEDNING"] == 2 and levels["1.4 Oppfølging av internasjonalt handlingsprogram"] == 3
    assert (
        levels["TRØNDELAG FYLKESKOMMUNE SKAL"] == 4 and levels["Vedlegg 5: Om Innovasjon Norges satsning mot Kina"] == 2
    )
    for (level, _), (next_level, title) in zip(found, found[1:], strict=False):
        assert next_level <= level + 1, f"heading level skipped before {title!r}"

    without_references = re.sub(r'<sup class="portal-footnote-ref">.*?</sup>', "", page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", without_references))
    text = re.sub(r"\s+", " ", text)
    for part in programme.tekster.all():
        for line in plain(part.text):
            assert re.sub(r"\s+", " ", line) in text, (part.key, line)
    assert programme.innledning.split("\n\n")[0] in text  # chapter 1's own text, from the programme


def test_contents_nav_links_every_chapter_and_appendix(client, programme):
    page = main_of(client.get(document_url(programme)))
    nav = page[page.index('<nav class="portal-section" aria-label="Innhold">') :]
    nav = nav[: nav.index("</nav>")]
    for part in programme.tekster.filter(type__in=["kapittel", "vedlegg", "figur"]):
        assert f'href="#{part.anchor}"' in nav, part.key
        assert f'id="{part.anchor}"' in page, part.key


def test_fact_boxes_are_boxes_and_footnotes_are_footnotes(client, programme):
    page = main_of(client.get(document_url(programme)))
    assert page.count("<aside") == programme.tekster.filter(type="faktaboks").count() == 8
    assert '<aside class="ds-card portal-factbox portal-document"' in page
    # Footnote 1 is referred to in 1.1's own text and links to the note.
    assert (
        'måldokument<sup class="portal-footnote-ref"><a class="ds-link" href="#fotnote-1" aria-label="Fotnote 1">1'
        in page
    )
    assert (
        '<li id="fotnote-2" value="2"><span lang="nb">Med forbehold om norsk deltagelse i programmene.</span>' in page
    )
    # 2.3's text is on the area page; here the note says which words its number follows.
    assert 'nummeret står etter «<span lang="nb">EØS-ordningene og LIFE</span>» i kapitlets tekst' in page


def test_parts_kept_as_data_link_to_their_pages(client, programme):
    page = main_of(client.get(document_url(programme)))
    for number in range(1, 5):
        area = programme.omraader.get(nummer=number)
        assert f'href="{area.get_absolute_url()}">Les hele kapittel 2.{number}, med tiltakene' in page
    assert f'href="{reverse("handlingsprogram:finansieringsprogrammer")}"' in page
    assert f'href="{reverse("nettverk:list")}"' in page
    assert f'href="{reverse("handlingsprogram:styringsdokumenter", kwargs={"program": programme.slug})}"' in page
    assert 'href="https://norad.no/om-bistand/dette-er-fns-barekraftsmal/barekraftsmalene-hovedmal-og-delmal/"' in page


def test_current_programme_page_and_links_to_it(client, programme):
    response = client.get(reverse("handlingsprogram:programdokument_current"))
    assert response.status_code == 200 and "Vedlegg 5: Om Innovasjon Norges satsning mot Kina" in response.text
    assert document_url(programme) in client.get(programme.get_absolute_url()).text
    area = programme.omraader.get(nummer=2)
    assert f"{document_url(programme)}#kapittel-2-2" in client.get(area.get_absolute_url()).text


def test_without_a_programme_or_its_text_the_page_says_so(client, programme):
    programme.tekster.all().delete()
    assert "Teksten i dette programmets dokument er ikke lastet inn." in client.get(document_url(programme)).text
    Handlingsprogram.objects.all().delete()
    response = client.get(reverse("handlingsprogram:programdokument_current"))
    assert response.status_code == 200 and "Ingen handlingsprogram er lastet inn ennå." in response.text
    assert client.get("/program/finnes-ikke/programdokument/").status_code == 404


def add_parts(programme):
    """Three more chapters, each with a fact box and a footnote."""
    last = programme.tekster.order_by("-position").first().position
    for i in range(1, 4):
        chapter = Programtekst.objects.create(
            handlingsprogram=programme, type="kapittel", key=f"9.{i}", title=f"9.{i} Ekstra", position=last + 3 * i,
            text=f"Tekst {i} med merke.", source="Test",
        )  # fmt: skip
        Programtekst.objects.create(
            handlingsprogram=programme, type="faktaboks", key=f"boks-{i}", title="BOKS", text="Fakta.",
            position=last + 3 * i + 1, forelder=chapter, source="Test",
        )  # fmt: skip
        Programtekst.objects.create(
            handlingsprogram=programme, type="fotnote", key=f"fotnote-9{i}", number=f"9{i}", text="Note.",
            refers_to="merke", position=last + 3 * i + 2, forelder=chapter, source="Test",
        )  # fmt: skip


def test_page_queries_are_constant(client, programme, django_assert_num_queries):
    with django_assert_num_queries(3):  # the programme, its parts (with their areas), the demo banner's check
        assert client.get(document_url(programme)).status_code == 200
    add_parts(programme)
    with django_assert_num_queries(3):
        page = main_of(client.get(document_url(programme)))
    assert page.count("9.3 Ekstra") == 2 and 'href="#fotnote-93"' in page


def test_area_page_queries_stay_constant_with_more_boxes(client, programme, django_assert_num_queries):
    area = programme.omraader.get(nummer=3)
    # 9, + the kilder of the area, its tiltak's ansvar and its networks (3), + the area alone for its heading (1)
    query_count_stays_constant(
        client, programme, django_assert_num_queries, area.get_absolute_url, 16
    )  # + 1: the demo banner check; + 2: the public progress (counts, latest statusmeldinger)


def test_area_page_shows_its_boxes_footnotes_and_both_names(client, programme):
    area = programme.omraader.get(nummer=3)
    page = main_of(client.get(area.get_absolute_url()))
    assert '<h2 class="ds-heading" data-size="xs" lang="nb">TRØNDERE FRA HELE VERDEN</h2>' in page
    assert 'EØS-ordningene og LIFE<sup class="portal-footnote-ref"><a class="ds-link" href="#fotnote-2"' in page
    assert (
        '<li id="fotnote-2" value="2"><span lang="nb">Med forbehold om norsk deltagelse i programmene.</span></li>'
        in page
    )
    assert (
        'Kalt «<span lang="nb">Økt deltagelse i EU/EØS-program</span>» i programmets oversikt (kapittel 1.1).' in page
    )
    assert "Teksten over er kapittel 2.3 i programdokumentet." in page
    # Where both names are the same, the page does not say it twice.
    other = main_of(client.get(programme.omraader.get(nummer=4).get_absolute_url()))
    assert "Nordisk regionalt samarbeid</span>»" not in other
    assert 'Kalt «<span lang="nb">CPMR, Nordsjøkommisjonen</span>» i programmets oversikt' in other


def test_text_is_escaped_never_markup(client, programme):
    programme.tekster.filter(key="vedlegg-5").update(
        text='<script>alert("x")</script> & «tekst»\n• <b>punkt</b>', title="<i>Vedlegg</i>"
    )
    page = client.get(document_url(programme)).text
    assert "<script>alert" not in page and "<b>punkt</b>" not in page and "<i>Vedlegg</i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; «tekst»" in page
    assert "<li>&lt;b&gt;punkt&lt;/b&gt;</li>" in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ett avsnitt.\n\nTo avsnitt.", "<p>Ett avsnitt.</p>\n<p>To avsnitt.</p>"),
        (
            "Innledning:\n• a\n• b\n\nSlutt",
            '<p>Innledning:</p>\n<ul class="ds-list"><li>a</li><li>b</li></ul>\n<p>Slutt</p>',
        ),
        ("Linje 1\nLinje 2", "<p>Linje 1<br>Linje 2</p>"),
        ("▪ én\n▪ to", '<ul class="ds-list"><li>én</li><li>to</li></ul>'),
        ("a < b & c", "<p>a &lt; b &amp; c</p>"),
    ],
)
def test_text_becomes_paragraphs_and_lists(text, expected):
    assert render_programme_text(text) == expected
