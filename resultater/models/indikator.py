"""Results: indikatorer with a baseline and a target, and their values per year (indikatorverdier)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from handlingsprogram.models import PrioritertOmraade
from handlingsprogram.models.base import TimestampedModel
from handlingsprogram.models.kilde import HasKilder
from tiltak.models import Tiltak


class Indikator(HasKilder, TimestampedModel):
    """A measurable result of a tiltak or of a whole priority area, e.g. the Erasmus+ mobility funding in EUR."""

    class Maaleenhet(models.TextChoices):
        EUR = "EUR", _("EUR")
        NOK = "NOK", _("NOK")
        ANTALL = "antall", pgettext_lazy("unit of measure", "number")
        PROSENT = "prosent", _("per cent")

    class Retning(models.TextChoices):
        HOEYERE = "hoeyere", _("Higher is better")
        LAVERE = "lavere", _("Lower is better")

    # An indikator belongs to what it measures and goes with it.
    tiltak = models.ForeignKey(
        Tiltak,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indikatorer",
        verbose_name=_("measure"),
    )
    omraade = models.ForeignKey(
        PrioritertOmraade,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indikatorer",
        verbose_name=_("priority area"),
    )
    navn = models.CharField(_("name"), max_length=200)
    beskrivelse = models.TextField(_("description"), blank=True)
    maaleenhet = models.CharField(_("unit of measure"), max_length=10, choices=Maaleenhet.choices)
    retning = models.CharField(_("direction"), max_length=10, choices=Retning.choices, default=Retning.HOEYERE)
    basis_verdi = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=2)
    basis_aar = models.PositiveSmallIntegerField(_("baseline year"))
    basis_kilde = models.CharField(_("baseline source"), max_length=500)
    maal_verdi = models.DecimalField(_("target value"), max_digits=16, decimal_places=2, null=True, blank=True)
    maal_aar = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    rekkefoelge = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["rekkefoelge", "navn", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            # An indikator measures exactly one thing: a tiltak or a priority area.
            models.CheckConstraint(
                condition=Q(tiltak__isnull=False, omraade__isnull=True) | Q(tiltak__isnull=True, omraade__isnull=False),
                name="indikator_one_owner",
            ),
            # A target is a value and a year, or nothing.
            models.CheckConstraint(
                condition=Q(maal_verdi__isnull=True, maal_aar__isnull=True)
                | Q(maal_verdi__isnull=False, maal_aar__isnull=False),
                name="indikator_target_complete",
            ),
        ]

    def __str__(self):
        return self.navn

    def get_absolute_url(self):
        return reverse("resultater:indikator_detail", kwargs={"pk": self.pk})

    @property
    def handlingsprogram(self):
        return self.omraade.handlingsprogram if self.omraade_id else self.tiltak.innsatsomraade.omraade.handlingsprogram

    @property
    def eier_label(self) -> str:
        """What the indikator measures, as a heading prefix: «Tiltak 2.3.3» or «Område 2 Utdanning og kompetanse»."""
        if self.tiltak_id:
            return _("Measure %(code)s") % {"code": self.tiltak.kode}
        return _("Priority area %(area)s") % {"area": self.omraade}

    @property
    def is_whole_number(self) -> bool:
        return self.maaleenhet == self.Maaleenhet.ANTALL

    def target_reached(self, verdi: Decimal) -> bool | None:
        if self.maal_verdi is None:
            return None
        if self.retning == self.Retning.HOEYERE:
            return verdi >= self.maal_verdi
        return verdi <= self.maal_verdi


class Indikatorverdi(models.Model):
    """The value of an indikator for one year. A correction overwrites it; the history keeps every version."""

    indikator = models.ForeignKey(
        Indikator, on_delete=models.CASCADE, related_name="verdier", verbose_name=_("indicator")
    )
    aar = models.PositiveSmallIntegerField(_("year"))
    verdi = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    kilde = models.CharField(_("source"), max_length=500)
    kommentar = models.TextField(_("comment"), blank=True)
    # Set by load_demo only: made-up content for trying the portal, marked wherever it is shown.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["indikator", "aar"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indikator", "aar"], name="indikatorverdi_one_per_year"),
        ]

    def __str__(self):
        return f"{self.indikator} {self.aar}: {self.verdi}"
