"""The programme overview and the area pages (tiltak/views/programme.py): what they show, and a query count that
does not grow with rows. Every public page rendering for an anonymous visitor is in tests/handlingsprogram/."""

from django.urls import reverse

from handlingsprogram.models import Handlingsprogram
from tests.handlingsprogram.test_views import query_count_stays_constant
from tiltak.models import Tiltak


def test_overview_shows_areas_tiltak_codes_and_actors(client, programme):
    html = client.get(reverse("tiltak:overview")).content.decode()
    for omraade in programme.omraader.all():
        assert omraade.navn in html
    for tiltak in Tiltak.objects.select_related("innsatsomraade__omraade"):
        assert f">{tiltak.kode}<" in html
    assert "Trøndelag fylkeskommune" in html or "TRFK" in html
    assert 'lang="nb"' in html


def test_overview_without_any_programme_says_so(client, db):
    Handlingsprogram.objects.all().delete()
    response = client.get(reverse("tiltak:overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Ikke noe handlingsprogram" in page
    assert "Ingen handlingsprogram er lastet inn ennå." in page
    assert 'id="areas-heading"' not in page  # not an empty programme page instead


def test_overview_queries_are_constant(client, programme, django_assert_num_queries):
    # 6, + where the areas' SDG links and the ansvar come from (kilder, 2)
    query_count_stays_constant(
        client, programme, django_assert_num_queries, lambda: reverse("tiltak:overview"), 11
    )  # + 1: the demo banner check; + 2: the public progress (counts, latest statusmeldinger)


def test_area_page_queries_are_constant(client, programme, django_assert_num_queries):
    area = programme.omraader.get(nummer=4)
    # 9: the area with its tiltak, goals and networks (8), and its chapter's fact boxes and footnotes (1);
    # + 3: the kilder of the area, its tiltak's ansvar and its networks; + 1: the area alone first, for its
    # heading (the rest is read only when the kept part is rendered again, felles/fragment_cache.py).
    query_count_stays_constant(
        client, programme, django_assert_num_queries, area.get_absolute_url, 16
    )  # + 1: the demo banner check; + 2: the public progress (counts, latest statusmeldinger)
