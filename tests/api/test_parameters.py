"""The partner API's methods and query parameters do what its OpenAPI description says: a write method gets 405
whatever its body, and a parameter that is unknown, empty or outside what the description allows gets 400
naming it, while a value the description allows is taken."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.api.openapi import openapi_document
from tests.test_url_access import walk
from tiltak.models import Tiltak

# Every list the API's URLconf has (test_schema_conformance.py checks that the schema documents each one); taken
# from the URLs rather than the schema, so that collecting these tests does not build the schema.
LIST_PATHS = sorted(
    reverse(f"api:{pattern.name}")
    for namespace, pattern in walk(get_resolver().url_patterns)
    if namespace == "api" and str(pattern.name).endswith("-list")
)


def refused(response, parameter: str) -> bool:
    return response.status_code == 400 and list(response.json()) == [parameter]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"tekst": "x"}', "application/json"),
        ("tekst=x", "application/x-www-form-urlencoded"),
        ("x", "text/plain"),
        ("", "application/octet-stream"),
    ],
)
def test_write_methods_answer_405_whatever_the_body(programme, koordinator, method, body, content_type):
    """A logged-in POST with a body got 415 (DRF looked for a parser while checking CSRF, before the method),
    and one without a CSRF token 403; both are simply not allowed here."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(koordinator)
    browser.get(reverse("konto:login"))  # a CSRF cookie, as a browser that has been on the portal has
    assert "csrftoken" in browser.cookies
    for path in (reverse("api:tiltak-list"), reverse("api:root"), reverse("api:baerekraftsmaal-detail", args=[4])):
        for client in (browser, Client(enforce_csrf_checks=True)):
            response = getattr(client, method)(path, body, content_type=content_type)
            assert response.status_code == 405, (path, client is browser, response.content)
            assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert Tiltak.objects.count() == 45


def test_a_boolean_parameter_takes_only_true_or_false(client, programme):
    url = reverse("api:handlingsprogram-list")
    for value in ("kanskje", "1", "True", "yes"):
        response = client.get(url, {"is_closed": value})
        assert refused(response, "is_closed"), value
        assert response.json()["is_closed"] == ["Oppgi true eller false."]
    assert client.get(url, {"is_closed": "false"}).json()["count"] == 1
    assert client.get(url, {"is_closed": "true"}).json()["count"] == 0
    assert refused(client.get(reverse("api:statusmelding-list"), {"trukket_tilbake": "kanskje"}), "trukket_tilbake")


def test_format_is_json_or_csv_and_nothing_else(client, programme):
    for path in (reverse("api:root"), reverse("api:tiltak-list"), reverse("api:baerekraftsmaal-detail", args=[4])):
        for value in ("", "xml", "JSON"):
            response = client.get(path, {"format": value})
            assert refused(response, "format"), (path, value)
            assert response.json()["format"] == ["Oppgi en av: csv, json."]
        assert client.get(path, {"format": "json"})["Content-Type"] == "application/json"
        assert client.get(path, {"format": "csv"})["Content-Type"] == "text/csv; charset=utf-8"


def test_unknown_parameters_give_400_naming_them(client, programme):
    response = client.get(reverse("api:tiltak-list"), {"status": "paagaar", "statsu": "paagaar", "is_closed": "true"})
    assert response.status_code == 400
    assert set(response.json()) == {"statsu", "is_closed"}  # is_closed belongs to another resource
    assert response.json()["statsu"][0].startswith("Ukjent parameter. Denne ressursen tar: aktoer, baerekraftsmaal,")
    # One object, or the root, takes no filters and no paging.
    assert refused(client.get(reverse("api:baerekraftsmaal-detail", args=[4]), {"page_size": "10"}), "page_size")
    assert refused(client.get(reverse("api:root"), {"q": "x"}), "q")


def test_a_parameter_given_without_a_value_gives_400(client, programme):
    for parameter in ("status", "q", "omraade", "page", "page_size"):
        response = client.get(reverse("api:tiltak-list"), {parameter: ""})
        assert refused(response, parameter), parameter


def test_page_is_a_whole_number_from_1(client, programme):
    url = reverse("api:tiltak-list")
    for value in ("abc", "0", "-1", "last", "1.5", "\u00b2"):
        assert refused(client.get(url, {"page": value}), "page"), value
    assert client.get(url, {"page": "1"}).status_code == 200
    assert client.get(url, {"page": "999"}).status_code == 404  # a number, but no such page
    assert client.get(url, {"page": "99999999999999999999"}).status_code == 404


def query_parameters(path: str) -> dict[str, dict]:
    operation = openapi_document()["paths"][path]["get"]
    return {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_list_parameter_refuses_what_its_description_excludes_and_takes_what_it_allows(client, programme, path):
    """For every query parameter of every list: an integer just outside its minimum or maximum, a value outside
    its enum, an empty string, and text for a boolean or integer get 400 naming it; the bounds themselves and
    every enum value are taken. An integer parameter without bounds would fail here if the API refused any."""
    for name, schema in query_parameters(path).items():
        value_schema = schema.get("items", schema)
        kind = value_schema["type"]
        assert refused(client.get(path, {name: ""}), name), (path, name)
        if kind in ("integer", "boolean"):
            assert refused(client.get(path, {name: "abc"}), name), (path, name)
        for bound, step in (("minimum", -1), ("maximum", 1)):
            if bound in value_schema:
                assert refused(client.get(path, {name: value_schema[bound] + step}), name), (path, name, bound)
                assert client.get(path, {name: value_schema[bound]}).status_code == 200, (path, name, bound)
        if kind == "integer" and "minimum" not in value_schema:
            assert client.get(path, {name: 0}).status_code == 200, (path, name)
        for value in value_schema.get("enum", []):
            assert client.get(path, {name: value}).status_code == 200, (path, name, value)
        if "enum" in value_schema:
            assert refused(client.get(path, {name: "ikke-en-verdi"}), name), (path, name)
    assert refused(client.get(path, {"ukjent": "1"}), "ukjent")


def test_the_description_states_the_bounds(programme):
    """The values that were refused with nothing in the description saying so."""
    tiltak = query_parameters("/api/v1/tiltak/")
    assert tiltak["page"] == {"type": "integer", "minimum": 1}
    assert tiltak["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert tiltak["omraade"] == {"type": "array", "items": {"type": "string", "minLength": 1}}
    assert query_parameters("/api/v1/indikatorer/")["omraade"] == {"type": "integer", "minimum": 1, "maximum": 999}
    for path in ("/api/v1/statusmeldinger/", "/api/v1/prosjekter/", "/api/v1/deltagelser/", "/api/v1/medlemskap/"):
        assert query_parameters(path)["aar"] == {"type": "integer", "minimum": 1900, "maximum": 2999}, path
    for path in ("/api/v1/tiltak/", "/api/v1/prioriterte-omraader/"):
        assert query_parameters(path)["baerekraftsmaal"] == {"type": "integer", "minimum": 1, "maximum": 17}, path
    assert query_parameters("/api/v1/handlingsprogrammer/")["is_closed"] == {"type": "boolean"}
    assert query_parameters("/api/v1/statusmeldinger/")["trukket_tilbake"] == {"type": "boolean"}
