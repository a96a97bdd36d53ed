"""The long lists on staff pages come in pages of 50 (issue 19): Mine tiltak, the filtered tiltak list and the
dashboard's meetings without a report-back. Each says where it is ("Viser 51–100 av 162") and how many there are
in all, links the pages with the current one marked for screen readers, keeps the filters in its links, runs the
same number of queries on every page whatever the number of rows, and a bad page number still shows a page. The
exports keep covering every row."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from felles.pagination import PAGE_SIZE
from handlingsprogram.models import Innsatsomraade
from nettverk.models import Deltagelse, Nettverk
from tiltak.models import Ansvar, Tiltak

MINE = reverse("tiltak:mine")
LIST = reverse("tiltak:list")
DASHBOARD = reverse("portal:dashboard")
# The three pages' query counts, pinned (a change says why in its commit): the same on every page and whatever
# the number of rows (each test below adds more than two pages of rows).
MINE_QUERIES = 10
LIST_QUERIES = 13
DASHBOARD_QUERIES = 13
BAD_PAGES = ["abc", "0", "-3", "1.5", "", "99999", "9" * 40]


def add_tiltak(programme, enhet, count: int) -> None:
    """``count`` more tiltak in area 1 with the unit responsible, so they are on its Mine tiltak too."""
    innsats = Innsatsomraade.objects.filter(omraade__handlingsprogram=programme, omraade__nummer=1).first()
    created = Tiltak.objects.bulk_create(
        Tiltak(innsatsomraade=innsats, nummer=100 + i, tekst=f"Ekstra tiltak {i}") for i in range(count)
    )
    Ansvar.objects.bulk_create(Ansvar(tiltak=t, aktoer=enhet.aktoer, enhet=enhet) for t in created)


def add_overdue(author, count: int) -> None:
    nettverk = Nettverk.objects.order_by("pk").first()
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    Deltagelse.objects.bulk_create(
        Deltagelse(
            nettverk=nettverk,
            tittel=f"Forfalt møte {i}",
            start=long_ago + datetime.timedelta(days=i),
            nivaa="administrativ",
            created_by=author,
        )
        for i in range(count)
    )


def page_numbers(html: str) -> list[str]:
    nav = re.search(r'<nav class="ds-pagination" aria-label="[^"]+">(.*?)</nav>', html, re.S)
    assert nav, "the page links"
    return re.findall(r'aria-label="Side (\d+)"', nav[1])


def current_page(html: str) -> str:
    marked = re.findall(r'aria-current="true"[^>]*aria-label="Side (\d+)"', html)
    assert len(marked) == 1, marked
    return marked[0]


def queries(client, url, params=None) -> int:
    client.get(url, params or {})  # warm-up: what is cached per process (content types, translations)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_mine_tiltak_pages_with_constant_queries(client, programme, saksbehandler, django_assert_num_queries):
    client.force_login(saksbehandler)
    before = queries(client, MINE)
    # Pinned: session, user, programme, unit and actor, the rounds, the keys with each one's "reported" (which also
    # give the count and the unreported number), the page's rows, the demo banner, the unread notifications. No
    # Ansvar and no sources: the page does not show them.
    assert before == MINE_QUERIES
    mine = client.get(MINE).context["page"].paginator.count
    assert mine >= 3
    add_tiltak(programme, saksbehandler.enhet, 2 * PAGE_SIZE + 12)
    total = mine + 2 * PAGE_SIZE + 12
    for side in ("1", "2", "3"):
        with django_assert_num_queries(before):
            response = client.get(MINE, {"side": side})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == total
    html = response.content.decode()
    assert len(response.context["tiltak_list"]) == total - 2 * PAGE_SIZE
    assert f"Viser 101–{total} av {total}" in html
    assert current_page(html) == "3"
    assert page_numbers(html) == ["1", "2", "3"]
    assert 'href="?side=2"' in html and 'rel="prev"' in html and 'rel="next"' not in html
    # The number without a report this year counts every page, not just this one (none of the added has one).
    assert response.context["unreported_count"] >= 2 * PAGE_SIZE + 12
    first = client.get(MINE).content.decode()
    assert f"Viser 1–50 av {total}" in first and current_page(first) == "1"


def test_filtered_list_pages_keep_the_filter_and_the_export_has_every_row(
    client, programme, leser, saksbehandler, django_assert_num_queries
):
    client.force_login(leser)
    filters = {"omraade": "1", "aar": "2022"}
    before = queries(client, LIST, filters)
    assert before == LIST_QUERIES
    add_tiltak(programme, saksbehandler.enhet, 2 * PAGE_SIZE + 12)
    with django_assert_num_queries(before):
        response = client.get(LIST, {**filters, "side": "2"})
    total = response.context["page"].paginator.count
    assert total > 2 * PAGE_SIZE
    assert len(response.context["tiltak_list"]) == PAGE_SIZE
    html = response.content.decode()
    assert f"Viser 51–100 av {total}" in html
    assert f'id="result-heading">{total} tiltak' in html  # the heading counts every match, not the page
    assert current_page(html) == "2"
    # Page links keep the filters; the download links leave the page out, and the export has every row.
    assert 'href="?omraade=1&amp;aar=2022&amp;side=3"' in html
    export = re.search(r'href="(/tiltak/eksport\.csv[^"]*)"', html)[1].replace("&amp;", "&")
    assert "side=" not in export
    rows = list(csv.reader(io.StringIO(client.get(export).content.decode("utf-8-sig"))))
    assert len(rows) - 1 == total
    with django_assert_num_queries(before):
        assert client.get(LIST, {**filters, "side": "3"}).status_code == 200


@pytest.mark.parametrize("url", [MINE, LIST, DASHBOARD])
def test_a_bad_page_number_still_shows_a_page(client, programme, saksbehandler, koordinator, url):
    add_tiltak(programme, saksbehandler.enhet, 2 * PAGE_SIZE + 12)
    add_overdue(koordinator, 2 * PAGE_SIZE + 12)
    client.force_login(saksbehandler)
    for value in BAD_PAGES:
        response = client.get(url, {"side": value})
        assert response.status_code == 200, value
        page = response.context["overdue_page" if url == DASHBOARD else "page"]
        # Not a whole number, or not 1 or more: the first page; past the end: the last.
        expected = page.paginator.num_pages if value in ("99999", "9" * 40) else 1
        assert page.number == expected, (value, page.number)


def test_the_overdue_meetings_page_and_say_how_many(client, programme, leser, koordinator, django_assert_num_queries):
    add_overdue(koordinator, 3)
    client.force_login(leser)
    before = queries(client, DASHBOARD)
    assert before == DASHBOARD_QUERIES
    assert "Viser 1–3 av 3" in client.get(DASHBOARD).content.decode()
    add_overdue(koordinator, 2 * PAGE_SIZE + 9)
    for side in ("1", "3"):
        with django_assert_num_queries(before):
            response = client.get(DASHBOARD, {"side": side, "aar": "2022"})
    html = response.content.decode()
    assert "Viser 101–112 av 112" in html
    assert len(response.context["overdue_page"].object_list) == 12
    assert current_page(html) == "3"
    # The links keep the year and land on the list, further down the page.
    assert 'href="?side=2&amp;aar=2022#overdue-deltagelser-heading"' in html
