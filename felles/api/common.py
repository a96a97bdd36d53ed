"""What every resource of the partner API shares: read-only views with conditional GET, page-number
pagination with a maximum, CSV as well as JSON. The OpenAPI additions are in ``schema.py``; which tokens and rate
limits apply is the settings' REST_FRAMEWORK (DRF loads those classes from settings, so they must not import
DRF's views).

Each app's ``api/`` package builds its resources on ``PortalReadOnlyView``, and the project's API root puts them
together under ``/api/v1/``."""

import contextlib
import csv
import datetime
import hashlib
import io
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, generics, mixins
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from felles.api import keyset
from felles.cache_headers import PRIVATE_NO_STORE
from felles.exports import neutralise_cell


def is_portal_user(request) -> bool:
    """Logged-in staff (reader, case officer, coordinator) may see internal fields; partners never do."""
    return bool(request.user and request.user.is_authenticated)


# --- Pagination and renderers -----------------------------------------------------------------------------------


class PortalPagination(PageNumberPagination):
    """Page numbers (``page``, ``page_size``) for every list; ``KeysetPortalPagination`` adds cursors."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        # DRF passes any text on to Django's paginator, which answers 404 "invalid page" to "abc" and takes
        # "last" as the last page. The description says a page is a number from 1: anything else is a bad value
        # (400, naming the parameter), while a number past the last page is "no such page" (404).
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not raw.isdecimal() or int(raw) < 1:
            raise exceptions.ValidationError({self.page_query_param: [_("Give a whole number, 1 or more.")]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        return response


class KeysetPortalPagination(PortalPagination):
    """Page numbers as everywhere, and ``cursor`` (felles/api/keyset.py): every answer carries ``next_cursor``, the
    next page by its sort key, which costs the same however deep it is. With a cursor, ``next`` and ``previous``
    are cursor links too; ``count`` is the whole list's, as always. An order that sorts by a value that may be
    missing (the view's ``cursor_nullable``) pages by number only: its ``next_cursor`` is null and a cursor gets
    400."""

    cursor_query_param = keyset.PARAMETER

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.cursor_page = None
        self.keyset = keyset.KeysetOrder.of(queryset, getattr(view, "cursor_nullable", frozenset()))
        if self.keyset is not None:
            queryset = self.keyset.annotate(queryset)
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            self.page_rows = super().paginate_queryset(queryset, request, view)
            return self.page_rows
        if self.page_query_param in request.query_params:
            raise exceptions.ValidationError({self.cursor_query_param: [_("Give either page or cursor, not both.")]})
        if self.keyset is None:
            raise keyset.bad_cursor(_("This sort order cannot be paged by cursor: use page."))
        key, before = self.keyset.decode(queryset, raw)
        size = self.get_page_size(request)
        self.count = queryset.count()
        rows = list(self.keyset.after(queryset, key, before=before)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if before:
            rows.reverse()
        # Whether anything lies on the cursor's own side is not asked (one more query): the cursor came from a row
        # there, so there is a page that way unless that row has left the list since.
        self.cursor_page = {"rows": rows, "has_next": more or before, "has_previous": more if before else True}
        return rows

    def get_paginated_response(self, data):
        if self.cursor_page is None:
            response = super().get_paginated_response(data)
            more = self.keyset is not None and self.page.has_next()
            response.data["next_cursor"] = self.keyset.encode(self.page_rows[-1]) if more else None
            return response
        rows = self.cursor_page["rows"]
        next_cursor = self.keyset.encode(rows[-1]) if rows and self.cursor_page["has_next"] else None
        previous_cursor = (
            self.keyset.encode(rows[0], before=True) if rows and self.cursor_page["has_previous"] else None
        )
        return Response(
            {
                "count": self.count,
                "next": self._cursor_link(next_cursor),
                "previous": self._cursor_link(previous_cursor),
                "results": data,
                "next_cursor": next_cursor,
            }
        )

    def _cursor_link(self, cursor):
        if cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Continue from a next_cursor (or a previous link) instead of a page number; a deep "
                "page by cursor costs what the first does. Not with page.",
                "schema": {"type": "string"},
            },
        ]

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["next_cursor"] = {
            "type": "string",
            "nullable": True,
            "description": "The cursor of the next page (null on the last page, and for an order that cannot be "
            "paged by cursor).",
        }
        return response


def _flatten(value):
    if isinstance(value, dict):
        return " / ".join(str(_flatten(v)) for v in value.values() if v not in (None, "", [], {}))
    if isinstance(value, list):
        return "; ".join(str(_flatten(item)) for item in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class CSVRenderer(BaseRenderer):
    """``?format=csv``: the current page's rows (or the one object) as comma-separated UTF-8, one column per
    top-level field; nested objects and lists are joined into one cell. Cells that a spreadsheet would read as
    a formula are neutralised."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        header: list[str] = []
        for row in rows:
            for key in row:
                if key not in header:
                    header.append(key)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise_cell(_flatten(row.get(key))) for key in header])
        return buffer.getvalue().encode(self.charset)


