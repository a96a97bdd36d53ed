"""The public programme overview and area pages keep their heavy part per data version (felles/fragment_cache.py):
a repeated request renders it from memory with a few queries, and any change to the data, another language or
another day shows at once. These commit for real (the data version is only trusted outside a transaction)."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiltak.models import Statusmelding, Tiltak

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_fragments():
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _first_tiltak(programme):
    return (
        Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)
        .select_related("innsatsomraade__omraade")
        .order_by("innsatsomraade__omraade__nummer", "innsatsomraade__nummer", "nummer")
        .first()
    )


@pytest.mark.parametrize("page", ["front page", "programme", "area"])
def test_a_repeated_page_is_served_from_the_kept_part_and_a_change_shows_at_once(
    client, programme_loaded_transactional, make_user, page
):
    programme = programme_loaded_transactional
    tiltak = _first_tiltak(programme)
    url = {
        "front page": "/",
        "programme": programme.get_absolute_url(),
        "area": tiltak.innsatsomraade.omraade.get_absolute_url(),
    }[page]

    first, first_queries = _get(client, url)
    again, again_queries = _get(client, url)
    assert tiltak.tekst[:40] in first and tiltak.tekst[:40] in again
    assert again_queries <= 5 < first_queries, (first_queries, again_queries)

    # A change anywhere in what the part shows: the measure's text, and a new status report.
    Tiltak.objects.filter(pk=tiltak.pk).update(tekst="Et helt nytt tiltak om fjernundervisning.")
    changed, changed_queries = _get(client, url)
    assert "Et helt nytt tiltak om fjernundervisning." in changed and tiltak.tekst[:40] not in changed
    assert changed_queries == first_queries
    Statusmelding.objects.create(
        tiltak=tiltak,
        author=make_user("saksbehandler-fragment", "saksbehandler"),
        date=datetime.date(programme.end_year, 3, 1),
        status=Statusmelding.Status.UTSATT,
        vurdering=Statusmelding.Vurdering.RISIKO,
        gjennomfoert="Skolene venter på utstyr.",
    )
    reported, _queries = _get(client, url)
    assert "Skolene venter på utstyr." in reported and "Skolene venter på utstyr." not in changed

    # Another language is another part.
    english, _queries = _get(client, url, HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="django_language=en")
    assert "Progress" in english and "Progress" not in reported
