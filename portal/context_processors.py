from django.conf import settings
from django.utils.functional import SimpleLazyObject

from handlingsprogram import selectors


def portal(request):
    """The current programme for the navigation, looked up only if a template uses it."""
    return {
        "current_programme": SimpleLazyObject(selectors.programme_current),
        "password_login": settings.PASSWORD_LOGIN,
    }
