"""The tiltak list's ETag known before any work (issue 19, API speed): the database's data version, bumped by
triggers on every programme table, plus the request. A validator that missed a change would serve stale data
for good, so these tests change what the list shows in the ways the portal and its admin do (a service's
save, ``QuerySet.update()``, a related row several joins away) and check that the ETag changes each time."""

import time

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.test import Client

from felles.api.common import VersionedListMixin, data_version
from handlingsprogram.models import Aktoer, Kilde
from portal import data_version as version_triggers
from tiltak.models import Ansvar, Statusmelding, Tiltak

LIST = "/api/v1/tiltak/?page_size=50"


def triggered_tables() -> set[str]:
    return version_triggers.triggered_tables(connection)


@pytest.mark.django_db
def test_every_programme_table_bumps_the_data_version():
    """Every table of these apps has its triggers, also those added after the data version's migration (comments,
    handlingsprogram 0009): ensure_triggers gives them theirs after each migrate."""
    expected = set(version_triggers.tables(apps))
    assert "tiltak_ansvar" in expected and "handlingsprogram_kilde" in expected
    assert "tiltak_tiltak_baerekraftsmaal" in expected, "many-to-many tables too"
    assert "handlingsprogram_kommentar" in expected, "a table added by a later migration"
    assert expected - triggered_tables() == set()


@pytest.mark.django_db
def test_a_table_without_its_triggers_gets_them_after_the_next_migrate():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute('DROP TRIGGER portal_dataversion ON "handlingsprogram_kommentar"')
        else:
            for operation in ("insert", "update", "delete"):
                cursor.execute(f'DROP TRIGGER "portal_dataversion_handlingsprogram_kommentar_{operation}"')
    assert "handlingsprogram_kommentar" not in triggered_tables()
    assert version_triggers.ensure_triggers(using="default") == ["handlingsprogram_kommentar"]
    assert "handlingsprogram_kommentar" in triggered_tables()
    assert version_triggers.ensure_triggers(using="default") == []  # nothing left to do


@pytest.fixture
def empty_response_cache():
    caches["api_responses"].clear()
    yield
    caches["api_responses"].clear()


