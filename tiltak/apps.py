from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TiltakConfig(AppConfig):
    name = "tiltak"
    verbose_name = _("Measures")

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
        from .page_sections import TiltakPageSection, register
        from .rullering_selectors import lineage_section

        # Where the tiltak came from and went to across programme periods, before the apps' sections.
        register(
            TiltakPageSection(
                key="rullering", order=5, template="tiltak/_rullering_section.html", context=lineage_section
            )
        )
