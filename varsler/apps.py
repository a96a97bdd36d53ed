from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VarslerConfig(AppConfig):
    name = "varsler"
    verbose_name = _("Notifications")
