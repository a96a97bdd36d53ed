"""What operations rely on: health checks for the load balancer, one JSON log line per request, sessions that
end when idle, and production defaults read from the environment."""

import json
import logging
import time

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.operations import SESSION_LAST_SEEN, JsonFormatter
from tests.portal.test_settings import run_manage

pytestmark = pytest.mark.django_db


def test_healthz_answers_any_host_over_plain_http_without_touching_the_database(
    client, settings, django_assert_num_queries
):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["handlingsprogram.example.no"]
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response


def test_readyz_checks_the_database_and_the_migrations(client, settings):
    settings.ALLOWED_HOSTS = ["handlingsprogram.example.no"]
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}

    # A migration in the code that the database has not had: the server is not ready (rolled back after the test).
    MigrationRecorder.Migration.objects.filter(app="rapportering").order_by("-name").first().delete()  # its last
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "migrations": "1 not applied"}


def test_every_request_logs_one_json_line_without_personal_data(client, caplog, koordinator):
    caplog.set_level(logging.INFO, logger="handlingsprogram.requests")
    client.force_login(koordinator)
    client.get(reverse("tiltak:list"), {"q": "Kari Nordmann"}, REMOTE_ADDR="192.0.2.44")
    records = [r for r in caplog.records if r.name == "handlingsprogram.requests"]
    assert len(records) == 1
    line = JsonFormatter().format(records[0])
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["method"] == "GET"
    assert (entry["route"], entry["view"]) == ("/tiltak/", "tiltak:list")
    assert entry["status"] == 200
    assert entry["user_id"] == koordinator.pk
    assert isinstance(entry["duration_ms"], float)
    assert entry["level"] == "INFO" and entry["logger"] == "handlingsprogram.requests"
    assert entry["time"].endswith("+00:00")
    assert "Kari" not in line and "192.0.2.44" not in line and koordinator.username not in line

    caplog.clear()
    client.logout()
    client.get("/finnes-ikke/")
    (record,) = [r for r in caplog.records if r.name == "handlingsprogram.requests"]
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["status"], entry["user_id"]) == (404, None)


def _capture_all_logs(caplog):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="handlingsprogram.requests")


def _logged_text(caplog) -> str:
    """Every captured record as it would be written, request fields included."""
    return "\n".join(JsonFormatter().format(record) for record in caplog.records)


def test_the_request_log_names_the_route_not_a_password_reset_token(client, caplog, saksbehandler):
    _capture_all_logs(caplog)
    uidb64 = urlsafe_base64_encode(force_bytes(saksbehandler.pk))
    token = default_token_generator.make_token(saksbehandler)
    url = reverse("konto:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    response = client.get(url, {"hemmelig": "sporsmaal"})
    assert response.status_code == 302, "a valid token is swapped for a session and a redirect"

    (record,) = [r for r in caplog.records if r.name == "handlingsprogram.requests"]
    entry = json.loads(JsonFormatter().format(record))
    assert entry["route"] == "/konto/passord/tilbakestill/<uidb64>/<token>/"
    assert entry["view"] == "konto:password_reset_confirm"
    assert "path" not in entry
    logged = _logged_text(caplog)
    assert token not in logged and uidb64 not in logged and "sporsmaal" not in logged


def test_an_unknown_path_is_logged_without_the_path(client, caplog):
    _capture_all_logs(caplog)
    secret = "c8d-5f1b2e9a7c4d3e0f1a2b3c4d5e6f7a8b"
    response = client.get(f"/konto/passord/tilbakestill-feil/{secret}/", {"token": "sporsmaal"})
    assert response.status_code == 404

    (record,) = [r for r in caplog.records if r.name == "handlingsprogram.requests"]
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["route"], entry["view"], entry["status"]) == (None, None, 404)
    # Django's own "Not Found: <path>" line says which route too, not the path.
    assert any(r.name == "django.request" and r.levelno == logging.WARNING for r in caplog.records)
    logged = _logged_text(caplog)
    assert secret not in logged and "sporsmaal" not in logged


def test_production_logs_are_json_and_the_idle_time_comes_from_the_environment():
    secret = {"DJANGO_SECRET_KEY": "k" * 60}
    script = (
        "from django.conf import settings as s; import logging;"
        "print(s.SESSION_COOKIE_AGE, s.CACHES['default']['BACKEND'], s.TASKS['default']['BACKEND'],"
        " type(logging.getLogger().handlers[0].formatter).__name__)"
    )
    result = run_manage("shell", "--no-imports", "-c", script, DJANGO_SESSION_IDLE_MINUTES="30", **secret)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert all(json.loads(line)["logger"] for line in lines[:-1]), "log lines on stdout are JSON"
    assert lines[-1].split() == [
        "1800",
        "django.core.cache.backends.db.DatabaseCache",
        "django_tasks_db.DatabaseBackend",
        "JsonFormatter",
    ]
    result = run_manage("check", DJANGO_LOG_FORMAT="xml", **secret)
    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT" in result.stderr


def test_login_sets_a_secure_httponly_session_cookie(client, settings, make_user):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    make_user("kari", "saksbehandler")
    client.get(reverse("konto:login"), secure=True)
    response = client.post(
        reverse("konto:login"), {"username": "kari", "password": "a-long-test-password"}, secure=True
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE


def test_an_idle_session_ends_and_an_active_one_is_extended(client, koordinator):
    client.force_login(koordinator)
    url = reverse("tiltak:mine")
    assert client.get(url).status_code == 200
    key = client.session.session_key

    # Used again after more than a minute: the expiry moves forward by a whole idle period.
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - 120
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timezone.timedelta(minutes=5))
    assert client.get(url).status_code == 200
    expires = Session.objects.get(pk=key).expire_date
    assert expires > timezone.now() + timezone.timedelta(minutes=100)

    # Left alone past the idle time: the next request is sent to log in.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("konto:login"))
