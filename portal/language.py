"""Which language a request is answered in (settings.LANGUAGES: bokmål, and English beside it).

The pages: the language the user chose with the language switch in the header (Django's ``set_language`` keeps
it in a cookie), else bokmål. The browser's Accept-Language does not switch the pages: most of the portal's users
are public servants in Norway whose browsers often ask for English first, and the portal's language is bokmål
unless they choose otherwise (README, "Språk").

The API (``/api/``: its JSON, error messages and the Swagger/Redoc documentation) is for programs and partners:
there the request's Accept-Language decides, and without one the answer is bokmål. No URL carries a language
prefix, so every page and API path is the same in both languages."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"
# Any Norwegian (generic "no", and nynorsk, which the portal does not have) is answered in bokmål, not English.
_NORWEGIAN = {"no", "nn"}


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    if code.lower().split("-")[0] in _NORWEGIAN:
        return settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def _from_accept_language(request) -> str | None:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        if language := _supported(code):
            return language
    return None


def request_language(request) -> str:
    if request.path_info.startswith(API_PREFIX):
        return _from_accept_language(request) or settings.LANGUAGE_CODE
    return _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


class PortalLocaleMiddleware:
    """Activates the request's language (``request_language``) for the request, and says so in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # A shared cache must keep one copy per language: the API's depends on the header, a page's on the cookie.
        is_api = request.path_info.startswith(API_PREFIX)
        patch_vary_headers(response, ("Accept-Language",) if is_api else ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
