"""Every public page renders for an anonymous visitor, with a query count that does not grow with rows."""

import pytest
from django.urls import reverse

from handlingsprogram.models import Aktoer, Finansieringsprogram
from nettverk.models import Medlemskap, Nettverk
from tiltak.models import Ansvar, Tiltak


def add_rows(programme):
    """Three more tiltak with responsibilities in every innsatsområde, three more networks with seats."""
    aktoer = Aktoer.objects.get(slug="trondelag-fylkeskommune")
    for omraade in programme.omraader.all():
        for innsats in omraade.innsatsomraader.all():
            start = innsats.tiltak.count() + 1
            for nummer in range(start, start + 3):
                tiltak = Tiltak.objects.create(innsatsomraade=innsats, nummer=nummer, tekst=f"Ekstra {nummer}")
                Ansvar.objects.create(tiltak=tiltak, aktoer=aktoer)
    parent = Nettverk.objects.first()
    offset = Nettverk.objects.count()
    for i in range(offset, offset + 3):
        nettverk = Nettverk.objects.create(
            navn=f"Ekstra nettverk {i}", slug=f"ekstra-{i}", type="forum", geografi="regional", forelder=parent
        )
        Medlemskap.objects.create(nettverk=nettverk, aktoer=aktoer, rolle="medlem", nivaa="administrativ")
        Finansieringsprogram.objects.create(navn=f"Ekstra program {i}", slug=f"ekstra-program-{i}")


def public_urls(programme):
    urls = [
        reverse("tiltak:overview"),
        programme.get_absolute_url(),
        reverse("handlingsprogram:styringsdokumenter_current"),
        reverse("handlingsprogram:styringsdokumenter", kwargs={"program": programme.slug}),
        reverse("handlingsprogram:finansieringsprogrammer"),
        reverse("nettverk:list"),
    ]
    urls += [omraade.get_absolute_url() for omraade in programme.omraader.all()]
    urls += [t.get_absolute_url() for t in Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram")]
    urls += [n.get_absolute_url() for n in Nettverk.objects.all()]
    return urls


def test_every_public_page_renders_for_anonymous(client, programme):
    urls = public_urls(programme)
    assert len(urls) > 6 + 4 + 45 + 20
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'href="#main"' in response.content, url  # skip link
        assert b'<main id="main"' in response.content, url


def test_tiltak_page_shows_full_text_and_responsibility(client, programme):
    tiltak = Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").get(
        innsatsomraade__omraade__nummer=2, innsatsomraade__nummer=1, nummer=2
    )
    html = client.get(tiltak.get_absolute_url()).content.decode()
    assert tiltak.tekst in html
    assert "KS" in html


def test_network_page_shows_hierarchy(client, programme):
    group = Nettverk.objects.filter(forelder__kortnavn="NSC").select_related("forelder__forelder").first()
    html = client.get(group.get_absolute_url()).content.decode()
    assert group.forelder.forelder.get_absolute_url() in html  # CPMR in the breadcrumb trail
    assert group.forelder.get_absolute_url() in html


@pytest.mark.parametrize("code", ["9.9.9", "1.1", "abc", "1.1.1.1", "0.0.0", "99999.1.1"])
def test_unknown_tiltak_code_is_404(client, programme, code):
    assert client.get(f"/program/{programme.slug}/tiltak/{code}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/program/finnes-ikke/",
        "/program/finnes-ikke/omraade/x/",
        "/nettverk/finnes-ikke/",
        "/program/finnes-ikke/tiltak/1.1.1/",
        "/program/finnes-ikke/styringsdokumenter/",
    ],
)
def test_unknown_slugs_are_404(client, programme, url):
    assert client.get(url).status_code == 404


def query_count_stays_constant(client, programme, django_assert_num_queries, url_for, expected):
    with django_assert_num_queries(expected):
        assert client.get(url_for()).status_code == 200
    add_rows(programme)
    with django_assert_num_queries(expected):
        assert client.get(url_for()).status_code == 200


def test_tiltak_page_queries_are_constant(client, programme, django_assert_num_queries):
    tiltak = Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").get(
        innsatsomraade__omraade__nummer=4, innsatsomraade__nummer=3, nummer=1
    )
    # 10: the page's six reads of the programme tree, the statusmelding timeline, its indikatorer and its projects,
    # and its rollover decisions (none here; tests/tiltak/test_rullering_views.py counts a tiltak with lineage);
    # + 3: where its ansvar, its own links and its networks' links come from (kilder); + 1: the demo banner check;
    # + 1: an anonymous visitor's page reads the tiltak's heading first, the rest only when its kept part is
    # rendered again (felles/fragment_cache.py; inside a test's transaction that is every time).
    query_count_stays_constant(client, programme, django_assert_num_queries, tiltak.get_absolute_url, 15)


def test_network_pages_queries_are_constant(client, programme, django_assert_num_queries):
    # networks + memberships (+ where their facts come from), and the filter form's current programme and its areas
    query_count_stays_constant(
        client, programme, django_assert_num_queries, lambda: reverse("nettverk:list"), 6
    )  # + 1: the demo banner check
    nsc = Nettverk.objects.get(kortnavn="NSC")
    # + the latest participation and its count (2), and the kilder of the memberships and the network (2)
    query_count_stays_constant(
        client, programme, django_assert_num_queries, nsc.get_absolute_url, 11
    )  # + 1: the demo banner check


def test_reference_pages_queries_are_constant(client, programme, django_assert_num_queries):
    query_count_stays_constant(
        client, programme, django_assert_num_queries, lambda: reverse("handlingsprogram:finansieringsprogrammer"), 3
    )  # + 1: base.html's demo banner check
    query_count_stays_constant(
        client,
        programme,
        django_assert_num_queries,
        lambda: reverse("handlingsprogram:styringsdokumenter_current"),
        8,  # + 1: the demo banner check
    )  # 4, + the kilder of the documents, their goals and the goals' areas (3)