RENDERERS = [JSONRenderer, CSVRenderer]


# --- Views ------------------------------------------------------------------------------------------------------


def _latest_update(data) -> datetime.datetime | None:
    items = data.get("results") if isinstance(data, dict) and "results" in data else data
    if isinstance(items, dict):
        items = [items]
    stamps = []
    for item in items or []:
        value = item.get("updated_at") if isinstance(item, dict) else None
        if isinstance(value, datetime.datetime):
            stamps.append(value)
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                stamps.append(datetime.datetime.fromisoformat(value))
    return max(stamps) if stamps else None


class PortalReadOnlyView(generics.GenericAPIView):
    """A read-only resource: GET (and HEAD, OPTIONS); every other method answers 405.

    Successful responses carry a strong ETag of the body and a Last-Modified from the newest ``updated_at``
    among the objects in it, and a matching If-None-Match / If-Modified-Since gets 304 without a body, so
    partners can poll cheaply. (For lists, prefer If-None-Match: a removed object changes the ETag but not
    the newest ``updated_at``.)"""

    http_method_names = ["get", "head", "options"]
    renderer_classes = RENDERERS
    pagination_class = PortalPagination

    def initial(self, request, *args, **kwargs):
        # DRF authenticates before it looks at the method, and session authentication's CSRF check reads the
        # body: a logged-in POST with a body got 415 (no parser here) or 403 (CSRF) instead of 405. The method
        # is settled first, whatever the body or its content type.
        if request.method.lower() not in self.http_method_names:
            self.http_method_not_allowed(request)
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)

    def perform_content_negotiation(self, request, force=False):
        # DRF ignores an empty ?format= and answers 404 to an unknown one; the description lists the formats, so
        # anything else is a bad value of that parameter. (With force, DRF is choosing how to render an error.)
        requested = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        formats = sorted(renderer.format for renderer in self.get_renderers())
        if not force and requested is not None and requested not in formats:
            raise exceptions.ValidationError(
                {api_settings.URL_FORMAT_OVERRIDE: [_("Give one of: %(formats)s.") % {"formats": ", ".join(formats)}]}
            )
        return super().perform_content_negotiation(request, force=force)

    def query_parameters(self) -> set[str]:
        """The query parameters this resource takes: those its OpenAPI description lists."""
        names = {api_settings.URL_FORMAT_OVERRIDE}
        if isinstance(self, mixins.ListModelMixin):
            if filterset_class := getattr(self, "filterset_class", None):
                names |= set(filterset_class.base_filters)
            if self.paginator is not None:
                names |= {self.paginator.page_query_param, self.paginator.page_size_query_param}
                names |= {getattr(self.paginator, "cursor_query_param", api_settings.URL_FORMAT_OVERRIDE)}
        return names

    def check_query_parameters(self, request) -> None:
        """An unknown parameter (a typo, a filter another resource has) or one given without a value gets 400
        naming it, rather than a response that quietly ignores it."""
        known = self.query_parameters()
        errors = {}
        for name, values in request.query_params.lists():
            if name not in known:
                errors[name] = [
                    _("Unknown parameter. This resource takes: %(names)s.") % {"names": ", ".join(sorted(known))}
                ]
            elif "" in values:
                errors[name] = [_("Give a value, or leave the parameter out.")]
        if errors:
            raise exceptions.ValidationError(errors)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or not isinstance(response, Response):
            return response
        last_modified = _latest_update(response.data)
        response.render()
        if versioned := getattr(response, "portal_etag", None):
            response.headers["ETag"] = versioned
        else:
            set_response_etag(response)
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        if versioned:
            self.remember(versioned, response)
        # Public data: shared caches may keep it briefly, and must check with us after that. Staff see internal
        # fields (remarks, reasons for withdrawal), which no cache keeps, the browser's included.
        response.headers.setdefault(
            "Cache-Control", "public, max-age=60" if not is_portal_user(request) else PRIVATE_NO_STORE
        )
        response.headers["Vary"] = "Accept, Authorization, Cookie, Origin"
        return get_conditional_response(
            request,
            etag=response.headers.get("ETag"),
            last_modified=int(last_modified.timestamp()) if last_modified else None,
            response=response,
        )


