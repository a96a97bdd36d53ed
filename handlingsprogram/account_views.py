"""The login page: password login (Django's LoginView) beside "Log in with Microsoft Entra ID" when that is
configured, and password login switched off entirely with DJANGO_PASSWORD_LOGIN=false. The password-change page
checks the old password as a login, so django-axes counts and locks it out the same way."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import Http404
from django.urls import reverse

from .entra_config import PROVIDER_ID


def entra_login_url() -> str | None:
    if not settings.ENTRA_CLIENT_ID:
        return None
    return reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})


class PortalAuthenticationForm(AuthenticationForm):
    """Django's login form gives the username a maximum length only as an HTML attribute. Refused here, before
    authenticate(): allauth's backend looks a username up case-insensitively, and SQLite refuses a LIKE pattern
    over 50 000 bytes with an error (a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class PortalLoginView(auth_views.LoginView):
    template_name = "konto/login.html"
    authentication_form = PortalAuthenticationForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entra_login_url"] = entra_login_url()
        context["password_login"] = settings.PASSWORD_LOGIN
        return context

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            # No form to post to: the page only offers Entra ID. Nothing is checked, nothing is counted.
            return self.render_to_response(self.get_context_data(password_refused=True), status=403)
        return super().post(request, *args, **kwargs)


def password_login_only(view):
    """Password change and reset exist only while password login is on."""

    def wrapped(request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__dict__.update(view.__dict__)  # keeps the access declaration (public/authenticated)
    wrapped.__name__ = getattr(view, "__name__", "view")
    wrapped.__doc__ = view.__doc__
    return wrapped


class LoginCountedPasswordChangeForm(PasswordChangeForm):
    """Checks the old password with authenticate(), as the login form does, rather than user.check_password():
    django-axes then counts a wrong one against the account and the address, refuses a locked-out one before the
    password is checked, and its middleware answers with the lockout page. Without it, the page was a way to guess
    a logged-in account's password with no limit."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    form_class = LoginCountedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
