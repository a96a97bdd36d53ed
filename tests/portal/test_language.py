"""English beside bokmål: the language switch, what it changes and what it leaves in bokmål (portal/language.py)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SWITCH = reverse("portal:set_language")


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


def switch_to(client, language: str, next_url: str = "/"):
    return client.post(SWITCH, {"language": language, "next": next_url})


def test_bokmaal_without_a_choice_whatever_the_browser_asks(client, programme):
    for header in ({}, {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, {"HTTP_ACCEPT_LANGUAGE": "nb-NO"}):
        response = client.get(reverse("tiltak:overview"), **header)
        assert html_lang(response) == "nb", header
        assert response["Content-Language"] == "nb"
        assert "Programmets egne tekster" not in response.content.decode()


def test_every_page_has_the_switch_as_a_labelled_form(client, programme):
    html = client.get(reverse("tiltak:overview")).content.decode()
    form = re.search(
        r'<form method="post" action="/spraak/" class="portal-language" aria-label="Språk">(.*?)</form>', html, re.S
    )
    assert form, "the switch is in the header"
    assert 'name="language" value="en"' in form[1]
    assert '<button type="submit"' in form[1] and 'lang="en">English</button>' in form[1]
    assert 'name="next" value="/"' in form[1]


def test_switching_to_english_and_back(client, programme, tiltak_212, statusmelding):
    tiltak_url = tiltak_212.get_absolute_url()
    response = switch_to(client, "en", tiltak_url)
    assert response.status_code == 302 and response["Location"] == tiltak_url
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"]

    response = client.get(tiltak_url)
    html = response.content.decode()
    assert html_lang(response) == "en" and response["Content-Language"] == "en"
    assert ">Networks</a>" in html and ">Nettverk</a>" not in html  # the chrome is English
    assert "Current status" in html
    # The programme's own texts stay Norwegian and say so.
    assert f'<p class="ds-paragraph" data-variant="long" lang="nb">{tiltak_212.tekst}</p>' in html
    assert f'<dd lang="nb">{statusmelding.gjennomfoert}</dd>' in html
    assert (
        "The programme’s own texts – its measures, areas, status reports and the programme document – are in Norwegian."
        in html
    )
    assert 'lang="nb">Norsk (bokmål)</button>' in html and 'name="language" value="nb"' in html

    overview = client.get(reverse("tiltak:overview")).content.decode()
    omraade = tiltak_212.innsatsomraade.omraade
    assert f'id="omraade-{omraade.nummer}-heading" lang="nb">{omraade.nummer}. {omraade.navn}</h2>' in overview
    assert "Priority areas" in overview

    switch_to(client, "nb", tiltak_url)
    response = client.get(tiltak_url)
    assert html_lang(response) == "nb"
    assert "Nåværende status" in response.content.decode() or "Current status" not in response.content.decode()


def test_the_choice_outlives_the_session(client, programme, saksbehandler):
    switch_to(client, "en")
    client.force_login(saksbehandler)
    client.post(reverse("konto:logout"))  # the session ends: the choice is in its own cookie, not the session
    assert html_lang(client.get(reverse("tiltak:overview"))) == "en"


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({"language": "de", "next": "/tiltak/"}, "/tiltak/"),  # not offered: nothing changes
        ({"language": "en", "next": "https://evil.example/"}, "/"),  # not followed off the site
        ({}, "/"),
    ],
)
def test_bad_input_changes_nothing_and_never_fails(client, programme, data, location):
    response = client.post(SWITCH, data)
    assert response.status_code == 302
    assert response["Location"] == location
    if data.get("language") != "en":
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert html_lang(client.get(reverse("tiltak:overview"))) == ("en" if data.get("language") == "en" else "nb")


def test_the_switch_takes_only_post(client, programme):
    assert client.get(SWITCH, {"language": "en"}).status_code == 405
    assert html_lang(client.get(reverse("tiltak:overview"))) == "nb"


def test_the_switch_needs_the_csrf_token(programme):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post(SWITCH, {"language": "en"}).status_code == 403


def test_a_page_varies_by_cookie_the_api_by_accept_language(client, programme):
    assert "Cookie" in client.get(reverse("tiltak:overview"))["Vary"]
    assert "Accept-Language" in client.get("/api/v1/tiltak/")["Vary"]


# The API answers in the language of the request's Accept-Language, bokmål without one.
@pytest.mark.parametrize(
    ("header", "expected", "unexpected"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "Unknown parameter.", "Ukjent parameter."),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9,nb;q=0.8"}, "Unknown parameter.", "Ukjent parameter."),
        ({"HTTP_ACCEPT_LANGUAGE": "nb"}, "Ukjent parameter.", "Unknown parameter."),
        ({"HTTP_ACCEPT_LANGUAGE": "no"}, "Ukjent parameter.", "Unknown parameter."),
        ({"HTTP_ACCEPT_LANGUAGE": "nn-NO,en;q=0.5"}, "Ukjent parameter.", "Unknown parameter."),
        ({"HTTP_ACCEPT_LANGUAGE": "de"}, "Ukjent parameter.", "Unknown parameter."),
        ({}, "Ukjent parameter.", "Unknown parameter."),
    ],
)
def test_api_errors_follow_accept_language(client, programme, header, expected, unexpected):
    response = client.get("/api/v1/tiltak/", {"ukjent": "1"}, **header)
    assert response.status_code == 400
    body = response.content.decode()
    assert expected in body and unexpected not in body


def test_api_ignores_the_pages_cookie(client, programme):
    switch_to(client, "en")
    assert "Ukjent parameter." in client.get("/api/v1/tiltak/", {"ukjent": "1"}).content.decode()


def test_api_description_follows_accept_language(client, programme):
    schema_url = reverse("api:schema")
    english = client.get(schema_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    bokmaal = client.get(schema_url).content.decode()
    assert "The API key is not valid, or it has been revoked." in english
    assert "API-nøkkelen er ikke gyldig, eller den er trukket tilbake." in bokmaal
    assert "The API key is not valid" not in bokmaal
    assert client.get(reverse("api:docs"), HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_english_reads_from_the_msgids():
    """The msgids are English, so English needs almost no catalogue (locale/en holds the one exception below);
    plural forms and contexts read from the msgids themselves."""
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Programme") == "Programme"  # "Handlingsprogram" in bokmål
        assert translation.pgettext("PDF generation", "Done") == "Done"


def test_a_msgid_written_the_norwegian_way_reads_english_in_english():
    from django.utils import translation

    msgid = "«%(value)s» is not a date (write dd.mm.åååå)."
    with translation.override("en"):
        assert translation.gettext(msgid) == "«%(value)s» is not a date (write dd.mm.yyyy)."
    with translation.override("nb"):
        assert "dd.mm.åååå" in translation.gettext(msgid)
