"""What the county's IT operations run the portal with: health checks for the load balancer and one structured
log line per request.

Both are middleware rather than views. The health checks answer before host validation, HTTPS redirect,
sessions or authentication, so a load balancer probing an app server by its IP address over plain HTTP gets a
straight answer, and a probe never writes a session or a log line of its own."""

import datetime
import json
import logging
import time

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

request_logger = logging.getLogger("handlingsprogram.requests")

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def readiness() -> tuple[bool, dict]:
    """Whether this app server can serve: the database answers, and every migration in the code is applied."""
    checks: dict[str, str] = {}
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any driver error means "not ready"; the type is enough for the log
        checks["database"] = f"unreachable ({type(error).__name__})"
        return False, checks
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        checks["migrations"] = f"unknown ({type(error).__name__})"
        return False, checks
    checks["migrations"] = "ok" if not pending else f"{len(pending)} not applied"
    return not pending, checks


class HealthCheckMiddleware:
    """``/healthz``: the process is alive (no database touched). ``/readyz``: the database is reachable and
    migrated; 503 otherwise, so the load balancer takes the server out until it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH:
            return self._answer(200, {"status": "ok"})
        if request.path == READY_PATH:
            ready, checks = readiness()
            return self._answer(200 if ready else 503, {"status": "ok" if ready else "unavailable", **checks})
        return self.get_response(request)

    @staticmethod
    def _answer(status: int, body: dict) -> JsonResponse:
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def request_route(request) -> str | None:
    """The URL pattern that answered, e.g. ``/konto/passord/tilbakestill/<uidb64>/<token>/``; None when no
    pattern matched. Logs name this, never the path: a path may carry a secret (a password-reset token), and a
    path that matched nothing may be anything at all."""
    match = getattr(request, "resolver_match", None)
    return None if match is None else "/" + match.route


class RequestLogMiddleware:
    """One log line per request on ``handlingsprogram.requests``: method, the URL pattern's route and view name
    (never the path or the query string, which may carry a password-reset token or search words), status,
    duration and the user's id. No address, name or e-mail: that is all the personal data the log holds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        route = request_route(request)
        match = getattr(request, "resolver_match", None)
        request_logger.info(
            "%s %s %s",
            request.method,
            route or "-",
            response.status_code,
            extra={
                "http": {
                    "method": request.method,
                    "route": route,
                    "view": match.view_name if match is not None else None,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                }
            },
        )
        return response


class RouteNotPathFilter(logging.Filter):
    """Django's own lines about a request ("Not Found: /…", "Forbidden (CSRF …): /…", "Internal Server Error:
    /…") give its path as an argument; put the route (or ``<no route>``) in its place, for the same reason as
    the request log. Attached to the loggers that write such lines (``django.request``, ``django.security.csrf``)
    so every handler sees the redacted record."""

    UNRESOLVED = "<no route>"

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and isinstance(record.args, tuple):
            # log_message() escapes its arguments, so the path may be there in either form.
            paths = {path, path.encode("unicode_escape").decode("ascii")}
            route = request_route(request) or self.UNRESOLVED
            record.args = tuple(route if isinstance(arg, str) and arg in paths else arg for arg in record.args)
        return True


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC, ISO 8601), level, logger, message, the request fields when
    there are any, and the exception as text."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        http = getattr(record, "http", None)
        if isinstance(http, dict):
            entry.update(http)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


SESSION_LAST_SEEN = "portal_last_seen"
SESSION_REFRESH_SECONDS = 60


class SessionIdleMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without a request (DJANGO_SESSION_IDLE_MINUTES).

    Saving the session on every request would do that too, at the price of a database write per page. Instead
    the expiry is moved forward when the last move is more than a minute old, so a session ends between one
    idle period minus a minute and one idle period after the last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = session.get(SESSION_LAST_SEEN)
            if not isinstance(last_seen, int) or now - last_seen >= SESSION_REFRESH_SECONDS:
                session[SESSION_LAST_SEEN] = now  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)


def session_mark_seen(sender, request, user, **kwargs):
    """At login the session is new and saved anyway: start its idle clock there (receiver of user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LAST_SEEN] = int(time.time())
