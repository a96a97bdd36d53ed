import datetime
from pathlib import Path

import pytest

from handlingsprogram.models import Enhet, Handlingsprogram, User
from portal.loader import programme_file_load
from tiltak.models import Statusmelding, Tiltak

PROGRAMME_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "handlingsprogram-2020-2023.toml"
PROGRAMME_SLUG = "internasjonalt-handlingsprogram-2020-2023"


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Tests create hundreds of users; PBKDF2's deliberate slowness (about 0.4 s per password here) would be most
    of the suite's time. A fast hasher changes nothing the tests check: login, lockout and password change work
    the same with any hasher. Production keeps Django's default."""
    from django.conf import settings
    from django.contrib.auth import hashers

    previous = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    yield
    settings.PASSWORD_HASHERS = previous
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The API's throttle counters live in the cache, which the live server shares with the test process: every
    test starts with a clean slate, or the URL walks' anonymous API calls would throttle a later browser test's
    schema request (the docs page then never renders)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the real 2020–2023 programme, loaded once per session.

    pytest-django runs transactional (live-server) tests after the others, so their flush cannot take the
    programme away from a test that expects it; those tests load it themselves."""
    with django_db_blocker.unblock():
        programme_file_load(path=PROGRAMME_FILE)


@pytest.fixture
def programme(db) -> Handlingsprogram:
    return Handlingsprogram.objects.get(slug=PROGRAMME_SLUG)


@pytest.fixture
def make_user(db):
    def make(username: str, rolle: str, enhet: Enhet | None = None, **extra) -> User:
        user = User.objects.create_user(
            username=username, password="a-long-test-password", rolle=rolle, enhet=enhet, **extra
        )
        return user

    return make


@pytest.fixture
def enhet_utdanning(db) -> Enhet:
    return Enhet.objects.get(aktoer__slug="trondelag-fylkeskommune", slug="avdeling-for-utdanning")


@pytest.fixture
def koordinator(make_user, db) -> User:
    enhet = Enhet.objects.get(aktoer__slug="trondelag-fylkeskommune", slug="avdeling-for-plan-og-naering")
    return make_user("koordinator-test", User.Rolle.KOORDINATOR, enhet)


@pytest.fixture
def saksbehandler(make_user, enhet_utdanning) -> User:
    return make_user("saksbehandler-test", User.Rolle.SAKSBEHANDLER, enhet_utdanning)


@pytest.fixture
def leser(make_user) -> User:
    return make_user("leser-test", User.Rolle.LESER)


@pytest.fixture
def programme_loaded_transactional(transactional_db):
    """For tests that need real transactions (threads, live server): the flush empties the tables, so load
    the programme again."""
    programme_file_load(path=PROGRAMME_FILE)
    return Handlingsprogram.objects.get(slug=PROGRAMME_SLUG)


@pytest.fixture
def tiltak_212(programme) -> Tiltak:
    """2.1.2: TRFK's Avdeling for utdanning leads; KS and Fylkesmannen contribute."""
    return Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").get(
        innsatsomraade__omraade__handlingsprogram=programme,
        innsatsomraade__omraade__nummer=2,
        innsatsomraade__nummer=1,
        nummer=2,
    )


@pytest.fixture
def saksbehandler_annen_enhet(make_user) -> User:
    enhet = Enhet.objects.get(aktoer__slug="trondelag-fylkeskommune", slug="avdeling-for-plan-og-naering")
    return make_user("saksbehandler-plan", User.Rolle.SAKSBEHANDLER, enhet)


@pytest.fixture
def statusmelding(tiltak_212, saksbehandler) -> Statusmelding:
    return Statusmelding.objects.create(
        tiltak=tiltak_212,
        author=saksbehandler,
        date=datetime.date(2021, 3, 1),
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert="Informasjonsmøte med KS og Fylkesmannen.",
        intern_merknad="HEMMELIG-INTERN-MERKNAD",
    )
