"""The partner API: what it shows and hides, its filters and errors, paging, CSV, conditional GET, tokens,
rate limits, CORS, and query counts that do not grow with the number of rows."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.settings import api_settings

from handlingsprogram.models import Aktoer, ApiToken, Baerekraftsmaal
from handlingsprogram.services import api_token_create
from nettverk.models import Nettverk
from tiltak.models import Ansvar, Statusmelding, Tiltak

PROGRAM = "internasjonalt-handlingsprogram-2020-2023"
SECRET = "HEMMELIG-INTERN-MERKNAD"


def get(client, path, **params):
    response = client.get(path, params)
    return response, (response.json() if response["Content-Type"].startswith("application/json") else None)


def tiltak_url(kode):
    return reverse("api:tiltak-detail", kwargs={"program": PROGRAM, "kode": kode})


LIST_NAMES = [
    "api:handlingsprogram-list",
    "api:omraade-list",
    "api:innsatsomraade-list",
    "api:tiltak-list",
    "api:statusmelding-list",
    "api:aktoer-list",
    "api:baerekraftsmaal-list",
    "api:styringsdokument-list",
    "api:finansieringsprogram-list",
    "api:nettverk-list",
]


def test_root_lists_every_resource(client, programme):
    response, data = get(client, reverse("api:root"))
    assert response.status_code == 200
    for name in LIST_NAMES:
        assert reverse(name) in " ".join(data.values())


@pytest.mark.parametrize("name", LIST_NAMES)
def test_every_list_answers_with_pages_and_absolute_urls(client, programme, statusmelding, name):
    response, data = get(client, reverse(name))
    assert response.status_code == 200
    keyset_paged = name in ("api:tiltak-list", "api:statusmelding-list")  # also page by cursor (issue 19)
    assert set(data) == {"count", "next", "previous", "results"} | ({"next_cursor"} if keyset_paged else set())
    assert data["count"] >= 1
    first = data["results"][0]
    if "url" in first:
        assert first["url"].startswith("http://testserver/api/v1/")
        assert client.get(first["url"]).status_code == 200  # the stable identifier resolves
    assert "updated_at" in first


def test_tiltak_carries_status_actors_sdgs_goals_networks_and_links(client, programme, tiltak_212, statusmelding):
    response, data = get(client, tiltak_url("2.1.2"))
    assert response.status_code == 200
    assert data["kode"] == "2.1.2" and data["handlingsprogram"] == PROGRAM
    assert data["omraade"] == {"nummer": 2, "slug": "utdanning-og-kompetanse", "navn": "Utdanning og kompetanse"}
    assert data["innsatsomraade"]["kode"] == "2.1"
    assert (data["status"], data["vurdering"], data["siste_statusmelding"]) == ("paagaar", "i_rute", "2021-03-01")
    roles = {(a["aktoer"], a["enhet"], a["rolle"]) for a in data["ansvar"]}
    assert ("trondelag-fylkeskommune", "avdeling-for-utdanning", "ansvarlig") in roles
    assert ("ks", None, "bidragsyter") in roles
    assert data["portal_url"] == "http://testserver" + tiltak_212.get_absolute_url()
    assert data["url"] == "http://testserver" + tiltak_url("2.1.2")
    listed, _ = get(client, data["statusmeldinger_url"])
    assert listed.json()["count"] == 1

    network_tiltak, _ = get(client, tiltak_url("4.3.1"))
    assert "cpmr" in network_tiltak.json()["nettverk"] or network_tiltak.json()["nettverk"]
    goals, _ = get(client, tiltak_url("1.1.1"))
    assert all("#" in ref for ref in goals.json()["maal"]) and goals.json()["maal"]


def test_internal_remark_is_never_shown_to_anonymous_or_partner_clients(client, programme, statusmelding, koordinator):
    _, key = api_token_create(user=koordinator, navn="Europakontoret", aktoer=None)
    for headers in ({}, {"HTTP_AUTHORIZATION": f"Token {key}"}):
        for path in (reverse("api:statusmelding-list"), reverse("api:statusmelding-detail", args=[statusmelding.pk])):
            for fmt in ("json", "csv"):
                response = client.get(path, {"format": fmt}, **headers)
                assert response.status_code == 200
                body = response.content.decode()
                assert SECRET not in body and "intern_merknad" not in body

    # Staff logged in to the portal do see it.
    client.force_login(koordinator)
    response = client.get(reverse("api:statusmelding-detail", args=[statusmelding.pk]))
    assert response.json()["intern_merknad"] == SECRET


def test_withdrawn_statusmelding_is_listed_as_withdrawn_without_its_reason(
    client, programme, statusmelding, koordinator
):
    from tiltak.services import statusmelding_withdraw

    statusmelding_withdraw(statusmelding=statusmelding, user=koordinator, begrunnelse="Feil tiltak valgt.")
    data = client.get(reverse("api:statusmelding-detail", args=[statusmelding.pk])).json()
    assert data["trukket_tilbake"] is not None
    assert "Feil tiltak valgt." not in str(data)
    # A withdrawn report does not give the tiltak its status.
    assert client.get(tiltak_url("2.1.2")).json()["status"] is None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", [reverse("api:tiltak-list"), reverse("api:root"), "/api/v1/tiltak/x/2.1.2/"])
def test_write_methods_answer_405(client, programme, koordinator, method, path):
    for user in (None, koordinator):
        if user:
            client.force_login(user)
        assert getattr(client, method)(path).status_code == 405
    assert Tiltak.objects.count() == 45


@pytest.mark.parametrize(
    ("name", "params", "parameter"),
    [
        ("api:tiltak-list", {"status": "ferdig"}, "status"),
        ("api:tiltak-list", {"vurdering": "kanskje"}, "vurdering"),
        ("api:tiltak-list", {"handlingsprogram": "finnes-ikke"}, "handlingsprogram"),
        ("api:tiltak-list", {"omraade": "finnes-ikke"}, "omraade"),
        ("api:tiltak-list", {"innsatsomraade": "to.en"}, "innsatsomraade"),
        ("api:tiltak-list", {"aktoer": "finnes-ikke"}, "aktoer"),
        ("api:tiltak-list", {"baerekraftsmaal": "99"}, "baerekraftsmaal"),
        ("api:tiltak-list", {"updated_since": "i går"}, "updated_since"),
        # Year 1 at +23:00 is in year 0 in UTC, which no calendar here has.
        ("api:tiltak-list", {"updated_since": "0001-01-01T00:00:00+23:00"}, "updated_since"),
        ("api:statusmelding-list", {"updated_since": "0001-01-01T10:00:00+23:59"}, "updated_since"),
        ("api:tiltak-list", {"ordering": "tekst"}, "ordering"),
        ("api:tiltak-list", {"page_size": "100000"}, "page_size"),
        ("api:tiltak-list", {"page_size": "-1"}, "page_size"),
        ("api:statusmelding-list", {"aar": "2021.5"}, "aar"),
        ("api:statusmelding-list", {"dato_fra": "31.02.2021"}, "dato_fra"),
        ("api:statusmelding-list", {"tiltak": "2-1-2"}, "tiltak"),
        ("api:statusmelding-list", {"trukket_tilbake": "kanskje"}, "trukket_tilbake"),
        ("api:nettverk-list", {"type": "klubb"}, "type"),
        ("api:nettverk-list", {"forelder": "finnes-ikke"}, "forelder"),
    ],
)
def test_bad_filter_values_give_400_naming_the_parameter(client, programme, name, params, parameter):
    response, data = get(client, reverse(name), **params)
    assert response.status_code == 400
    assert list(data) == [parameter]
    assert data[parameter] and all(isinstance(message, str) for message in data[parameter])


def test_any_utc_offset_python_accepts_works_on_every_database(client, programme):
    # PostgreSQL refuses offsets beyond ±15:59 ("time zone displacement out of range"); found by schemathesis.
    for value in ["0808-10-10T06:02:27-16:43", "2020-01-01T00:00:00+23:59", "2020-01-01T00:00:00"]:
        for name in ["api:tiltak-list", "api:statusmelding-list"]:
            response = client.get(reverse(name), {"updated_since": value})
            assert response.status_code == 200, (name, value, response.content[:200])


def test_bad_filter_messages_are_norwegian(client, programme):
    data = client.get(reverse("api:tiltak-list"), {"status": "ferdig"}).json()
    assert "gyldig" in data["status"][0]
    data = client.get(reverse("api:tiltak-list"), {"page_size": "0"}).json()
    assert data["page_size"] == ["Oppgi et heltall fra 1 til 500."]


def test_unknown_page_and_unknown_object_give_404(client, programme):
    assert client.get(reverse("api:tiltak-list"), {"page": "999"}).status_code == 404
    assert client.get(tiltak_url("9.9.9")).status_code == 404
    assert client.get("/api/v1/tiltak/finnes-ikke/2.1.2/").status_code == 404
    assert client.get("/api/v1/tiltak/" + PROGRAM + "/ikke-en-kode/").status_code == 404
    assert client.get("/api/v1/innsatsomraader/" + PROGRAM + "/2/").status_code == 404


def codes(client, **params):
    params.setdefault("page_size", 500)
    response = client.get(reverse("api:tiltak-list"), params)
    assert response.status_code == 200, response.content
    return [row["kode"] for row in response.json()["results"]]


def test_tiltak_filters(client, programme, tiltak_212, statusmelding, saksbehandler):
    assert len(codes(client, handlingsprogram=PROGRAM)) == 45
    assert set(codes(client, omraade="utdanning-og-kompetanse")) == {
        t.kode for t in Tiltak.objects.filter(innsatsomraade__omraade__nummer=2)
    }
    assert codes(client, innsatsomraade="2.1") == ["2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.6"]
    assert codes(client, status="paagaar") == ["2.1.2"]
    assert codes(client, vurdering="i_rute") == ["2.1.2"]
    assert codes(client, status="fullfoert") == []
    assert "2.1.2" in codes(client, aktoer="ks")
    assert set(codes(client, aktoer="ks")) == {
        t.kode for t in Tiltak.objects.filter(ansvar__aktoer__slug="ks").distinct()
    }
    # SDG 4 marks priority area 2, so every measure in it counts.
    assert set(codes(client, baerekraftsmaal=4)) >= {
        t.kode for t in Tiltak.objects.filter(innsatsomraade__omraade__nummer=2)
    }
    assert codes(client, q="Erasmus") == ["2.3.5"]
    assert codes(client, ordering="-kode")[0] == "4.5.1"

    # Just after the latest change so far (the statusmelding fixture touched 2.1.2).
    since = Tiltak.objects.latest("updated_at").updated_at + datetime.timedelta(microseconds=1)
    assert codes(client, updated_since=since.isoformat()) == []
    Statusmelding.objects.create(
        tiltak=Tiltak.objects.get(innsatsomraade__omraade__nummer=3, innsatsomraade__nummer=1, nummer=1),
        author=saksbehandler,
        date=datetime.date(2022, 5, 1),
        status="fullfoert",
        vurdering="i_rute",
        gjennomfoert="Ferdig.",
    )
    # A new statusmelding is a change to its tiltak: pollers with updated_since see it.
    assert codes(client, updated_since=since.isoformat()) == ["3.1.1"]


def test_statusmelding_and_nettverk_filters(client, programme, tiltak_212, statusmelding, saksbehandler):
    url = reverse("api:statusmelding-list")
    assert client.get(url, {"tiltak": "2.1.2", "handlingsprogram": PROGRAM}).json()["count"] == 1
    assert client.get(url, {"aar": 2021}).json()["count"] == 1
    assert client.get(url, {"aar": 2022}).json()["count"] == 0
    assert client.get(url, {"dato_fra": "2021-03-01", "dato_til": "2021-03-01"}).json()["count"] == 1
    assert client.get(url, {"dato_fra": "2021-03-02"}).json()["count"] == 0
    assert client.get(url, {"trukket_tilbake": "true"}).json()["count"] == 0

    nettverk = reverse("api:nettverk-list")
    working_groups = client.get(nettverk, {"forelder": "nordsjokommisjonen", "page_size": 100}).json()
    assert working_groups["count"] == Nettverk.objects.filter(forelder__slug="nordsjokommisjonen").count() > 0
    assert all(row["forelder"] == "nordsjokommisjonen" for row in working_groups["results"])
    clusters = client.get(nettverk, {"type": "klynge", "page_size": 100}).json()
    assert clusters["count"] == 6


def test_paging_with_a_maximum(client, programme):
    data = client.get(reverse("api:tiltak-list"), {"page_size": 10, "page": 2}).json()
    assert data["count"] == 45 and len(data["results"]) == 10
    assert data["results"][0]["kode"] == codes(client)[10]
    assert "page=3" in data["next"] and "page_size=10" in data["next"]
    assert client.get(reverse("api:tiltak-list"), {"page_size": 501}).status_code == 400


def test_csv_is_the_same_rows_with_formula_cells_neutralised(client, programme, tiltak_212, saksbehandler):
    Statusmelding.objects.create(
        tiltak=tiltak_212,
        author=saksbehandler,
        date=datetime.date(2022, 1, 1),
        status="paagaar",
        vurdering="risiko",
        gjennomfoert='=HYPERLINK("http://evil.example","klikk")',
        resultater="@SUM(A1)",
    )
    response = client.get(reverse("api:statusmelding-list"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["gjennomfoert"] == '\'=HYPERLINK("http://evil.example","klikk")'
    assert rows[0]["resultater"] == "'@SUM(A1)"

    tiltak = list(
        csv.DictReader(io.StringIO(client.get(reverse("api:tiltak-list"), {"format": "csv"}).content.decode()))
    )
    assert len(tiltak) == 45 and tiltak[0]["kode"] == "1.1.1"
    assert "Trøndelag fylkeskommune" in next(row for row in tiltak if row["kode"] == "2.1.2")["ansvar"]


def test_conditional_get_answers_304_until_something_changes(client, programme, tiltak_212, saksbehandler):
    for path in (reverse("api:tiltak-list"), tiltak_url("2.1.2")):
        first = client.get(path)
        assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    etag = client.get(tiltak_url("2.1.2"))["ETag"]
    Statusmelding.objects.create(
        tiltak=tiltak_212,
        author=saksbehandler,
        date=datetime.date(2023, 2, 1),
        status="fullfoert",
        vurdering="i_rute",
        gjennomfoert="Avsluttet.",
    )
    changed = client.get(tiltak_url("2.1.2"), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["status"] == "fullfoert"


@pytest.mark.parametrize("role", ["leser", "saksbehandler"])
def test_only_coordinators_make_partner_tokens(request, programme, role):
    with pytest.raises(PermissionDenied):
        api_token_create(user=request.getfixturevalue(role), navn="KS", aktoer=None)
    assert not ApiToken.objects.exists()


def test_partner_tokens_are_stored_hashed_record_use_and_can_be_revoked(client, programme, koordinator):
    aktoer = Aktoer.objects.get(slug="trondelags-europakontor")
    token, key = api_token_create(user=koordinator, navn="Europakontorets nettside", aktoer=aktoer)
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.last_used_at is None

    response = client.get(reverse("api:tiltak-list"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    token.revoke()
    refused = client.get(reverse("api:tiltak-list"), HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == 401
    assert client.get(reverse("api:tiltak-list"), HTTP_AUTHORIZATION="Token feil-nokkel").status_code == 401
    # Without a key the public data stays open.
    assert client.get(reverse("api:tiltak-list")).status_code == 200


def test_anonymous_clients_are_rate_limited_and_partners_get_more(client, programme, koordinator, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "anon", "3/minute")
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "partner", "6/minute")
    from handlingsprogram.api.authentication import AnonymousClientThrottle, PartnerThrottle

    monkeypatch.setattr(AnonymousClientThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)
    monkeypatch.setattr(PartnerThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)
    url = reverse("api:baerekraftsmaal-list")
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = client.get(url)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0

    _, key = api_token_create(user=koordinator, navn="KS", aktoer=None)
    statuses = [client.get(url, HTTP_AUTHORIZATION=f"Token {key}").status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]


def test_other_origins_may_get_public_endpoints(client, programme):
    response = client.get(reverse("api:tiltak-list"), HTTP_ORIGIN="https://www.trondelagfylke.no")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        reverse("api:tiltak-list"),
        HTTP_ORIGIN="https://ks.no",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # The portal's own pages are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://ks.no")


def test_docs_and_schema_are_served_from_our_own_files_under_the_csp(client, programme):
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/tiltak/" in schema.json()["paths"]
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<style>" not in html and "<script>" not in html  # nothing inline for the CSP to block
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def add_rows(programme, author):
    """Three more of everything a list shows, so a per-row query would show up as more queries."""
    omraade = programme.omraader.get(nummer=1)
    innsats = omraade.innsatsomraader.create(nummer=9, navn="Testområde")
    aktoer = Aktoer.objects.create(navn="Testaktør", slug="testaktor")
    enhet = aktoer.enheter.create(navn="Testenhet", slug="testenhet")
    for number in range(1, 4):
        tiltak = Tiltak.objects.create(innsatsomraade=innsats, nummer=number, tekst=f"Nytt tiltak {number}")
        Ansvar.objects.create(tiltak=tiltak, aktoer=aktoer, enhet=enhet)
        tiltak.baerekraftsmaal.add(Baerekraftsmaal.objects.get(nummer=4))
        Statusmelding.objects.create(
            tiltak=tiltak, author=author, date=datetime.date(2022, 1, 1), status="paagaar", vurdering="i_rute",
            gjennomfoert="x",
        )  # fmt: skip
        network = Nettverk.objects.create(navn=f"Testnettverk {number}", slug=f"testnettverk-{number}", type="forum",
                                          geografi="regional")  # fmt: skip
        network.tiltak.add(tiltak)
        network.medlemskap.create(aktoer=aktoer, rolle="medlem", nivaa="administrativ")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("api:handlingsprogram-list", 4),
        ("api:omraade-list", 6),
        ("api:innsatsomraade-list", 3),  # + the sources (1)
        ("api:tiltak-list", 9),  # + the sources (1) and the lineage: predecessors and successors (2)
        ("api:statusmelding-list", 2),
        ("api:aktoer-list", 5),  # + the sources of actors and of units (2)
        ("api:baerekraftsmaal-list", 2),
        ("api:styringsdokument-list", 5),  # + the sources of documents and of goals (2)
        ("api:finansieringsprogram-list", 3),  # + the sources (1)
        ("api:nettverk-list", 8),
    ],
)
def test_list_query_counts_do_not_grow_with_rows(
    client, programme, saksbehandler, statusmelding, django_assert_num_queries, name, expected
):
    url = reverse(name)
    params = {"page_size": 500}
    client.get(url, params)  # warm-up: content types and the like are cached per process
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == 200
    add_rows(programme, saksbehandler)
    cache.clear()
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == 200
