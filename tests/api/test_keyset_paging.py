"""Keyset paging of the big API lists (issue 19): ``?cursor=`` walks the same rows in the same order as ``?page=``,
backwards too, and a deep page by cursor runs the same SQL as an early one (no OFFSET), so it costs the same
however deep it is. Page numbers keep working as before for existing clients."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from tiltak.models import Statusmelding, Tiltak
from tiltak.services import current_status_refresh

TILTAK = reverse("api:tiltak-list")
MELDINGER = reverse("api:statusmelding-list")


@pytest.fixture
def many_statusmeldinger(programme, saksbehandler):
    """35 valid reports on five dates, several on the same date and created in the same bulk insert (ties in
    date and, on a fast machine, created_at: only the id tells them apart), and one withdrawn."""
    tiltak = list(Tiltak.objects.order_by("pk")[:5])
    rows = [
        Statusmelding(
            tiltak=tiltak[n % 5],
            author=saksbehandler,
            date=datetime.date(2022, 1 + n % 5, 1),
            status="paagaar",
            vurdering="i_rute",
            gjennomfoert=f"Rapport {n}",
        )
        for n in range(35)
    ]
    Statusmelding.objects.bulk_create(rows)
    current_status_refresh()  # bulk_create sends no signal
    return Statusmelding.objects.valid().count()


def walk(client, url, params, key, *, by):
    """Every row of a list, following ``next`` links (by="next") or next_cursor (by="cursor")."""
    seen, pages = [], 0
    data = client.get(url, params).json()
    while True:
        pages += 1
        seen += [row[key] for row in data["results"]]
        if by == "next":
            if not data["next"]:
                return seen, data, pages
            data = client.get(data["next"]).json()
        else:
            if not data["next_cursor"]:
                return seen, data, pages
            data = client.get(url, {**params, "cursor": data["next_cursor"]}).json()
        assert pages < 100


def ids(client, url, params):
    return [row["id"] for row in client.get(url, params).json()["results"]]


def test_statusmeldinger_by_cursor_are_the_rows_by_page_in_the_same_order(client, many_statusmeldinger):
    by_page, _, _ = walk(client, MELDINGER, {"page_size": 100}, "id", by="next")
    assert len(by_page) == many_statusmeldinger >= 35
    by_cursor, last, pages = walk(client, MELDINGER, {"page_size": 4}, "id", by="cursor")
    assert by_cursor == by_page
    assert pages == -(-len(by_page) // 4) and last["next_cursor"] is None and last["next"] is None
    # Following the ``next`` links of a cursor page stays on cursors, and ``count`` is the whole list's.
    first = client.get(MELDINGER, {"page_size": 4}).json()
    second = client.get(MELDINGER, {"page_size": 4, "cursor": first["next_cursor"]}).json()
    assert second["count"] == first["count"] == len(by_page)
    assert "cursor=" in second["next"] and "page=" not in second["next"]
    assert [row["id"] for row in second["results"]] == by_page[4:8]
    # ``previous`` of a cursor page goes back to the rows before it.
    back = client.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == by_page[:4]
    third = client.get(second["next"]).json()
    assert [row["id"] for row in client.get(third["previous"]).json()["results"]] == by_page[4:8]


def test_every_order_of_statusmeldinger_pages_by_cursor_as_by_page(client, many_statusmeldinger):
    for ordering in ("dato", "-dato", "created_at", "-created_at"):
        by_page, _, _ = walk(client, MELDINGER, {"page_size": 100, "ordering": ordering}, "id", by="next")
        by_cursor, _, _ = walk(client, MELDINGER, {"page_size": 6, "ordering": ordering}, "id", by="cursor")
        assert by_cursor == by_page, ordering


def test_tiltak_by_cursor_with_filters_are_the_rows_by_page(client, programme, statusmelding):
    for params in ({}, {"ordering": "-kode"}, {"ordering": "updated_at"}, {"omraade": "utdanning-og-kompetanse"}):
        by_page, _, _ = walk(client, TILTAK, {"page_size": 500, **params}, "kode", by="next")
        by_cursor, _, _ = walk(client, TILTAK, {"page_size": 7, **params}, "kode", by="cursor")
        assert by_cursor == by_page and by_page, params
    # Sorting by the latest statusmelding's date (missing for a tiltak without one) pages by number only.
    data = client.get(TILTAK, {"ordering": "siste_statusmelding", "page_size": 5}).json()
    assert data["next_cursor"] is None and data["next"]
    cursor = client.get(TILTAK, {"page_size": 5}).json()["next_cursor"]
    refused = client.get(TILTAK, {"ordering": "siste_statusmelding", "cursor": cursor})
    assert refused.status_code == 400 and "cursor" in refused.json()


def test_a_deep_page_by_cursor_runs_the_same_sql_as_an_early_one(client, many_statusmeldinger):
    cursors = []
    data = client.get(MELDINGER, {"page_size": 3}).json()
    while data["next_cursor"]:
        cursors.append(data["next_cursor"])
        data = client.get(MELDINGER, {"page_size": 3, "cursor": data["next_cursor"]}).json()
    assert len(cursors) >= 10

    def statements(cursor):
        seen = []

        def record(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = client.get(MELDINGER, {"page_size": 3, "cursor": cursor})
        assert response.status_code == 200
        return seen

    early, deep = statements(cursors[0]), statements(cursors[-1])
    assert early == deep, "the same statements, only the key's values differ"
    assert not any("OFFSET" in sql.upper() for sql in deep)
    # By page number the deep page skips rows (OFFSET), which is what the cursor avoids.
    with connection.execute_wrapper(lambda execute, sql, *rest: (execute(sql, *rest), offsets.append(sql))[0]):
        offsets = []
        client.get(MELDINGER, {"page_size": 3, "page": len(cursors)})
    assert any("OFFSET" in sql.upper() for sql in offsets)


def test_the_newest_first_order_has_an_index_on_postgresql(client, many_statusmeldinger):
    """What makes a deep page cheap on PostgreSQL: the keyset condition is a range of statusmelding_newest."""
    if connection.vendor != "postgresql":
        pytest.skip("the index's use is PostgreSQL's planner's (SQLite: the same SQL shape is tested above)")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table would be read whole otherwise
        cursor.execute(
            "EXPLAIN SELECT id FROM tiltak_statusmelding WHERE (date, created_at, id) < (%s, now(), 10) "
            "ORDER BY date DESC, created_at DESC, id DESC LIMIT 21",
            [datetime.date(2022, 3, 1)],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "statusmelding_newest" in plan, plan


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"cursor": "e30"},  # {}
        {"cursor": "eyJvIjpbXSwiayI6W119"},  # another order's
        {"cursor": "x" * 300},
        {"cursor": "CURSOR", "page": "2"},
    ],
)
def test_a_bad_cursor_is_a_bad_value_of_the_parameter(client, many_statusmeldinger, params):
    if params["cursor"] == "CURSOR":
        params["cursor"] = client.get(MELDINGER, {"page_size": 3}).json()["next_cursor"]
    response = client.get(MELDINGER, params)
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_with_values_of_the_wrong_type_is_refused_not_a_500(client, many_statusmeldinger):
    import base64
    import json

    good = client.get(MELDINGER, {"page_size": 3}).json()["next_cursor"]
    payload = json.loads(base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)))
    for bad_key in (["not a date", payload["k"][1], 1], [payload["k"][0], payload["k"][1], "x"], [None, None, None]):
        forged = base64.urlsafe_b64encode(json.dumps({**payload, "k": bad_key}).encode()).decode().rstrip("=")
        response = client.get(MELDINGER, {"cursor": forged})
        assert response.status_code == 400, bad_key
    # Page numbers are as they were.
    assert ids(client, MELDINGER, {"page_size": 3, "page": 2}) == ids(client, MELDINGER, {"page_size": 6})[3:]
