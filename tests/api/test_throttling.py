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
