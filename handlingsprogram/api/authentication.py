"""Partner API keys and rate limits. DRF imports these classes from settings while it is itself being
imported, so this module must not import DRF's views or generics."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from felles.api.throttling import WindowedRateThrottle
from felles.client_address import client_address
from handlingsprogram.models import ApiToken
from handlingsprogram.models.api_token import hash_key

# last_used_at is written at most this often per token, so a busy partner does not cost a write per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer <key>``) from a partner. A partner is not a portal user:
    the request stays anonymous (public data only) and ``request.auth`` is the token, which lifts the rate
    limit. A wrong or revoked key is refused outright rather than silently treated as anonymous."""

    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be “Token <key>”."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API key is not valid.")) from None
        token = ApiToken.objects.active().filter(key_hash=hash_key(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("The API key is not valid, or it has been revoked."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The partner key in the OpenAPI description; drf-spectacular finds it once this module is imported, which
    it is wherever ApiTokenAuthentication is in use."""

    target_class = ApiTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A partner's key from a coordinator, sent as 'Token <key>'. Optional: it only lifts "
            "the rate limit.",
        }


class ClientAddressThrottle(WindowedRateThrottle):
    """DRF's own get_ident trusts X-Forwarded-For whenever NUM_PROXIES is unset, so a client could rotate the
    header to get a fresh allowance per request. Every throttle here identifies a client the way the login
    lockout does instead (felles.client_address). Counted per window without a cache write per request
    (felles/api/throttling.py)."""

    def get_ident(self, request):
        return client_address(request) or ""


class AnonymousClientThrottle(ClientAddressThrottle):
    """The modest limit for clients without a key, per address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerThrottle(ClientAddressThrottle):
    """The higher limit for a partner's key, per key (so one partner's many servers share it)."""

    scope = "partner"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PortalUserThrottle(ClientAddressThrottle):
    """Staff logged in to the portal, per user."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
