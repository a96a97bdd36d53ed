from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .aktoer import Enhet
from .user import User

GROUP_ID_VALIDATOR = RegexValidator(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    _("Write the group's object ID as Entra ID shows it, e.g. 0f1e2d3c-aaaa-4bbb-8ccc-000000000001."),
)


class EntraGruppe(models.Model):
    """A Microsoft Entra ID group that gives access to the portal: members who log in with Entra ID get its role
    and, if it names one, its unit. Kept by coordinators in the admin. A user in several mapped groups gets the
    highest role among them, and the unit of the first group (by name) that names one; a user in none is refused."""

    gruppe_id = models.CharField(_("group object ID"), max_length=36, unique=True, validators=[GROUP_ID_VALIDATOR])
    navn = models.CharField(_("name"), max_length=200, help_text=_("The group's name in Entra ID, for people."))
    rolle = models.CharField(_("role"), max_length=20, choices=User.Rolle.choices)
    enhet = models.ForeignKey(
        Enhet, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )

    class Meta:
        ordering = ["navn"]
        verbose_name = _("Entra ID group")
        verbose_name_plural = _("Entra ID groups")

    def __str__(self):
        return f"{self.navn} ({self.get_rolle_display()})"

    def save(self, *args, **kwargs):
        self.gruppe_id = self.gruppe_id.lower()
        super().save(*args, **kwargs)
