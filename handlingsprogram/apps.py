from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class HandlingsprogramConfig(AppConfig):
    default = True
    name = "handlingsprogram"
    verbose_name = _("Action programme")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .operations import session_mark_seen

        user_logged_in.connect(session_mark_seen, dispatch_uid="handlingsprogram.session_mark_seen")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site class, which only lets coordinators in."""

    default = False
    default_site = "handlingsprogram.admin_site.PortalAdminSite"
