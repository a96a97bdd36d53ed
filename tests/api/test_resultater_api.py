"""Results in the partner API: indikatorer with their values (never who recorded them), prosjekter with their grant
in NOK at the start year's rate, and the exchange rates; filters, refusals and query counts that do not grow."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from handlingsprogram.models import (
    Aktoer,
    Finansieringsprogram,
    Handlingsprogram,
    Innsatsomraade,
    PrioritertOmraade,
    User,
)
from resultater.models import Indikator, Indikatorverdi, Prosjekt, Valutakurs
from tiltak.models import Tiltak
from tiltak.selectors import tiltak_get_by_code

pytestmark = pytest.mark.django_db

PROGRAM = "internasjonalt-handlingsprogram-2020-2023"
RECORDER = "registrerer-hemmelig"
RECORDER_EMAIL = "registrerer@hemmelig.example"


def results(client, name, **params):
    params.setdefault("page_size", 500)
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def tiltak(programme, kode: str) -> Tiltak:
    return tiltak_get_by_code(programme=programme, code=kode)


@pytest.fixture
def recorder(make_user):
    return make_user(RECORDER, User.Rolle.KOORDINATOR, email=RECORDER_EMAIL, first_name="Hemmelig", last_name="Navn")


@pytest.fixture
def erasmus_indikator(programme, recorder) -> Indikator:
    """The programme file's Erasmus+ VET indikator (on 2.3.3), given a target and two values."""
    indikator = Indikator.objects.get(navn__startswith="Erasmus+-midler til mobilitet innen yrkesfag")
    indikator.maal_verdi, indikator.maal_aar = Decimal("1200000"), 2023
    indikator.save()
    for aar, verdi in [(2021, "1000000.50"), (2020, "950000")]:
        Indikatorverdi.objects.create(
            indikator=indikator, aar=aar, verdi=Decimal(verdi), kilde="Diku", kommentar=f"Tall for {aar}",
            created_by=recorder,
        )  # fmt: skip
    return indikator


def prosjekt(ekstern_id, *, fp="erasmus-plus", start=datetime.date(2022, 3, 1), valuta="EUR", status="innvilget",
             rolle="partner", total="1000000", innvilget="250000.50", **extra) -> Prosjekt:  # fmt: skip
    return Prosjekt.objects.create(
        ekstern_id=ekstern_id,
        navn=f"Prosjekt {ekstern_id}",
        finansieringsprogram=Finansieringsprogram.objects.get(slug=fp),
        rolle=rolle,
        start_date=start,
        end_date=start + datetime.timedelta(days=700),
        status=status,
        totalbudsjett=Decimal(total),
        innvilget_trondelag=Decimal(innvilget),
        valuta=valuta,
        **extra,
    )


@pytest.fixture
def prosjekter(programme):
    """An EUR project with a rate, a SEK project without one, and a NOK project (rate 1)."""
    Valutakurs.objects.create(aar=2022, valuta="EUR", kurs=Decimal("10.1030"), kilde="Norges Bank, årsgjennomsnitt")
    Valutakurs.objects.create(aar=2021, valuta="EUR", kurs=Decimal("10.1633"), kilde="Norges Bank")
    eur = prosjekt("101-EUR", akronym="VETMOB", utlysning="KA1 mobility in VET", rolle=Prosjekt.Rolle.KOORDINATOR)
    eur.aktoerer.set(Aktoer.objects.filter(slug__in=["trondelag-fylkeskommune", "ks"]))
    eur.tiltak.set([tiltak(programme, "2.3.3"), tiltak(programme, "2.1.2")])
    sek = prosjekt("202-SEK", fp="interreg-sverige-norge", start=datetime.date(2021, 9, 1), valuta="SEK",
                   status="soekt")  # fmt: skip
    sek.tiltak.set([tiltak(programme, "3.1.2")])
    nok = prosjekt("303-NOK", fp="horisont-europa", start=datetime.date(2023, 1, 1), valuta="NOK", status="avsluttet")
    return {"eur": eur, "sek": sek, "nok": nok}


# --- Indikatorer ----------------------------------------------------------------------------------------------------


