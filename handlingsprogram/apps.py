from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandlingsprogramConfig(AppConfig):
    default = True
    name = "handlingsprogram"
    verbose_name = _("Action programme")
