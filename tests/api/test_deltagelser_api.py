"""Deltagelser in the partner API: public fields only, filtered by network, year and level, constant queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from nettverk.models import Deltagelse, Nettverk

pytestmark = pytest.mark.django_db

SECRET = "HEMMELIG-POSISJON"


@pytest.fixture
def meetings(programme, koordinator, tiltak_212):
    transport = Nettverk.objects.get(slug="nsc-transport")
    marine = Nettverk.objects.get(slug="nsc-marine-ressurser")
    rows = []
    for nettverk, nivaa, start in [
        (transport, "politisk", datetime.date(2022, 3, 1)),
        (transport, "administrativ", datetime.date(2023, 6, 1)),
        (marine, "administrativ", datetime.date(2022, 9, 1)),
    ]:
        deltagelse = Deltagelse.objects.create(
            nettverk=nettverk,
            tittel=f"Møte {start}",
            start=start,
            nivaa=nivaa,
            status="rapportert",
            reported_at=timezone.now(),
            referat="Offentlig referat",
            posisjoner=SECRET,
            forberedelser=SECRET,
            laering=SECRET,
            created_by=koordinator,
        )
        deltagelse.tiltak.add(tiltak_212)
        deltagelse.deltakere.add(koordinator)
        rows.append(deltagelse)
    return rows


def test_public_fields_only_in_json_and_csv(client, meetings):
    response = client.get(reverse("api:deltagelse-list"))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    first = data["results"][0]
    assert set(first) == {
        "id", "nettverk", "tittel", "type", "start", "slutt", "sted", "nivaa", "status", "formaal", "referat",
        "rapportert_at", "tiltak", "url", "portal_url", "updated_at", "demo",
    }  # fmt: skip
    assert first["demo"] is False
    assert first["tiltak"] == ["internasjonalt-handlingsprogram-2020-2023/2.1.2"]
    assert SECRET not in response.content.decode()
    csv = client.get(reverse("api:deltagelse-list"), {"format": "csv"})
    assert csv.status_code == 200 and SECRET not in csv.content.decode()
    detail = client.get(reverse("api:deltagelse-detail", kwargs={"pk": meetings[0].pk}))
    assert detail.json()["referat"] == "Offentlig referat"
    assert client.get("/api/v1/deltagelser/abc/").status_code == 404


def test_filters(client, meetings):
    def titles(**params):
        return sorted(r["tittel"] for r in client.get(reverse("api:deltagelse-list"), params).json()["results"])

    assert titles(nettverk="nsc-transport") == ["Møte 2022-03-01", "Møte 2023-06-01"]
    assert titles(aar=2022) == ["Møte 2022-03-01", "Møte 2022-09-01"]
    assert titles(nivaa="politisk") == ["Møte 2022-03-01"]
    assert titles(nettverk="nsc-transport", aar=2023, nivaa="administrativ") == ["Møte 2023-06-01"]
    for params, name in [
        ({"nettverk": "finnes-ikke"}, "nettverk"),
        ({"aar": "2022.5"}, "aar"),
        ({"nivaa": "x"}, "nivaa"),
    ]:
        response = client.get(reverse("api:deltagelse-list"), params)
        assert response.status_code == 400 and list(response.json()) == [name]


def test_query_count_does_not_grow(client, meetings, koordinator, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("api:deltagelse-list")).json()["count"] == 3
    transport = Nettverk.objects.get(slug="nsc-transport")
    for i in range(30):
        Deltagelse.objects.create(
            nettverk=transport, tittel=f"Ekstra {i}", start=datetime.date(2021, 1, 1), nivaa="politisk",
            created_by=koordinator,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        # The rows are really listed: a refused or empty answer would keep the count down for nothing.
        assert client.get(reverse("api:deltagelse-list")).json()["count"] == 33


def test_memberships_on_their_own_filtered_by_network_year_and_level(client, programme):
    from nettverk.models import Medlemskap

    everything = client.get(reverse("api:medlemskap-list"), {"page_size": 500}).json()
    assert everything["count"] == Medlemskap.objects.count()
    nsc = client.get(reverse("api:medlemskap-list"), {"nettverk": "nordsjokommisjonen"}).json()["results"]
    assert nsc and {m["nettverk"] for m in nsc} == {"nordsjokommisjonen"}
    political = client.get(reverse("api:medlemskap-list"), {"nivaa": "politisk", "page_size": 500}).json()
    assert political["count"] == Medlemskap.objects.filter(nivaa="politisk").count()
    ended = Medlemskap.objects.first()
    ended.start_date, ended.end_date = datetime.date(2019, 1, 1), datetime.date(2020, 6, 30)
    ended.save()
    in_2021 = client.get(reverse("api:medlemskap-list"), {"aar": 2021, "page_size": 500}).json()["results"]
    in_2020 = client.get(reverse("api:medlemskap-list"), {"aar": 2020, "page_size": 500}).json()["results"]
    assert ended.pk not in {m["id"] for m in in_2021} and ended.pk in {m["id"] for m in in_2020}
    assert client.get(reverse("api:medlemskap-list"), {"aar": "tjue"}).status_code == 400
