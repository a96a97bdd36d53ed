"""DJANGO_CACHE=redis: the API's rate-limit counters and the sessions' reads in a real Redis server started by the
test (Debian's redis-server), so several app servers share them; a Redis outage answers 503, never 500."""

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from rest_framework.settings import api_settings

from handlingsprogram.api.authentication import AnonymousClientThrottle
from tests.portal.test_settings import run_manage
from tests.processes import ThrowawayRedis

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_server():
    reason = ThrowawayRedis.missing_reason()
    if reason:
        pytest.skip(reason)
    server = ThrowawayRedis()
    server.start()
    yield server
    server.stop()


def redis_cache_settings(url: str) -> dict:
    """The CACHES the settings build for DJANGO_CACHE=redis, pointed at the test's server."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "handlingsprogram",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


def test_the_settings_build_the_redis_cache_and_cached_sessions():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']"
        "['LOCATION'], settings.SESSION_ENGINE)",
        DJANGO_DEBUG="1",
        DJANGO_CACHE="redis",
        DJANGO_REDIS_URL="redis://cache.internal:6379/2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/2",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_redis_without_a_url_is_refused_with_a_message_saying_what_to_set():
    result = run_manage("check", DJANGO_DEBUG="1", DJANGO_CACHE="redis")
    assert result.returncode != 0
    assert "DJANGO_CACHE=redis needs DJANGO_REDIS_URL" in result.stderr


def test_the_database_cache_stays_the_default_in_production():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)",
        DJANGO_SECRET_KEY="x" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.db",
    ]


def test_rate_limit_counters_live_in_redis(client, programme, redis_server, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "anon", "3/minute")
    monkeypatch.setattr(AnonymousClientThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)
    outside = redis.Redis.from_url(redis_server.url)
    url = reverse("api:baerekraftsmaal-list")
    with override_settings(CACHES=redis_cache_settings(redis_server.url)):
        assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
        # Another process (here: a plain Redis client) sees the counter: every app server shares it.
        keys = [key.decode() for key in outside.keys("handlingsprogram:*")]
        assert any("throttle_anon" in key for key in keys), keys
        outside.flushall()
        assert client.get(url).status_code == 200


def test_sessions_are_read_from_redis_and_kept_in_the_database(client, programme, koordinator, redis_server):
    outside = redis.Redis.from_url(redis_server.url)
    with override_settings(
        CACHES=redis_cache_settings(redis_server.url), SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        client.force_login(koordinator)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert outside.keys(f"handlingsprogram:*{key}")
        assert Session.objects.filter(session_key=key).exists()
        # Redis restarted empty: the session is still there, read back from the database.
        outside.flushall()
        assert client.get(reverse("tiltak:mine")).status_code == 200


def test_a_redis_outage_answers_503_with_retry_after_never_500(client, programme, redis_server):
    url = reverse("api:baerekraftsmaal-list")
    with override_settings(CACHES=redis_cache_settings(redis_server.url)):
        assert client.get(url).status_code == 200
        redis_server.stop()
        response = client.get(url)
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
