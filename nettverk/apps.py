from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NettverkConfig(AppConfig):
    name = "nettverk"
    verbose_name = _("Networks")
