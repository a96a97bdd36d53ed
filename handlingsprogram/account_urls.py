"""Log in, log out and passwords: Django's own auth views with the portal's templates under ``konto/``.

Failed logins are counted and locked out by django-axes (see the AXES_* settings); these views need nothing
extra for that, because axes hooks into ``authenticate()`` and its middleware answers a lockout with
``konto/lockout.html``. The password-change page checks the old password through ``authenticate()`` too."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .account_views import PortalLoginView, PortalPasswordChangeView, password_login_only
from .permissions import authenticated, public

app_name = "konto"

urlpatterns = [
    path("logg-inn/", public(PortalLoginView.as_view()), name="login"),
    # POST only (Django's LogoutView); anyone may post it, logged in or not.
    path("logg-ut/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "passord/",
        authenticated(
            PortalPasswordChangeView.as_view(
                template_name="konto/password_change_form.html",
                success_url=reverse_lazy("konto:password_change_done"),
            )
        ),
        name="password_change",
    ),
    path(
        "passord/endret/",
        authenticated(auth_views.PasswordChangeDoneView.as_view(template_name="konto/password_change_done.html")),
        name="password_change_done",
    ),
    path(
        "passord/tilbakestill/",
        public(
            auth_views.PasswordResetView.as_view(
                template_name="konto/password_reset_form.html",
                email_template_name="konto/password_reset_email.txt",
                subject_template_name="konto/password_reset_subject.txt",
                success_url=reverse_lazy("konto:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "passord/tilbakestill/sendt/",
        public(auth_views.PasswordResetDoneView.as_view(template_name="konto/password_reset_done.html")),
        name="password_reset_done",
    ),
    path(
        "passord/tilbakestill/fullfort/",
        public(auth_views.PasswordResetCompleteView.as_view(template_name="konto/password_reset_complete.html")),
        name="password_reset_complete",
    ),
    path(
        "passord/tilbakestill/<uidb64>/<token>/",
        public(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="konto/password_reset_confirm.html",
                success_url=reverse_lazy("konto:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
]

# Password change and reset exist only while password login is on (DJANGO_PASSWORD_LOGIN).
for pattern in urlpatterns:
    if pattern.name.startswith("password_"):
        pattern.callback = password_login_only(pattern.callback)
