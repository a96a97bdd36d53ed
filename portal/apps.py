from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    """The Django project: settings, URLs, middleware, the admin site, the programme loader and demo data (with
    their ``load_*`` commands) and the pages that draw on several apps (the dashboard)."""

    default = True
    name = "portal"
    verbose_name = "Handlingsprogram-portalen"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .data_version import ensure_triggers
        from .junk_input import register_lookups
        from .operations import session_mark_seen

        user_logged_in.connect(session_mark_seen, dispatch_uid="portal.session_mark_seen")
        register_lookups()
        # Tables added by later migrations get the data version's triggers too (portal/data_version.py).
        post_migrate.connect(ensure_triggers, sender=self, dispatch_uid="portal.data_version.ensure_triggers")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site class, which only lets coordinators in."""

    default = False
    default_site = "portal.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()  # autodiscovers every app's admin.py, allauth's included
        from allauth.account.models import EmailAddress
        from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
        from django.contrib import admin

        # The Entra ID app is configured from the environment (no SocialApp rows), tokens are not stored, e-mail
        # addresses are not used for login, and the link between a user and their Entra ID account is not for
        # editing by hand: kept out of the admin, so nobody changes there what the login depends on.
        for model in (EmailAddress, SocialAccount, SocialApp, SocialToken):
            if admin.site.is_registered(model):
                admin.site.unregister(model)

        from .third_party_admin import install

        install(admin.site)
