from django.conf import settings
from django.utils.functional import SimpleLazyObject

from handlingsprogram import selectors
from rapportering.selectors import demo_data_exists


def portal(request):
    """The current programme for the navigation, and whether the database holds demo data (for the banner),
    each looked up only if a template uses it: one query each at most per page."""
    return {
        "current_programme": SimpleLazyObject(selectors.programme_current),
        "password_login": settings.PASSWORD_LOGIN,
        "demo_data": _LazyBool(demo_data_exists),
    }


class _LazyBool:
    """A boolean computed on first use (SimpleLazyObject cannot proxy ``bool``: the template's ``{% if %}`` would
    see the wrapper, always true)."""

    def __init__(self, compute):
        self._compute = compute
        self._value = None

    def __bool__(self) -> bool:
        if self._value is None:
            self._value = bool(self._compute())
        return self._value