@pytest.mark.django_db(transaction=True)  # PostgreSQL's trigger runs at commit: these commit for real
def test_the_tiltak_list_etag_changes_with_everything_the_list_shows(
    client, programme_loaded_transactional, make_user, empty_response_cache
):
    author = make_user("saksbehandler-dv", "saksbehandler")
    tiltak = Tiltak.objects.order_by("innsatsomraade__omraade__nummer", "innsatsomraade__nummer", "nummer").first()
    ansvar = Ansvar.objects.filter(tiltak=tiltak).select_related("aktoer").first()
    seen = []

    def etag_after(change, shows):
        before = client.get(LIST)
        assert before.status_code == 200
        change()
        after = client.get(LIST, HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200, "a conditional GET after a change gets the new list"
        assert after["ETag"] != before["ETag"]
        assert shows(after.json()["results"][0]), "the new body shows the change"
        seen.append(after["ETag"])

    # A statusmelding (another table) changes the current status.
    etag_after(
        lambda: Statusmelding.objects.create(
            tiltak=tiltak, author=author, date="2023-03-01", status="fullfoert", vurdering="i_rute", gjennomfoert="."
        ),
        lambda row: row["status"] == "fullfoert",
    )
    # An ansvar's role, changed with QuerySet.update() (no save(), no signals).
    rolle = "bidragsyter" if ansvar.rolle == "ansvarlig" else "ansvarlig"
    etag_after(
        lambda: Ansvar.objects.filter(pk=ansvar.pk).update(rolle=rolle),
        lambda row: rolle in [a["rolle"] for a in row["ansvar"]],
    )
    # The actor's name, two joins away.
    etag_after(
        lambda: Aktoer.objects.filter(pk=ansvar.aktoer_id).update(navn="Omdøpt aktør"),
        lambda row: "Omdøpt aktør" in [a["aktoer_navn"] for a in row["ansvar"]],
    )
    # The source of the measure (a Kilde row, through a generic relation).
    kilde = Kilde.objects.filter(object_id=tiltak.pk, field_name="", related_id=None).first()
    etag_after(
        lambda: Kilde.objects.filter(pk=kilde.pk).update(reasoning="Endret begrunnelse"),
        lambda row: True,  # how the list shows a source is the kilde tests' business; the ETag must change
    )
    assert len(set(seen)) == len(seen)


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a request in production
def test_a_matching_conditional_get_costs_one_query_and_a_repeat_comes_from_memory(
    client, programme_loaded_transactional, django_assert_num_queries, empty_response_cache
):
    programme = programme_loaded_transactional
    first = client.get(LIST)
    assert first.status_code == 200 and first["ETag"].startswith('"v')
    with django_assert_num_queries(1):  # the data version; nothing is serialised
        not_modified = client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == first["ETag"]
    with django_assert_num_queries(1):
        again = client.get(LIST)
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Last-Modified"] == first["Last-Modified"]
    assert again["Cache-Control"] == first["Cache-Control"]
    # Another request (another filter, format or page) is another body and another ETag.
    other = client.get(LIST + "&omraade=" + programme.omraader.order_by("nummer").first().slug)
    assert other["ETag"] != first["ETag"]
    assert client.get(LIST + "&format=csv")["ETag"] != first["ETag"]
    assert data_version() is not None


@pytest.mark.django_db
def test_staff_and_requests_inside_a_transaction_take_the_ordinary_path(
    client, programme, saksbehandler, empty_response_cache
):
    response = client.get(LIST)  # a test's transaction: the version is not reliable inside one
    assert response.status_code == 200 and not response["ETag"].startswith('"v')
    client.force_login(saksbehandler)
    response = client.get(LIST)
    assert response.status_code == 200 and not response["ETag"].startswith('"v')
    assert VersionedListMixin.remembered(response["ETag"]) is None


MELDINGER = "/api/v1/statusmeldinger/?page_size=20"


@pytest.mark.django_db(transaction=True)
def test_the_statusmeldinger_list_is_versioned_and_never_serves_one_visibility_or_language_to_another(
    client, programme_loaded_transactional, make_user, django_assert_max_num_queries, empty_response_cache
):
    from django.test import Client

    from handlingsprogram.services import api_token_create

    author = make_user("saksbehandler-vis", "saksbehandler")
    koordinator = make_user("koordinator-vis", "koordinator")
    tiltak = Tiltak.objects.order_by("pk").first()
    Statusmelding.objects.create(
        tiltak=tiltak,
        author=author,
        date="2023-03-01",
        status="paagaar",
        vurdering="i_rute",
        gjennomfoert=".",
        intern_merknad="Bare for ansatte",
    )
    anonymous = client.get(MELDINGER)
    assert anonymous.status_code == 200 and anonymous["ETag"].startswith('"v')
    assert "intern_merknad" not in anonymous.json()["results"][0]
    with django_assert_max_num_queries(2):  # the data version (and nothing serialised)
        assert client.get(MELDINGER, HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 304

    # Staff see internal fields: never from the public memory, never a 304 on the public ETag.
    staff = Client()
    staff.force_login(author)
    internal = staff.get(MELDINGER, HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert internal.status_code == 200 and internal["ETag"] != anonymous["ETag"]
    assert internal.json()["results"][0]["intern_merknad"] == "Bare for ansatte"
    assert "no-store" in internal["Cache-Control"]
    # A partner (token) sees what anonymous clients see: public fields only, even right after staff.
    _, key = api_token_create(user=koordinator, navn="Partner", aktoer=None)
    partner = Client(HTTP_AUTHORIZATION=f"Token {key}").get(MELDINGER)
    assert partner.status_code == 200 and "intern_merknad" not in partner.json()["results"][0]
    assert partner.content == anonymous.content
    # Each language its own validator: an English client's ETag does not make a bokmål answer 304.
    english = client.get(MELDINGER, HTTP_ACCEPT_LANGUAGE="en")
    assert english["ETag"] != anonymous["ETag"]
    assert client.get(MELDINGER, HTTP_ACCEPT_LANGUAGE="nb", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200

    # A new report bumps the data version: the remembered body and the old ETag are stale.
    Statusmelding.objects.create(
        tiltak=tiltak, author=author, date="2023-06-01", status="fullfoert", vurdering="i_rute", gjennomfoert="Ny"
    )
    after = client.get(MELDINGER, HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert after.status_code == 200 and after["ETag"] != anonymous["ETag"]
    assert after.json()["results"][0]["gjennomfoert"] == "Ny"
    assert after.json()["count"] == anonymous.json()["count"] + 1


@pytest.mark.django_db(transaction=True)
def test_within_the_stale_window_a_remembered_answer_costs_no_query_and_then_the_change_shows(
    client, programme_loaded_transactional, make_user, settings, django_assert_num_queries, empty_response_cache
):
    """As the public pages' kept parts: anonymous and partner clients may get an answer up to
    FRAGMENT_STALE_SECONDS old (the API's max-age), without the version being read; staff never."""
    settings.FRAGMENT_STALE_SECONDS = 3600
    author = make_user("saksbehandler-stale", "saksbehandler")
    tiltak = Tiltak.objects.order_by("pk").first()
    code = tiltak.kode
    one = f"/api/v1/tiltak/{programme_loaded_transactional.slug}/{code}/"
    first, first_one = client.get(MELDINGER), client.get(one)
    assert first_one.status_code == 200 and first_one["ETag"].startswith('"v')
    Statusmelding.objects.create(
        tiltak=tiltak, author=author, date="2023-06-01", status="fullfoert", vurdering="i_rute", gjennomfoert="Ny"
    )
    with django_assert_num_queries(0):
        again = client.get(MELDINGER)
        not_modified = client.get(MELDINGER, HTTP_IF_NONE_MATCH=first["ETag"])
        again_one = client.get(one)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert not_modified.status_code == 304
    assert again_one.content == first_one.content and again_one.json()["status"] != "fullfoert"
    # Staff see the change at once.
    staff = Client()
    staff.force_login(author)
    assert staff.get(MELDINGER).json()["results"][0]["gjennomfoert"] == "Ny"
    # Past the window the version is read again, and the change shows.
    settings.FRAGMENT_STALE_SECONDS = 0
    after, after_one = client.get(MELDINGER, HTTP_IF_NONE_MATCH=first["ETag"]), client.get(one)
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert after.json()["results"][0]["gjennomfoert"] == "Ny"
    assert after_one.json()["status"] == "fullfoert" and after_one["ETag"] != first_one["ETag"]


@pytest.mark.django_db(transaction=True)
def test_the_workers_of_a_server_share_remembered_answers_in_a_directory(
    client, programme_loaded_transactional, make_user, settings, django_assert_num_queries, tmp_path
):
    """With DJANGO_FRAGMENT_CACHE_DIR the answers are files another worker reads; a body whose entry was culled
    is made again at the current version; a worker that read an older version never hides a newer ETag."""
    store = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    settings.CACHES = {**settings.CACHES, "api_responses": store}
    settings.FRAGMENT_STALE_SECONDS = 3600
    first = client.get(MELDINGER)
    assert first.status_code == 200 and first["ETag"].startswith('"v') and list(tmp_path.glob("*.djcache"))

    # Another worker: its own cache handler (a setting change makes Django open new ones), the same directory.
    settings.CACHES = {**settings.CACHES, "api_responses": dict(store)}
    with django_assert_num_queries(0):
        again = client.get(MELDINGER)
        not_modified = client.get(MELDINGER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.content == first.content and again["ETag"] == first["ETag"] and not_modified.status_code == 304

    # A change, and the remembered body culled: not the old ETag with new data, but the current version's.
    author = make_user("saksbehandler-shared", "saksbehandler")
    Statusmelding.objects.create(
        tiltak=Tiltak.objects.order_by("pk").first(),
        author=author,
        date="2023-06-01",
        status="fullfoert",
        vurdering="i_rute",
        gjennomfoert="Delt mellom arbeiderne",
    )
    caches["api_responses"].delete(f"body:{first['ETag']}")
    made = client.get(MELDINGER)
    assert made["ETag"] != first["ETag"] and made.json()["results"][0]["gjennomfoert"] == "Delt mellom arbeiderne"
    assert VersionedListMixin.remembered(made["ETag"])["body"] == made.content

    # A worker that read the old version finishes after the new answer was remembered: the newer ETag stays.
    VersionedListMixin().remember(first["ETag"], first)
    with django_assert_num_queries(0):
        assert client.get(MELDINGER)["ETag"] == made["ETag"]


@pytest.mark.django_db(transaction=True)
def test_past_the_window_one_worker_makes_the_answer_while_the_others_give_the_older_one(
    client, programme_loaded_transactional, make_user, settings, django_assert_num_queries, empty_response_cache
):
    settings.FRAGMENT_STALE_SECONDS = 60
    first = client.get(MELDINGER)
    Statusmelding.objects.create(
        tiltak=Tiltak.objects.order_by("pk").first(),
        author=make_user("saksbehandler-grace", "saksbehandler"),
        date="2023-06-01",
        status="fullfoert",
        vurdering="i_rute",
        gjennomfoert="Laget av én arbeider",
    )
    digest = first["ETag"].strip('"').split("-", 1)[1]
    aged_out = (first["ETag"], time.time() - 70)  # just past the window, within the grace
    caches["api_responses"].set(f"etag:{digest}", aged_out, 3600)
    caches["api_responses"].add(f"making:{digest}", True, 30)  # another worker is making it
    with django_assert_num_queries(0):
        older = client.get(MELDINGER)
    assert older.content == first.content and older["ETag"] == first["ETag"]

    caches["api_responses"].delete(f"making:{digest}")  # nobody is: this request makes it
    made = client.get(MELDINGER)
    assert made["ETag"] != first["ETag"] and made.json()["results"][0]["gjennomfoert"] == "Laget av én arbeider"
    assert caches["api_responses"].get(f"making:{digest}") is None
