"""WeasyPrint glue. Imported only when a PDF is made (``rendering.render_pdf``), so the portal starts on a
machine without Pango.

The renderer never reaches the network or the file system on its own: ``StaticOnlyURLFetcher`` serves our own
static files (found through the staticfiles finders, as ``{% static %}`` would) and ``data:`` URIs, and refuses
everything else — ``file:``, ``http(s):`` (redirects included, since nothing is ever fetched over HTTP) and any
other scheme. Staff-written text is escaped before it gets here; the fetcher is the second line of defence."""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

import weasyprint
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Static files are addressed under this origin in the PDF's HTML. ".invalid" is reserved (RFC 2606), so even a
# fetcher that went wrong could not reach a real host with it; ours never opens a connection at all.
STATIC_ORIGIN = "https://static.aarsrapport.invalid/"


class RefusedURL(ValueError):
    """A URL the report may not load. WeasyPrint logs it and renders without the resource."""


class StaticOnlyURLFetcher(URLFetcher):
    def __init__(self):
        super().__init__(timeout=1, allowed_protocols=("data", "https"), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url, headers)
        except RefusedURL:
            self.refused.append(url)
            raise

    def _fetch(self, url, headers):
        if url.startswith("data:"):
            # urllib's DataHandler decodes it in memory.
            return super().fetch(url, headers)
        if not url.startswith(STATIC_ORIGIN):
            raise RefusedURL(f"The annual report only loads its own static files, not {url[:80]!r}")
        path = unquote(urlsplit(url).path).lstrip("/")
        normalised = posixpath.normpath(path)
        if not path or normalised.startswith(("..", "/")) or normalised != path:
            raise RefusedURL(f"Not a static file path: {path[:80]!r}")
        found = finders.find(normalised)
        if not found:
            raise RefusedURL(f"No such static file: {normalised!r}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(normalised)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def write_pdf(*, html: str, title: str) -> bytes:
    """The tagged (PDF/UA-1) PDF of the report's HTML."""
    document = weasyprint.HTML(string=html, base_url=STATIC_ORIGIN, url_fetcher=StaticOnlyURLFetcher()).render()
    document.metadata.title = title
    return document.write_pdf(pdf_variant="pdf/ua-1")
