from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultaterConfig(AppConfig):
    name = "resultater"
    verbose_name = _("Results")

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
        from .tiltak_page import register_tiltak_page_section

        register_tiltak_page_section()
