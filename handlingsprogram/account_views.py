"""The login page: password login (Django's LoginView) beside "Log in with Microsoft Entra ID" when that is
configured, and password login switched off entirely with DJANGO_PASSWORD_LOGIN=false."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import reverse

from .entra_config import PROVIDER_ID


def entra_login_url() -> str | None:
    if not settings.ENTRA_CLIENT_ID:
        return None
    return reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})


class PortalLoginView(auth_views.LoginView):
    template_name = "konto/login.html"

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
