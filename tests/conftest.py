import datetime
from pathlib import Path

import pytest

from handlingsprogram.models import Enhet, Handlingsprogram, User
from portal.loader import programme_file_load
from tiltak.models import Statusmelding, Tiltak

PROGRAMME_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "handlingsprogram-2020-2023.toml"
PROGRAMME_SLUG = "internasjonalt-handlingsprogram-2020-2023"


# Modules whose tests `make test` sends to a single xdist worker, so that their module fixture is made once: the
# production server (collectstatic, migrations, gunicorn; and the last test reads the log of the previous ones'
# requests), and the annual report rendered from the demo data. Each module's tests are next to each other in the
# collection (the same kind of test, in pytest-django's order).
ONE_WORKER_MODULES = {
    "tests/test_production_path.py",
    "tests/rapportering/test_pdf.py",
    "tests/rapportering/test_pdf_reading.py",
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` (pyproject's addopts) as xdist's `load`, except that a chunk of tests sent to a worker is
    never cut inside a module of ONE_WORKER_MODULES.

    xdist's own grouping does not serve here: its xdist_group mark groups nothing under pytest 9.2 (the group
    travels in the test's id, which pytest 9.2 no longer lets a plugin change; pytest-xdist issue 1386, and nothing
    warns), and its scope schedulers key tests by id, which would run one of the schemathesis tests that share an
    id. This keeps `load`'s test indices."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScheduling

    class OneWorkerModules(LoadScheduling):
        def _send_tests(self, node, num):
            def module(index):
                path = self.collection[index].split("::", 1)[0]
                return path if path in ONE_WORKER_MODULES else None

            while 0 < num < len(self.pending):
                last_sent, next_pending = module(self.pending[num - 1]), module(self.pending[num])
                if last_sent is None or last_sent != next_pending:
                    break
                num += 1
            super()._send_tests(node, num)

    return OneWorkerModules(config, log)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests that start the portal as separate processes (marked production) take half a minute to over a
    minute each, mostly pip, collectstatic and gunicorn starting. They go first, so that under `make test`'s
    xdist workers they run beside the database tests instead of last, with the whole run waiting for them.

    This runs after pytest-django has put the tests in Django's order (database tests, then transactional ones,
    whose flush empties the tables); those tests keep that order among themselves, and the production tests use
    no test database, so moving them changes nothing any test sees."""
    items.sort(key=lambda item: item.get_closest_marker("production") is None)


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


@pytest.fixture(scope="session", autouse=True)
def data_version_triggers_after_test_migrations():
    """Tests of data migrations move the test database back and forth with MigrationExecutor, which sends no
    post_migrate: the data version's triggers on tables made or rebuilt on the way (SQLite rebuilds a table to
    alter it, dropping its triggers) would stay missing for every later test on that worker. Each such migrate
    ends here as ``manage.py migrate`` does, with ``ensure_triggers``."""
    from django.db.migrations.executor import MigrationExecutor

    from portal.data_version import ensure_triggers

    original = MigrationExecutor.migrate

    def migrate(self, targets, *args, **kwargs):
        state = original(self, targets, *args, **kwargs)
        ensure_triggers(using=self.connection.alias)
        return state

    MigrationExecutor.migrate = migrate
    yield
    MigrationExecutor.migrate = original


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The API's throttle counters live in the cache, which the live server shares with the test process: every
    test starts with a clean slate, or the URL walks' anonymous API calls would throttle a later browser test's
    schema request (the docs page then never renders)."""
    from django.core.cache import cache

    from felles.api.throttling import WindowedRateThrottle

    cache.clear()
    WindowedRateThrottle.forget()  # and what this process knew of the counters
    yield
    cache.clear()
    WindowedRateThrottle.forget()


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


@pytest.fixture(autouse=True)
def _forget_api_responses(settings):
    """The API's lists remember bodies by data version (felles.api.common.VersionedListMixin). A test's rolled-back
    transaction takes the version back with it, so the next test could reach the same version with other rows:
    each test starts with an empty memory. A test may replace CACHES altogether (then there is nothing to forget)."""
    from django.core.cache import caches

    if "api_responses" in settings.CACHES:
        caches["api_responses"].clear()


@pytest.fixture(autouse=True)
def _forget_page_parts(settings):
    """Kept page parts (felles/fragment_cache.py) live in this process, which the live server shares: each test
    starts with none, and anonymous visitors see a change at once (a test that wants the window sets it). A test
    may replace CACHES altogether (tests/api/test_schema_conformance.py): then there is nothing to forget."""
    from django.core.cache import caches

    def forget():
        if "fragments" in settings.CACHES:
            caches["fragments"].clear()

    settings.FRAGMENT_STALE_SECONDS = 0
    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def _forget_remembered_values():
    """Values kept by data version in this process (felles/version_memo.py, the tiltak list's filter choices): a
    version reached again after a flush or a rollback may stand for other rows, so each test starts with none."""
    from felles.version_memo import forget_all

    forget_all()
    yield
    forget_all()
