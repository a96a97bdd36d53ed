"""Every URL of the portal declares who may use it (see handlingsprogram/permissions.py)."""

from django.urls import URLPattern, URLResolver, get_resolver

from handlingsprogram.permissions import ACCESS_ATTRIBUTE

PORTAL_APPS = {
    "portal",
    "handlingsprogram",
    "varsler",
    "tiltak",
    "resultater",
    "nettverk",
    "konto",
    "api",
    "rapportering",
}


def walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def test_every_portal_view_declares_access():
    checked = 0
    for namespace, pattern in walk(get_resolver().url_patterns):
        if namespace not in PORTAL_APPS:
            continue
        assert hasattr(pattern.callback, ACCESS_ATTRIBUTE), f"{namespace}:{pattern.name} declares no access"
        checked += 1
    assert checked >= 8
