"""Error pages speak Norwegian, keep the portal's frame and never need the database to render a 500."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def test_404_is_norwegian_with_the_portal_frame(client, programme):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Fant ikke siden" in html and "Gå til programoversikten" in html
    assert 'class="ds-skip-link"' in html  # base.html: skip link, landmarks, menu


def test_403_explains_and_offers_a_way_on(client, saksbehandler_annen_enhet, tiltak_212):
    client.force_login(saksbehandler_annen_enhet)
    url = reverse(
        "tiltak:statusmelding_create",
        kwargs={"program": tiltak_212.innsatsomraade.omraade.handlingsprogram.slug, "kode": tiltak_212.kode},
    )
    response = client.get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Du har ikke tilgang til denne siden" in html and "Gå til Mine tiltak" in html


def test_500_renders_without_request_or_database(settings):
    # No db fixture: any query would raise "Database access not allowed".
    settings.LANGUAGE_CODE = "nb"
    with translation.override("nb"):
        html = render_to_string("500.html")
    assert "Noe gikk galt" in html and 'lang="nb"' in html
