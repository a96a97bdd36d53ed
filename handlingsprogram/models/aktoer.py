from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel
from .kilde import HasKilder


class Aktoer(HasKilder, TimestampedModel):
    """An organisation that can hold responsibility for a tiltak or a seat in a nettverk."""

    class Type(models.TextChoices):
        FYLKESKOMMUNE = "fylkeskommune", _("County authority")
        KOMMUNE = "kommune", _("Municipality")
        STATLIG = "statlig", _("Government agency")
        FORSKNING_UTDANNING = "forskning_utdanning", _("Research and education")
        INTERESSEORGANISASJON = "interesseorganisasjon", _("Interest organisation")
        NAERINGSLIV = "naeringsliv", _("Business and industry")
        REGION = "region", _("Foreign region")
        ANNEN = "annen", _("Other")

    navn = models.CharField(_("name"), max_length=200, unique=True)
    kortnavn = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices, default=Type.ANNEN)
    url = models.URLField(_("web address"), blank=True)

    class Meta:
        ordering = ["navn"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self):
        return self.navn


class Enhet(HasKilder, TimestampedModel):
    """A unit inside an aktør (a county department, a regional office). Staff users belong to one."""

    aktoer = models.ForeignKey(Aktoer, on_delete=models.PROTECT, related_name="enheter", verbose_name=_("actor"))
    navn = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)

    class Meta:
        ordering = ["aktoer__navn", "navn"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["aktoer", "navn"], name="enhet_unique_name_per_aktoer"),
            models.UniqueConstraint(fields=["aktoer", "slug"], name="enhet_unique_slug_per_aktoer"),
        ]

    def __str__(self):
        return f"{self.navn} ({self.aktoer.kortnavn or self.aktoer.navn})"