def data_version() -> int | None:
    """The programme data's version, which the database bumps on every change to it (the triggers of
    portal/migrations/0001_data_version.py); None where the table is missing."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version FROM portal_dataversion WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row else None


class VersionedListMixin:
    """A list whose ETag is known before any work: the data version, today's date, and everything in the request
    that decides the body (path, query, format, language). A matching If-None-Match gets 304 after one query,
    and a repeated request is answered from the remembered bodies (settings.CACHES["api_responses"]: with
    DJANGO_FRAGMENT_CACHE_DIR shared by a server's workers as files, else each process's memory): same version,
    same request, same body, since the version is read before the data and bumped in the same transaction as every
    change. Staff see internal fields and take the ordinary path (ETag of the body).

    Like the kept parts of the public pages (felles/fragment_cache.py), a body remembered less than
    FRAGMENT_STALE_SECONDS ago (default 60) is answered, and its ETag honoured, without reading the version: a
    client may then get data up to that old, what ``Cache-Control: public, max-age=60`` already lets any shared
    cache between us and it give. While staff write every second, each list is then made about once a minute
    instead of on nearly every request, and such an answer costs no query at all. Two entries per request: its
    newest ETag with when that body was made (small: all a conditional GET needs), and the body under its ETag."""

    REMEMBER_SECONDS = 3600
    MAKING_GRACE_SECONDS = 30
    making: str | None = None  # this request's mark that it makes an answer again (see versioned_etag)

    @staticmethod
    def _store():
        return caches["api_responses"]

    @classmethod
    def remembered(cls, etag: str) -> dict | None:
        return cls._store().get(f"body:{etag}")

    def versioned_etag(self, request) -> tuple[str, bool] | None:
        """(the ETag, whether it is a remembered one of an older version still in the window), or None when the
        request takes the ordinary path."""
        # Inside a transaction the version may count changes not yet committed (SQLite's triggers run at once) or
        # miss the transaction's own (PostgreSQL's run at commit): only a request outside one may use it.
        if is_portal_user(request) or connection.in_atomic_block:
            return None
        digest = self.request_digest(request)
        store = self._store()
        recent = store.get(f"etag:{digest}")
        if recent is not None:
            etag, made_at = recent
            age = time.time() - made_at
            if age < settings.FRAGMENT_STALE_SECONDS:
                return etag, True
            # Past the window: one worker makes the answer again while the others answer with the older one (at
            # most MAKING_GRACE_SECONDS more), rather than every worker making the same list at once.
            if age < settings.FRAGMENT_STALE_SECONDS + self.MAKING_GRACE_SECONDS:
                making = f"making:{digest}"
                if not store.add(making, True, self.MAKING_GRACE_SECONDS):
                    return etag, True
                self.making = making
        version = data_version()
        if version is None:
            return None
        return f'"v{version}-{digest}"', False

    @staticmethod
    def request_digest(request) -> str:
        key = repr(
            (
                request.build_absolute_uri("/"),  # the body's links are absolute
                request.path,
                sorted(request.query_params.lists()),
                request.accepted_renderer.format,
                getattr(request, "LANGUAGE_CODE", ""),
                timezone.localdate().isoformat(),
            )
        )
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def get(self, request, *args, **kwargs):
        try:
            return self._versioned_get(request, *args, **kwargs)
        finally:
            if self.making:
                self._store().delete(self.making)

    def _versioned_get(self, request, *args, **kwargs):
        versioned = self.versioned_etag(request)
        if versioned is None:
            return super().get(request, *args, **kwargs)
        etag, from_window = versioned
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response, cached = HttpResponseNotModified(), None
        else:
            cached = self.remembered(etag)
            if cached is None and from_window:  # the body is gone (culled): the current version's, made now
                version = data_version()
                if version is None:
                    return super().get(request, *args, **kwargs)
                etag = f'"v{version}-{self.request_digest(request)}"'
                cached = self.remembered(etag)
            if cached is None:
                response = super().get(request, *args, **kwargs)
                response.portal_etag = etag
                return response
            response = HttpResponse(cached["body"], content_type=cached["content_type"])
        response.headers["ETag"] = etag
        last_modified = None
        if cached is not None and cached["last_modified"]:
            response.headers["Last-Modified"] = cached["last_modified"]
            last_modified = parse_http_date_safe(cached["last_modified"])
        response.headers["Cache-Control"] = "public, max-age=60"
        response.headers["Vary"] = "Accept, Authorization, Cookie, Origin"
        if cached is None:
            return response
        return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)

    def remember(self, etag: str, response) -> None:
        store = self._store()
        store.set(
            f"body:{etag}",
            {
                "body": response.content,
                "content_type": response.headers["Content-Type"],
                "last_modified": response.headers.get("Last-Modified"),
            },
            self.REMEMBER_SECONDS,
        )
        digest = etag.strip('"').split("-", 1)[1]
        made = store.get(f"etag:{digest}")
        # The newest version's ETag stays: another worker may have made a newer body meanwhile.
        if made is None or _etag_version(made[0]) < _etag_version(etag):
            store.set(f"etag:{digest}", (etag, time.time()), self.REMEMBER_SECONDS)


def _etag_version(etag: str) -> int:
    return int(etag.strip('"').split("-", 1)[0][1:])


class PortalListView(mixins.ListModelMixin, PortalReadOnlyView):
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


SLUG = re.compile(r"[-a-zA-Z0-9_]+")
NUMBER = re.compile(r"[0-9]{1,18}")  # within a 64-bit integer column


class PortalDetailView(mixins.RetrieveModelMixin, PortalReadOnlyView):
    """One object. Its URL pattern takes any path segment (``<slug>``, ``<str:program>``, not ``<slug:slug>``):
    a value that ``<slug:…>`` or ``<int:…>`` would not match never reached the API and got the portal's HTML
    "not found" page, which is not what the API documents. Here each value is checked against its pattern
    instead (``path_patterns``; a slug unless said otherwise) and one that cannot name an object gets the API's
    404, before it gets near the database (NUL bytes, "abc" for a number)."""

    path_patterns: dict[str, re.Pattern[str]] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, value in kwargs.items():
            if not self.path_patterns.get(name, SLUG).fullmatch(value):
                raise exceptions.NotFound

    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)
