"""What browsers and proxies may keep. Public pages and the partner API decide for themselves (the API answers
conditional GETs); anything shown to a logged-in user, and every draft of a report, is kept by nobody: not a
shared proxy, and not the browser's disk on a shared office PC after logout."""

PRIVATE_NO_STORE = "private, no-store"


def private_no_store(response):
    """Mark a response as never to be stored, whatever the middleware would have done (drafts, internal files)."""
    response["Cache-Control"] = PRIVATE_NO_STORE
    return response


class PrivateNoStoreMiddleware:
    """A response to a logged-in user gets ``Cache-Control: private, no-store`` unless the view chose its own
    (the API's conditional GET, the exports). Anonymous responses are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response