def test_indikator_carries_baseline_target_owner_and_values(client, erasmus_indikator):
    url = reverse("api:indikator-detail", kwargs={"pk": erasmus_indikator.pk})
    data = client.get(url).json()
    assert set(data) == {
        "id", "handlingsprogram", "navn", "beskrivelse", "maaleenhet", "retning", "basis", "maal", "tiltak",
        "omraade", "verdier", "url", "portal_url", "updated_at", "kilde", "basis_verdi_kilde", "basis_aar_kilde",
    }  # fmt: skip
    assert data["handlingsprogram"] == PROGRAM
    assert (data["maaleenhet"], data["retning"]) == ("EUR", "hoeyere")
    assert data["basis"] == {
        "verdi": 926000.0,
        "aar": 2018,
        "kilde": "Internasjonalt handlingsprogram 2020–2023, kap. 2.2 Utdanning og kompetanse",
    }
    assert data["maal"] == {"verdi": 1200000.0, "aar": 2023}
    assert data["tiltak"] == {"handlingsprogram": PROGRAM, "kode": "2.3.3"}
    assert data["omraade"] is None
    assert [(v["aar"], v["verdi"], v["kilde"], v["kommentar"]) for v in data["verdier"]] == [
        (2020, 950000.0, "Diku", "Tall for 2020"),
        (2021, 1000000.5, "Diku", "Tall for 2021"),
    ]
    assert set(data["verdier"][0]) == {"aar", "verdi", "kilde", "kommentar", "updated_at", "demo"}
    assert data["verdier"][0]["demo"] is False
    assert data["url"] == "http://testserver" + url
    assert data["portal_url"] == "http://testserver" + erasmus_indikator.get_absolute_url()
    assert client.get(data["portal_url"]).status_code == 200


def test_area_indikator_without_target(client, programme):
    area = Indikator.objects.get(omraade__nummer=3)
    data = client.get(reverse("api:indikator-detail", kwargs={"pk": area.pk})).json()
    assert data["tiltak"] is None and data["maal"] is None and data["verdier"] == []
    assert data["omraade"] == {"nummer": 3, "slug": area.omraade.slug, "navn": area.omraade.navn}
    assert data["handlingsprogram"] == PROGRAM


def test_indikator_list_in_programme_order(client, erasmus_indikator):
    rows = results(client, "api:indikator-list")
    assert len(rows) == Indikator.objects.count() == 5
    owners = [row["tiltak"]["kode"] if row["tiltak"] else f"område {row['omraade']['nummer']}" for row in rows]
    assert owners == ["2.3.1", "2.3.3", "2.3.3", "2.3.3", "område 3"]


def test_indikator_filters(client, programme, erasmus_indikator):
    def names(**params):
        return sorted(row["navn"] for row in results(client, "api:indikator-list", **params))

    everything = names()
    assert names(handlingsprogram=PROGRAM) == everything
    assert len(names(tiltak="2.3.3")) == 3
    assert names(tiltak="1.1.1") == []
    # An area's number gives its own indikatorer and its measures'.
    assert len(names(omraade=2)) == 4
    assert names(omraade=3) == [Indikator.objects.get(omraade__nummer=3).navn]
    assert names(handlingsprogram=PROGRAM, omraade=3, tiltak="2.3.3") == []

    other = Handlingsprogram.objects.create(navn="Neste program", slug="neste", start_year=2024, end_year=2027)
    omraade = PrioritertOmraade.objects.create(handlingsprogram=other, nummer=3, navn="Område", slug="omraade")
    Indikator.objects.create(omraade=omraade, navn="Neste", maaleenhet="antall", basis_verdi=1, basis_aar=2023,
                             basis_kilde="Kilde")  # fmt: skip
    assert names(handlingsprogram="neste") == ["Neste"]
    assert len(names(omraade=3)) == 2 and len(names(omraade=3, handlingsprogram=PROGRAM)) == 1


