from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VarslerConfig(AppConfig):
    name = "varsler"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_save

        from handlingsprogram.models import Kommentar

        from .services import kommentar_saved

        # A new comment tells whom it concerns, in the comment's transaction (handlingsprogram cannot import us).
        post_save.connect(kommentar_saved, sender=Kommentar, dispatch_uid="varsler.kommentar_saved")
