from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TiltakConfig(AppConfig):
    name = "tiltak"
    verbose_name = _("Measures")

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
