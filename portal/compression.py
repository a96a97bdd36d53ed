"""Pages are sent compressed (issue 17: Lighthouse counted 110 KiB of the front page's 123 KiB as savings, on a
slow phone connection the better part of a second before anything is drawn). Static files are compressed ahead of
time by WhiteNoise (collectstatic) and never reach this middleware.

Only HTML pages: the partner API answers conditional GETs with ETags that compression would make weak, and its
clients have their own contract. Django's GZipMiddleware pads each response with random bytes (its mitigation of
the BREACH attack), and the CSRF token in the page is masked anew for every response as well."""

from django.middleware.gzip import GZipMiddleware


class HtmlGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
