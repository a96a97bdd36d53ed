"""The public programme overview, area and (for anonymous visitors) tiltak pages keep their heavy part per data
version (felles/fragment_cache.py): a repeated request renders it from memory with a few queries; a change to the
data shows at once to logged-in users, and to anonymous visitors once FRAGMENT_STALE_SECONDS have passed; another
language is another part. These commit for real (the data version is only trusted outside a transaction)."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiltak.models import Statusmelding, Tiltak

pytestmark = pytest.mark.django_db(transaction=True)


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _first_tiltak(programme):
    return (
        Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)
        .select_related("innsatsomraade__omraade__handlingsprogram")
        .order_by("innsatsomraade__omraade__nummer", "innsatsomraade__nummer", "nummer")
        .first()
    )


ENGLISH = {"front page": "Progress", "programme": "Progress", "area": "Progress", "tiltak": "Status reports"}


@pytest.mark.parametrize("page", ["front page", "programme", "area", "tiltak"])
def test_a_repeated_page_is_served_from_the_kept_part_and_a_change_shows_at_once(
    client, programme_loaded_transactional, make_user, page
):
    # (tests/conftest.py empties the kept parts and sets FRAGMENT_STALE_SECONDS to 0 for every test)
    programme = programme_loaded_transactional
    tiltak = _first_tiltak(programme)
    url = {
        "front page": "/",
        "programme": programme.get_absolute_url(),
        "area": tiltak.innsatsomraade.omraade.get_absolute_url(),
        "tiltak": tiltak.get_absolute_url(),
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
    assert ENGLISH[page] in english and ENGLISH[page] not in reported


@pytest.mark.parametrize("page", ["programme", "tiltak"])
def test_anonymous_visitors_may_see_an_older_part_for_a_few_seconds_staff_never(
    client, programme_loaded_transactional, make_user, settings, page
):
    settings.FRAGMENT_STALE_SECONDS = 3600
    programme = programme_loaded_transactional
    tiltak = _first_tiltak(programme)
    url = programme.get_absolute_url() if page == "programme" else tiltak.get_absolute_url()
    staff = make_user("saksbehandler-fragment", "saksbehandler")
    _get(client, url)
    Tiltak.objects.filter(pk=tiltak.pk).update(tekst="Et helt nytt tiltak om fjernundervisning.")

    kept, kept_queries = _get(client, url)
    body = kept.split("<main", 1)[1]
    assert tiltak.tekst[:40] in body and kept_queries <= 5  # within the window: the part as it was
    assert "Et helt nytt tiltak om fjernundervisning." not in body.split("</h1>", 1)[1]

    client.force_login(staff)
    current, _queries = _get(client, url)
    assert "Et helt nytt tiltak om fjernundervisning." in current  # what staff see is never old
    client.logout()
    anonymous, anonymous_queries = _get(client, url)
    if page == "programme":  # the same for every user: staff's rendering is kept for the anonymous too
        assert "Et helt nytt tiltak om fjernundervisning." in anonymous and anonymous_queries <= 5
    else:  # a tiltak's page shows staff more (internal remarks, their buttons): theirs is never kept
        assert "Et helt nytt tiltak om fjernundervisning." not in anonymous.split("<main", 1)[1].split("</h1>", 1)[1]

    settings.FRAGMENT_STALE_SECONDS = 0  # past the window: rendered again at the next version
    Tiltak.objects.filter(pk=tiltak.pk).update(tekst="Enda et nytt tiltak.")
    assert "Enda et nytt tiltak." in _get(client, url)[0]


def _file_fragments(directory) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(directory),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }


def test_the_workers_of_a_server_share_kept_parts_in_a_directory(
    client, programme_loaded_transactional, settings, tmp_path
):
    """DJANGO_FRAGMENT_CACHE_DIR (deploy/serve.sh sets one): a part one worker rendered serves the others."""
    programme = programme_loaded_transactional
    url = programme.get_absolute_url()
    settings.CACHES = {**settings.CACHES, "fragments": _file_fragments(tmp_path)}
    first, first_queries = _get(client, url)
    assert list(tmp_path.glob("*.djcache")), "the part is kept as a file"

    # Another worker: its own cache handler (a setting change makes Django open new ones), the same directory.
    settings.CACHES = {**settings.CACHES, "fragments": _file_fragments(tmp_path)}
    again, again_queries = _get(client, url)
    assert again.split("<main", 1)[1] == first.split("<main", 1)[1]
    assert again_queries <= 5 < first_queries, (first_queries, again_queries)

    # A worker that read an older version than one another kept (it started its request earlier) renders its own
    # page and leaves the newer part in place.
    from django.core.cache import caches
    from django.utils import timezone

    key = f"programme-overview:{programme.pk}:nb:{timezone.localdate()}"
    version, _rendered_at, _html = caches["fragments"].get(key)
    caches["fragments"].set(key, (version + 5, 0.0, "<p>newer</p>"), 3600)
    rendered, rendered_queries = _get(client, url)
    assert "<p>newer</p>" not in rendered and rendered_queries == first_queries
    assert caches["fragments"].get(key)[2] == "<p>newer</p>"


def test_past_the_window_one_worker_renders_while_the_others_answer_with_the_older_part(
    client, programme_loaded_transactional, make_user, settings
):
    """Not every worker rendering the same part at once when it has aged out: while one renders (its mark in the
    store), the others give anonymous visitors the older part a little longer; staff always get the current."""
    from django.core.cache import caches
    from django.utils import timezone

    settings.FRAGMENT_STALE_SECONDS = 60
    programme = programme_loaded_transactional
    tiltak = _first_tiltak(programme)
    url = programme.get_absolute_url()
    _get(client, url)
    key = f"programme-overview:{programme.pk}:nb:{timezone.localdate()}"
    Tiltak.objects.filter(pk=tiltak.pk).update(tekst="Et helt nytt tiltak om fjernundervisning.")
    version, _rendered_at, html = caches["fragments"].get(key)
    aged_out = (version, time.time() - 70, html)  # just past the window, within the grace
    caches["fragments"].set(key, aged_out, 3600)

    caches["fragments"].add(f"{key}:rendering", True, 30)  # another worker is rendering it
    kept, kept_queries = _get(client, url)
    assert "Et helt nytt tiltak om fjernundervisning." not in kept and kept_queries <= 5
    staff = make_user("saksbehandler-grace", "saksbehandler")
    client.force_login(staff)
    assert "Et helt nytt tiltak om fjernundervisning." in _get(client, url)[0]
    client.logout()

    caches["fragments"].set(key, aged_out, 3600)
    caches["fragments"].delete(f"{key}:rendering")  # nobody is: this visitor's request renders it
    rendered, rendered_queries = _get(client, url)
    assert "Et helt nytt tiltak om fjernundervisning." in rendered and rendered_queries > 5
    assert caches["fragments"].get(f"{key}:rendering") is None  # and its mark is gone
