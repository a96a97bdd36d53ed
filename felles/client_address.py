"""The one answer to "which address is this client?", used by everything that counts or limits per address: the
login lockout (django-axes) and the API's rate limits. Two answers would let a client pick the laxer one."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """REMOTE_ADDR, unless settings.BEHIND_PROXY (DJANGO_BEHIND_PROXY) says our one reverse proxy sits in front:
    then the right-most X-Forwarded-For entry, the address the proxy itself appended. Any header a client sends
    directly, and the entries further left, could be forged to dodge a per-address limit, so they are never
    read. Behind the proxy, REMOTE_ADDR is the proxy itself and would put every client in one counter."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        right_most = forwarded[-1].strip()
        if right_most:
            try:
                return str(ipaddress.ip_address(right_most))
            except ValueError:
                pass  # not what our proxy writes; the proxy's own address is still a stable key
    return request.META.get("REMOTE_ADDR")
