"""Who may do what in the programme app, and the access declarations every view carries.

Every view is wrapped in exactly one of the decorators below; ``tests/test_url_access.py`` walks every URL
name and fails for a view without a declaration, so a new view cannot be added without deciding who may
use it.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required

ACCESS_ATTRIBUTE = "portal_access"


def _declare(view, access: str):
    setattr(view, ACCESS_ATTRIBUTE, access)
    return view


def public(view):
    """Anyone, logged in or not, may use the view: it shows only public programme data."""
    return _declare(view, "public")


def authenticated(view):
    """Any logged-in user (leser, saksbehandler, koordinator)."""
    return _declare(login_required(view), "authenticated")


def user_is_koordinator(user) -> bool:
    return bool(user.is_authenticated and user.is_koordinator)


def koordinator_only(view):
    """Only coordinators; others get 403, anonymous users are sent to log in."""
    from django.core.exceptions import PermissionDenied

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not user_is_koordinator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _declare(login_required(wrapped), "koordinator")


class RolePermissionBackend:
    """Model permissions follow the portal role: a koordinator maintains the programme, the measures and
    the networks in the admin, can see and lift login lockouts (django-axes), and can look up annual reports,
    their PDF generations and the background task queue (those admins are read-only: is the worker running?).
    User accounts' superuser and staff flags stay with superusers."""

    MAINTAINED_APPS = {"handlingsprogram", "tiltak", "nettverk", "axes", "rapportering", "django_tasks_database"}

    def authenticate(self, request, **credentials):
        return None

    def _grants(self, user_obj) -> bool:
        return bool(user_obj.is_active and not user_obj.is_anonymous and user_obj.is_koordinator)

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        app_label = perm.split(".", 1)[0]
        return self._grants(user_obj) and app_label in self.MAINTAINED_APPS

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return self._grants(user_obj) and app_label in self.MAINTAINED_APPS
