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


def user_may_see_drafts(user) -> bool:
    """A draft programme (a roll-over not yet adopted) is for staff: case officers and coordinators."""
    from .models import User

    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.rolle in (User.Rolle.SAKSBEHANDLER, User.Rolle.KOORDINATOR)
    )


def user_may_read_comments(user) -> bool:
    """Comments on entries are internal: every logged-in, active user (leser included) reads them."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def user_may_comment(user) -> bool:
    """Case officers and coordinators write comments (as they write the entries); a leser only reads."""
    return user_may_see_drafts(user)


def user_may_hide_comments(user) -> bool:
    return bool(user_may_comment(user) and user.is_koordinator)


def user_is_comment_author(user, kommentar) -> bool:
    return bool(user.is_authenticated and kommentar.author_id == user.pk)


def user_may_edit_comment(user, kommentar, *, now=None) -> bool:
    """Its author, while it is not hidden and for ``Kommentar.EDIT_MINUTES`` after it was written."""
    from django.utils import timezone

    now = now or timezone.now()
    return (
        user_is_comment_author(user, kommentar)
        and not kommentar.is_hidden
        and now <= kommentar.edit_deadline()
        and user_may_comment(user)
    )


def user_may_roll_over(user) -> bool:
    """Rolling a programme over, deciding each tiltak's fate and recording the adoption are the coordinators'."""
    return user_is_koordinator(user)


# User accounts in the admin. A coordinator manages readers' and case officers' accounts; coordinator and superuser
# accounts, roles above case officer and every password stay with superusers, so that no coordinator can take over
# (or make) an account with more power than their own. Passwords include the address a reset link is mailed to.


def user_is_superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def account_is_privileged(account) -> bool:
    """Coordinator and superuser accounts (by role, active or not: reactivating one is as good as making one)."""
    from .models import User

    return bool(account.is_superuser or account.rolle == User.Rolle.KOORDINATOR)


def user_may_change_account(user, account) -> bool:
    if user_is_superuser(user):
        return True
    return user_is_koordinator(user) and not account_is_privileged(account)


def roles_user_may_grant(user) -> list[str]:
    from .models import User

    if user_is_superuser(user):
        return list(User.Rolle.values)
    return [User.Rolle.LESER, User.Rolle.SAKSBEHANDLER] if user_is_koordinator(user) else []


def user_may_set_passwords(user) -> bool:
    """Setting someone's password (or the e-mail address a reset link goes to) is taking their account over."""
    return user_is_superuser(user)


def user_may_create_api_tokens(user) -> bool:
    """Partner API keys are given by coordinators (the admin, where they are made, is theirs alone)."""
    return user_is_koordinator(user)


def account_may_have_password(account) -> bool:
    """An account made by an Entra ID login never gets a password: Entra ID decides who gets in (its groups are
    checked at every Entra ID login), and a password would be a way in that outlives the groups."""
    from . import selectors

    return not selectors.user_has_entra_login(user=account)


class NoPasswordForEntraAccountsBackend:
    """Refuses every password login to an account that logs in with Entra ID, on every login form (the portal's and
    the admin's), whatever password it may hold. Listed before the backends that check passwords: raising
    PermissionDenied stops Django's authenticate() there (it then counts as a failed login for django-axes).

    Refusing these accounts outright, rather than re-checking their groups, is the simple rule that holds: the
    portal only learns an account's groups when it logs in through Entra ID, so a password login could never know
    that the groups were removed.

    It has no get_user(): no session is ever this backend's (and Django's test client would pick it for
    force_login if it had one)."""

    def authenticate(self, request, username=None, password=None, **credentials):
        from django.core.exceptions import PermissionDenied

        from . import selectors

        if username and password is not None and selectors.username_has_entra_login(username=username):
            raise PermissionDenied
        return None


class RolePermissionBackend:
    """Model permissions follow the portal role: a koordinator maintains the programme, the measures and
    the networks in the admin, can see and lift login lockouts (django-axes), and can look up annual reports,
    their PDF generations and the background task queue (those admins are read-only: is the worker running?).
    User accounts' superuser and staff flags stay with superusers."""

    MAINTAINED_APPS = {
        "handlingsprogram",
        "tiltak",
        "resultater",
        "nettverk",
        "axes",
        "rapportering",
        "django_tasks_database",
    }

    def authenticate(self, request, **credentials):
        return None

    def _grants(self, user_obj) -> bool:
        return bool(user_obj.is_active and not user_obj.is_anonymous and user_obj.is_koordinator)

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        app_label = perm.split(".", 1)[0]
        return self._grants(user_obj) and app_label in self.MAINTAINED_APPS

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return self._grants(user_obj) and app_label in self.MAINTAINED_APPS


# Provenance (Kilde). Confirming or correcting what the portal inferred about the programme is the coordinators'
# work: they keep the programme structure.


def user_may_review_kilder(user) -> bool:
    return user_is_koordinator(user)