def test_indikator_updated_since_counts_new_values(client, erasmus_indikator, recorder):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Indikator.objects.update(updated_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert results(client, "api:indikator-list", updated_since=since) == []
    # Recording a value changes the indikator (the service touches it), so a partner polling sees it.
    from resultater.services import indikatorverdi_save

    indikatorverdi_save(
        user=recorder, indikator=erasmus_indikator, aar=2022, verdi=Decimal("1100000"), kilde="Diku", kommentar=""
    )
    assert [row["id"] for row in results(client, "api:indikator-list", updated_since=since)] == [erasmus_indikator.pk]


def test_indikatorverdier_never_name_who_recorded_them(client, erasmus_indikator, koordinator):
    for fmt in ("json", "csv"):
        for response in (
            client.get(reverse("api:indikator-list"), {"format": fmt}),
            client.get(reverse("api:indikator-detail", kwargs={"pk": erasmus_indikator.pk}), {"format": fmt}),
        ):
            assert response.status_code == 200
            body = response.content.decode()
            # The sources' shape has who-recorded keys, always null for clients not logged in to the portal.
            unnamed = body.replace('"registrert_av":null', "").replace('"registrert":null', "")
            assert "registrert" not in unnamed and "Erasmus+" in body
            for secret in (RECORDER, RECORDER_EMAIL, "Hemmelig"):
                assert secret not in body
    # Not for logged-in staff either: there is no internal variant of the resource.
    client.force_login(koordinator)
    assert RECORDER not in client.get(reverse("api:indikator-list")).content.decode()


# --- Prosjekter -----------------------------------------------------------------------------------------------------


def test_prosjekt_carries_grant_in_its_currency_and_in_nok(client, prosjekter):
    eur = prosjekter["eur"]
    url = reverse("api:prosjekt-detail", kwargs={"pk": eur.pk})
    data = client.get(url).json()
    assert set(data) == {
        "id", "ekstern_id", "navn", "akronym", "finansieringsprogram", "utlysning", "rolle", "aktoerer", "startdato",
        "sluttdato", "status", "totalbudsjett", "innvilget_trondelag", "valuta", "kurs", "innvilget_nok", "tiltak",
        "url", "portal_url", "updated_at", "demo", "kurs_demo",
    }  # fmt: skip
    assert (data["demo"], data["kurs_demo"]) == (False, False)
    assert data["finansieringsprogram"] == {"slug": "erasmus-plus", "navn": eur.finansieringsprogram.navn}
    assert (data["ekstern_id"], data["akronym"], data["utlysning"]) == ("101-EUR", "VETMOB", "KA1 mobility in VET")
    assert (data["rolle"], data["status"], data["valuta"]) == ("koordinator", "innvilget", "EUR")
    assert (data["startdato"], data["sluttdato"]) == ("2022-03-01", "2024-01-30")
    assert [a["slug"] for a in data["aktoerer"]] == ["ks", "trondelag-fylkeskommune"]  # by name
    assert {"slug", "navn"} <= set(data["aktoerer"][0])
    # Amounts are JSON numbers, as the funding programmes' budgets are.
    assert data["totalbudsjett"] == 1000000.0 and data["innvilget_trondelag"] == 250000.5
    assert data["kurs"] == 10.103
    assert Decimal(str(data["innvilget_nok"])) == (Decimal("250000.50") * Decimal("10.1030")).quantize(Decimal("0.01"))
    assert data["tiltak"] == [
        {"handlingsprogram": PROGRAM, "kode": "2.1.2"},
        {"handlingsprogram": PROGRAM, "kode": "2.3.3"},
    ]
    assert data["url"] == "http://testserver" + url
    assert data["portal_url"] == "http://testserver" + eur.get_absolute_url()
    assert client.get(data["portal_url"]).status_code == 200


def test_prosjekt_without_rate_has_null_nok_and_nok_has_rate_one(client, prosjekter):
    rows = {row["ekstern_id"]: row for row in results(client, "api:prosjekt-list")}
    assert list(rows) == ["303-NOK", "101-EUR", "202-SEK"]  # newest first
    assert (rows["202-SEK"]["kurs"], rows["202-SEK"]["innvilget_nok"]) == (None, None)
    assert rows["202-SEK"]["innvilget_trondelag"] == 250000.5
    assert (rows["303-NOK"]["kurs"], rows["303-NOK"]["innvilget_nok"]) == (1.0, 250000.5)
    assert rows["303-NOK"]["tiltak"] == [] and rows["303-NOK"]["aktoerer"] == []
    csv = client.get(reverse("api:prosjekt-list"), {"format": "csv"})
    assert csv.status_code == 200 and "202-SEK" in csv.content.decode()


def test_prosjekt_filters(client, programme, prosjekter):
    def ids(**params):
        return sorted(row["ekstern_id"] for row in results(client, "api:prosjekt-list", **params))

    assert ids(finansieringsprogram="erasmus-plus") == ["101-EUR"]
    # A parent programme includes its sub-programmes' projects.
    assert ids(finansieringsprogram="interreg") == ["202-SEK"]
    assert ids(finansieringsprogram="interreg-sverige-norge") == ["202-SEK"]
    assert ids(status="soekt") == ["202-SEK"]
    assert ids(aar=2023) == ["303-NOK"]
    assert ids(tiltak="2.3.3") == ["101-EUR"]
    assert ids(handlingsprogram=PROGRAM) == ["101-EUR", "202-SEK"]
    assert ids(handlingsprogram=PROGRAM, tiltak="3.1.2", status="soekt", aar=2021) == ["202-SEK"]

    # The same code in another programme: with handlingsprogram, only the measure in that programme counts.
    other = Handlingsprogram.objects.create(navn="Neste program", slug="neste", start_year=2024, end_year=2027)
    omraade = PrioritertOmraade.objects.create(handlingsprogram=other, nummer=2, navn="Område", slug="omraade")
    innsats = Innsatsomraade.objects.create(omraade=omraade, nummer=1, navn="Innsats")
    neste_212 = Tiltak.objects.create(innsatsomraade=innsats, nummer=2, tekst="2.1.2 i neste program")
    prosjekter["nok"].tiltak.add(neste_212, tiltak(programme, "1.1.1"))
    assert ids(tiltak="2.1.2") == ["101-EUR", "303-NOK"]
    assert ids(tiltak="2.1.2", handlingsprogram=PROGRAM) == ["101-EUR"]
    assert ids(tiltak="2.1.2", handlingsprogram="neste") == ["303-NOK"]
    assert ids(handlingsprogram="neste") == ["303-NOK"]
    # Listed once, however many of its measures match.
    assert ids(handlingsprogram=PROGRAM) == ["101-EUR", "202-SEK", "303-NOK"]


def test_prosjekt_updated_since_counts_a_new_exchange_rate(client, prosjekter):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Prosjekt.objects.update(updated_at=long_ago)
    Valutakurs.objects.update(updated_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert results(client, "api:prosjekt-list", updated_since=since) == []
    # The SEK project gets a NOK sum when its rate is entered: for a partner, it has changed.
    Valutakurs.objects.create(aar=2021, valuta="SEK", kurs=Decimal("0.9812"))
    rows = results(client, "api:prosjekt-list", updated_since=since)
    assert [row["ekstern_id"] for row in rows] == ["202-SEK"]
    assert rows[0]["kurs"] == 0.9812 and rows[0]["innvilget_nok"] == 245300.49
    assert datetime.datetime.fromisoformat(rows[0]["updated_at"]) > timezone.now() - datetime.timedelta(minutes=5)
    unchanged = client.get(reverse("api:prosjekt-detail", kwargs={"pk": prosjekter["eur"].pk})).json()
    assert datetime.datetime.fromisoformat(unchanged["updated_at"]) == long_ago


# --- Valutakurser ---------------------------------------------------------------------------------------------------


def test_valutakurser_list_and_filters(client, prosjekter):
    rows = results(client, "api:valutakurs-list")
    assert [(r["aar"], r["valuta"], r["kurs"], r["kilde"]) for r in rows] == [
        (2022, "EUR", 10.103, "Norges Bank, årsgjennomsnitt"),
        (2021, "EUR", 10.1633, "Norges Bank"),
    ]
    assert set(rows[0]) == {"aar", "valuta", "kurs", "kilde", "updated_at", "demo"}
    assert rows[0]["demo"] is False
    assert [r["aar"] for r in results(client, "api:valutakurs-list", aar=2021)] == [2021]
    assert results(client, "api:valutakurs-list", valuta="SEK") == []
    assert len(results(client, "api:valutakurs-list", valuta="EUR")) == 2


# --- Shared behaviour -----------------------------------------------------------------------------------------------


def test_root_lists_the_results_resources(client, programme):
    links = " ".join(client.get(reverse("api:root")).json().values())
    for name in ("api:indikator-list", "api:prosjekt-list", "api:valutakurs-list"):
        assert reverse(name) in links


@pytest.mark.parametrize(
    ("name", "params", "parameter"),
    [
        ("api:indikator-list", {"handlingsprogram": "finnes-ikke"}, "handlingsprogram"),
        ("api:indikator-list", {"omraade": "to"}, "omraade"),
        ("api:indikator-list", {"tiltak": "2-3-3"}, "tiltak"),
        ("api:indikator-list", {"updated_since": "i går"}, "updated_since"),
        ("api:prosjekt-list", {"finansieringsprogram": "finnes-ikke"}, "finansieringsprogram"),
        ("api:prosjekt-list", {"status": "kanskje"}, "status"),
        ("api:prosjekt-list", {"aar": "2022.5"}, "aar"),
        ("api:prosjekt-list", {"tiltak": "2.3"}, "tiltak"),
        ("api:prosjekt-list", {"handlingsprogram": "finnes-ikke"}, "handlingsprogram"),
        ("api:prosjekt-list", {"updated_since": "0001-01-01T00:00:00+23:00"}, "updated_since"),
        ("api:valutakurs-list", {"aar": "tjue"}, "aar"),
        ("api:valutakurs-list", {"valuta": "BTC"}, "valuta"),
    ],
)
def test_bad_filter_values_give_400_naming_the_parameter(client, programme, name, params, parameter):
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    data = response.json()
    assert list(data) == [parameter]
    assert data[parameter] and all(isinstance(message, str) for message in data[parameter])


def test_unknown_objects_give_404(client, programme):
    for path in ("/api/v1/indikatorer/abc/", "/api/v1/indikatorer/999999/", "/api/v1/prosjekter/1x/",
                 "/api/v1/prosjekter/999999/"):  # fmt: skip
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_write_methods_answer_405(client, prosjekter, method):
    for path in (reverse("api:prosjekt-list"), reverse("api:prosjekt-detail", kwargs={"pk": prosjekter["eur"].pk})):
        assert getattr(client, method)(path).status_code == 405
    assert Prosjekt.objects.count() == 3


def add_rows(programme, recorder):
    """Many more indikatorer with values, projects with actors and measures, and rates."""
    aktoerer = list(Aktoer.objects.all()[:3])
    measures = list(Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)[:3])
    for number in range(10):
        indikator = Indikator.objects.create(
            tiltak=measures[number % 3], navn=f"Ny indikator {number}", maaleenhet="antall", basis_verdi=number,
            basis_aar=2019, basis_kilde="Test", maal_verdi=100 if number % 2 else None,
            maal_aar=2023 if number % 2 else None,
        )  # fmt: skip
        for aar in (2020, 2021, 2022):
            Indikatorverdi.objects.create(indikator=indikator, aar=aar, verdi=aar, kilde="Test", created_by=recorder)
        added = prosjekt(f"NY-{number}", fp="nordsjoprogrammet", start=datetime.date(2015 + number, 5, 1))
        added.aktoerer.set(aktoerer)
        added.tiltak.set(measures)
        Valutakurs.objects.create(aar=2010 + number, valuta="SEK", kurs=Decimal("1.01"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # count, page, values, sources
        ("api:indikator-list", 4),
        # count, page (rate and its change time as subqueries), actors, measures
        ("api:prosjekt-list", 4),
        ("api:valutakurs-list", 2),
    ],
)
def test_list_query_counts_do_not_grow_with_rows(
    client, programme, erasmus_indikator, prosjekter, recorder, django_assert_num_queries, name, expected
):
    url = reverse(name)
    params = {"page_size": 500}
    assert len(client.get(url, params).json()["results"]) >= 2  # warm-up, and there are rows to show
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == 200
    add_rows(programme, recorder)
    cache.clear()
    with django_assert_num_queries(expected):
        response = client.get(url, params)
    assert response.status_code == 200 and response.json()["count"] >= 12


@pytest.mark.parametrize(("name", "expected"), [("api:indikator-detail", 3), ("api:prosjekt-detail", 3)])
def test_detail_query_counts(
    client, programme, erasmus_indikator, prosjekter, django_assert_num_queries, name, expected
):
    pk = erasmus_indikator.pk if name == "api:indikator-detail" else prosjekter["eur"].pk
    url = reverse(name, kwargs={"pk": pk})
    client.get(url)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
