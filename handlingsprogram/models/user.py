from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .aktoer import Enhet


class User(AbstractUser):
    """A portal user. Staff belong to an enhet; the role decides what they may do."""

    class Rolle(models.TextChoices):
        LESER = "leser", _("Reader")
        SAKSBEHANDLER = "saksbehandler", _("Case officer")
        KOORDINATOR = "koordinator", _("Coordinator")

    enhet = models.ForeignKey(
        Enhet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brukere",
        verbose_name=_("unit"),
    )
    rolle = models.CharField(_("role"), max_length=20, choices=Rolle.choices, default=Rolle.LESER)
    # Set by load_demo only: made-up content for trying the portal, marked wherever it is shown.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_koordinator(self) -> bool:
        return self.is_active and (self.rolle == self.Rolle.KOORDINATOR or self.is_superuser)
