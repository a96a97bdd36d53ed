"""What the county's IT operations run the portal with: health checks for the load balancer and one structured
log line per request.

Both are middleware rather than views. The health checks answer before host validation, HTTPS redirect,
sessions or authentication, so a load balancer probing an app server by its IP address over plain HTTP gets a
straight answer, and a probe never writes a session or a log line of its own."""

import datetime
import json
import logging
import sys
import threading
import time

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views import defaults

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
        if is_database_unavailable(error):
            outage_log.failed(error)  # a load balancer's probes alone are enough to have the outage logged
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
            response = self._answer(200 if ready else 503, {"status": "ok" if ready else "unavailable", **checks})
            if not ready:
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
                # The body says why; an unreachable database is logged once by outage_log, not per probe.
                response._has_been_logged = True
            elif checks.get("database") == "ok":
                outage_log.succeeded()
            return response
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


# --- The database unreachable: 503 with Retry-After, never 500 -------------------------------------------------

outage_logger = logging.getLogger("handlingsprogram.database")

RETRY_AFTER_SECONDS = 5
OUTAGE_REMINDER_SECONDS = 60


def is_database_unavailable(error: BaseException | None) -> bool:
    """The database could not be reached or the connection broke: Django's OperationalError and InterfaceError,
    which it raises in place of every backend's own (psycopg's, sqlite3's); or, with DJANGO_CACHE=redis, the shared
    cache could not be (its rate-limit counters and sessions are the same kind of store). Anything else is a bug,
    and stays a 500 with its traceback."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return _REDIS_ERRORS is not None and isinstance(error, _REDIS_ERRORS)


try:
    from redis.exceptions import ConnectionError as _RedisConnectionError
    from redis.exceptions import TimeoutError as _RedisTimeoutError

    _REDIS_ERRORS = (_RedisConnectionError, _RedisTimeoutError)
except ImportError:  # redis-py is installed with the portal; a trimmed install without it has no Redis cache
    _REDIS_ERRORS = None


class _OutageLog:
    """One log line when this process first finds the database unavailable, a reminder with the count at most
    once a minute while it stays so, and one line when a request succeeds again, instead of a traceback per
    failed request (the request log still has a line per request, with status 503)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._since: float | None = None
        self._last_logged = 0.0
        self._failed = 0

    def failed(self, error: BaseException) -> None:
        with self._lock:
            now = time.monotonic()
            self._failed += 1
            if self._since is None:
                self._since, self._last_logged = now, now
                # The message's first line names the cause (connection refused, server closed the connection …)
                # and never carries data: drivers put the host and port there, not the query.
                detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
                outage_logger.error(
                    "database unavailable (%s: %s); answering 503 with Retry-After until it is back",
                    type(error).__name__,
                    detail,
                )
            elif now - self._last_logged >= OUTAGE_REMINDER_SECONDS:
                self._last_logged = now
                outage_logger.error(
                    "database still unavailable after %.0f s; %d requests answered 503", now - self._since, self._failed
                )

    @property
    def active(self) -> bool:
        return self._since is not None

    def succeeded(self) -> None:
        if self._since is None:  # the common case, without taking the lock
            return
        with self._lock:
            if self._since is not None:
                outage_logger.warning(
                    "database available again after %.1f s; %d requests answered 503",
                    time.monotonic() - self._since,
                    self._failed,
                )
                self._since, self._failed = None, 0


outage_log = _OutageLog()


def database_unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: a JSON body in the API's error format (``{"detail": …}``, as DRF gives) under
    /api/, otherwise a short page. Built without the database, a request context or base.html (whose context
    would ask the session who the user is)."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": gettext("The database is unavailable for the moment. Try again in a few seconds.")},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Logged once by outage_log. Django would otherwise log an error per response of 500 or more, with the
    # traceback when server_error answered (django.utils.log.log_response honours this flag).
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """A view (or the API) that fails because the database is unreachable answers 503 with Retry-After, which a
    load balancer and a partner's client know to retry, instead of 500. Errors raised by the middleware below it
    (a session read, the rate-limit cache) reach ``server_error`` below, which answers the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if outage_log.active and response.status_code < 500 and self._database_answered():
            outage_log.succeeded()
        return response

    @staticmethod
    def _database_answered() -> bool:
        """This request used the database without a connection error. A request that never touched it (a
        redirect to the login page, a static file) says nothing, and must not end the outage in the log: after
        a failure Django closes the broken connection at the end of the request, so an open one without errors
        was opened, or checked, by this request."""
        connection = connections[DEFAULT_DB_ALIAS]
        return connection.connection is not None and not connection.errors_occurred

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        outage_log.failed(exception)
        return database_unavailable_response(request)


def server_error(request):
    """handler500: the database being unreachable outside a view (in a middleware) is a 503 as well."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        outage_log.failed(error)
        return database_unavailable_response(request)
    return defaults.server_error(request)
