"""Limits on request bodies, enforced before a body is read or kept (the limits themselves are in settings).

Without them an anonymous 400 MB POST to the login page was written to a temporary file in full before anything
looked at it. Now:

- a body whose Content-Length is above ``REQUEST_BODY_MAX_BYTES`` is answered 413 without reading a byte of it;
- a file that passes ``UPLOAD_MAX_BYTES`` while it streams in stops the upload (the rest of the body is not read)
  and the request is answered 413 before any view sees the partial form.

Under WSGI Django reads at most Content-Length bytes and nothing at all from a body without one (a chunked
request), so together these bound what any request can make the server read, hold or write."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

# Set on the request by the upload handler, read by the middleware once the body is parsed.
_REFUSED = "_upload_refused"


def too_large_response() -> HttpResponse:
    # Plain text in the portal's language: this answers before sessions, the language middleware and
    # authentication, so no page with the portal's layout is possible.
    with translation.override(settings.LANGUAGE_CODE):
        message = _("The request is too large: at most %(mb)s MB can be uploaded.") % {
            "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        }
    response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads nothing of a body with a malformed length
        if declared > settings.REQUEST_BODY_MAX_BYTES:
            return too_large_response()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Parse an upload here, before CSRF and the view read the form, so that one the handler stopped is refused
        # as a whole: a view must never act on the fields that came before the stopped file.
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.POST  # noqa: B018 -- the parse itself is the point
            if getattr(request, _REFUSED, False):
                return too_large_response()
        return None


class FileSizeLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: counts each file's bytes as they arrive and, once one passes the largest
    file any form takes, stops the upload without reading the rest of the body (what the other handlers kept of
    it is closed and deleted by the parser)."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            setattr(self.request, _REFUSED, True)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file
