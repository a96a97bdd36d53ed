"""Who the API's rate limits count: one notion of the client address, the same one the login lockout uses, so a
made-up X-Forwarded-For neither dodges a limit nor spreads one client over many counters."""

import os
import subprocess
import sys

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory, override_settings
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.settings import api_settings

from felles.client_address import client_address
from handlingsprogram.api.authentication import AnonymousClientThrottle, PartnerThrottle, PortalUserThrottle

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def anonymous_limit() -> int:
    """The configured anonymous rate (60/minute unless DJANGO_API_RATE_ANONYMOUS says otherwise)."""
    limit, _ = AnonymousClientThrottle().parse_rate(api_settings.DEFAULT_THROTTLE_RATES["anon"])
    return limit


def test_a_made_up_forwarded_for_does_not_dodge_the_anonymous_limit(client, programme):
    limit = anonymous_limit()
    url = reverse("api:baerekraftsmaal-list")
    statuses = [
        client.get(url, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n % 250}").status_code
        for n in range(limit + 10)
    ]
    assert statuses == [200] * limit + [429] * 10
    # Another address still gets its own allowance: the limit is per client, not global.
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_the_limit_counts_the_address_the_proxy_saw(client, programme):
    limit = anonymous_limit()
    url = reverse("api:baerekraftsmaal-list")
    # One client forging a different left-most entry every time is counted as the address the proxy appended.
    statuses = [
        client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"172.16.0.{n % 250}, 198.51.100.5").status_code
        for n in range(limit + 1)
    ]
    assert statuses == [200] * limit + [429]
    # Other clients behind the same proxy are not throttled along with it.
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.6").status_code == 200


def test_the_client_address_is_remote_addr_unless_a_proxy_is_trusted():
    factory = RequestFactory()
    forged = factory.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.44", REMOTE_ADDR="10.0.0.2")
    assert client_address(forged) == "10.0.0.2"
    with override_settings(BEHIND_PROXY=True):
        assert client_address(forged) == "192.0.2.44"  # the right-most entry, the one our proxy appended
        assert client_address(factory.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
        garbage = factory.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, not-an-address", REMOTE_ADDR="10.0.0.2")
        assert client_address(garbage) == "10.0.0.2"
        spaced = factory.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4,  2001:db8::1 ", REMOTE_ADDR="10.0.0.2")
        assert client_address(spaced) == "2001:db8::1"


@pytest.mark.parametrize("behind_proxy", [False, True])
def test_the_login_lockout_and_every_api_throttle_use_the_same_address(behind_proxy):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.44", REMOTE_ADDR="10.0.0.2")
    with override_settings(BEHIND_PROXY=behind_proxy):
        expected = client_address(request)
        assert get_client_ip_address(request) == expected
        for throttle in (AnonymousClientThrottle, PartnerThrottle, PortalUserThrottle):
            assert throttle().get_ident(Request(request)) == expected


def test_django_behind_proxy_turns_the_proxy_reading_on():
    """Settings read the environment once, at import; a fresh interpreter shows what a deployment gets."""
    code = "from django.conf import settings; import django; django.setup(); print(settings.BEHIND_PROXY)"
    results = {}
    for value in ("true", "false"):
        env = os.environ | {"DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "1"}
        env["DJANGO_BEHIND_PROXY"] = value
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        results[value] = done.stdout.strip().splitlines()[-1]
    assert results == {"true": "True", "false": "False"}


# --- Counting without a cache write per request (issue 19, felles/api/throttling.py) --------------------------------

DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}


@pytest.fixture
def database_cache():
    """Production's default: the counters in the database's cache table."""
    from django.core.cache import cache
    from django.core.management import call_command

    from felles.api.throttling import WindowedRateThrottle

    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
        cache.clear()
        WindowedRateThrottle.forget()
        yield
        WindowedRateThrottle.forget()


def anonymous_rate(monkeypatch, rate: str) -> None:
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "anon", rate)
    monkeypatch.setattr(AnonymousClientThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)


def test_a_high_limit_does_not_write_the_cache_table_on_every_request(client, programme, database_cache, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    anonymous_rate(monkeypatch, "6000/minute")  # counts go to the table every 60 requests, or every second
    url = reverse("api:baerekraftsmaal-list")
    with CaptureQueriesContext(connection) as queries:
        statuses = {client.get(url).status_code for _ in range(40)}
    assert statuses == {200}
    writes = [q["sql"] for q in queries if "portal_cache" in q["sql"] and q["sql"].lstrip().upper()[:6] != "SELECT"]
    # DRF's throttle wrote its list of request times back on each of the 40; at most the first request's counter
    # and one per second of this (slow, shared) machine's run remain.
    assert len(writes) < 40 / 2, writes


def test_the_exact_limit_holds_across_processes_that_share_the_cache(client, programme, database_cache, monkeypatch):
    from felles.api.throttling import WindowedRateThrottle

    anonymous_rate(monkeypatch, "5/minute")
    url = reverse("api:baerekraftsmaal-list")
    assert [client.get(url).status_code for _ in range(3)] == [200] * 3
    WindowedRateThrottle.forget()  # another app server: it knows only what the shared table holds
    statuses = [client.get(url) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert 1 <= int(statuses[-1]["Retry-After"]) <= 60


def test_the_previous_minute_still_counts_at_the_start_of_the_next(client, programme, monkeypatch):
    """A burst at the end of one window and the start of the next is not let through twice (sliding window)."""
    from felles.api import throttling

    anonymous_rate(monkeypatch, "10/minute")
    url = reverse("api:baerekraftsmaal-list")
    clock = [6_000_000 * 60 + 59.0]  # one second before a minute starts
    monkeypatch.setattr(throttling.WindowedRateThrottle, "timer", lambda self: clock[0])
    assert {client.get(url).status_code for _ in range(10)} == {200}
    clock[0] += 2  # one second into the next minute: the last 60 s still hold all 10
    assert client.get(url).status_code == 429
    clock[0] += 59  # the next minute is over: the earlier burst has left the window
    assert client.get(url).status_code == 200
