"""International projects (prosjekter) with the funding they bring to Trøndelag, the exchange rates that turn
that funding into NOK, and the spreadsheet imports that create or update projects in bulk."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from handlingsprogram.models import Aktoer, Finansieringsprogram
from handlingsprogram.models.base import TimestampedModel
from tiltak.models import Tiltak


class Valuta(models.TextChoices):
    """The currencies a grant can be given in. NOK needs no exchange rate."""

    NOK = "NOK", "NOK"
    EUR = "EUR", "EUR"
    SEK = "SEK", "SEK"
    DKK = "DKK", "DKK"
    USD = "USD", "USD"
    GBP = "GBP", "GBP"
    ISK = "ISK", "ISK"


class Valutakurs(TimestampedModel):
    """What one unit of a currency was worth in NOK in a year, as a coordinator entered it (e.g. Norges Bank's
    annual average). Funding sums in NOK use the rate of the project's start year; nothing is looked up online."""

    aar = models.PositiveSmallIntegerField(_("year"))
    valuta = models.CharField(_("currency"), max_length=3, choices=Valuta.choices)
    kurs = models.DecimalField(_("rate (NOK per unit)"), max_digits=12, decimal_places=4)
    kilde = models.CharField(_("source"), max_length=300, blank=True)
    # Set by load_demo only: made-up content for trying the portal, marked wherever it is shown.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-aar", "valuta"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["aar", "valuta"], name="valutakurs_one_per_year"),
            models.CheckConstraint(condition=Q(kurs__gt=0), name="valutakurs_positive"),
            models.CheckConstraint(condition=~Q(valuta="NOK"), name="valutakurs_not_nok"),
        ]

    def __str__(self):
        return f"{self.valuta} {self.aar}: {self.kurs}"


class Prosjekt(TimestampedModel):
    """An international project with funding from a finansieringsprogram, and the tiltak it serves."""

    class Rolle(models.TextChoices):
        KOORDINATOR = "koordinator", _("Lead partner")
        PARTNER = "partner", _("Partner")
        ASSOSIERT = "assosiert", _("Associated partner")

    class Status(models.TextChoices):
        SOEKT = "soekt", _("Applied")
        INNVILGET = "innvilget", _("Granted")
        AVSLUTTET = "avsluttet", _("Completed")
        AVSLAATT = "avslaatt", _("Rejected")

    # The statuses whose grant is money Trøndelag has: the funding summaries count only these.
    FUNDED = (Status.INNVILGET, Status.AVSLUTTET)

    ekstern_id = models.CharField(
        _("project number"),
        max_length=100,
        unique=True,
        help_text=_("The funding programme's project or grant agreement number. Imports match rows by it."),
    )
    navn = models.CharField(_("name"), max_length=300)
    akronym = models.CharField(_("acronym"), max_length=50, blank=True)
    finansieringsprogram = models.ForeignKey(
        Finansieringsprogram, on_delete=models.PROTECT, related_name="prosjekter", verbose_name=_("funding programme")
    )
    utlysning = models.CharField(
        _("sub-programme or call"), max_length=200, blank=True, help_text=_("E.g. «KA1 mobility in VET».")
    )
    rolle = models.CharField(_("Trøndelag's role"), max_length=20, choices=Rolle.choices)
    aktoerer = models.ManyToManyField(
        Aktoer, blank=True, related_name="prosjekter", verbose_name=_("Trøndelag organisations")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    totalbudsjett = models.DecimalField(_("total budget"), max_digits=16, decimal_places=2)
    innvilget_trondelag = models.DecimalField(_("granted to Trøndelag partners"), max_digits=16, decimal_places=2)
    valuta = models.CharField(_("currency"), max_length=3, choices=Valuta.choices)
    tiltak = models.ManyToManyField(Tiltak, blank=True, related_name="prosjekter", verbose_name=_("measures"))
    # Set by load_demo only: made-up content for trying the portal, marked wherever it is shown.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[aktoerer, tiltak])

    class Meta:
        ordering = ["-start_date", "navn", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="prosjekt_period_order"),
            models.CheckConstraint(
                condition=Q(innvilget_trondelag__gte=0) & Q(innvilget_trondelag__lte=F("totalbudsjett")),
                name="prosjekt_grant_within_budget",
            ),
        ]

    def __str__(self):
        return f"{self.akronym} – {self.navn}" if self.akronym else self.navn

    def get_absolute_url(self):
        return reverse("resultater:prosjekt_detail", kwargs={"pk": self.pk})

    @property
    def aar(self) -> int:
        """The year the funding is counted in: the project's start year."""
        return self.start_date.year


class ProsjektImport(models.Model):
    """One uploaded spreadsheet of projects, kept from the preview until it is imported (or abandoned), so the
    rows that are saved are exactly the rows the user saw."""

    fil = models.BinaryField(_("file"))
    filnavn = models.CharField(_("file name"), max_length=255)
    # The cells, read once at upload (prosjekt_import.rows_to_json): the preview and the import plan from these,
    # so a file is never unpacked again. Empty only for uploads made before the rows were kept.
    rader = models.JSONField(_("rows"), null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    antall_opprettet = models.PositiveIntegerField(_("created"), default=0)
    antall_oppdatert = models.PositiveIntegerField(_("updated"), default=0)
    antall_uendret = models.PositiveIntegerField(_("unchanged"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project import")
        verbose_name_plural = _("project imports")

    def __str__(self):
        return self.filnavn

    def get_absolute_url(self):
        return reverse("resultater:prosjekt_import_preview", kwargs={"pk": self.pk})
