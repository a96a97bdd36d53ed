from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel
from .kilde import HasKilder


class Baerekraftsmaal(TimestampedModel):
    """One of the UN's 17 sustainable development goals (reference data)."""

    nummer = models.PositiveSmallIntegerField(_("number"), unique=True)
    navn = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["nummer"]
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")
        constraints = [
            models.CheckConstraint(condition=Q(nummer__gte=1, nummer__lte=17), name="baerekraftsmaal_1_to_17"),
        ]

    def __str__(self):
        return f"{self.nummer}. {self.navn}"


class Styringsdokument(HasKilder, TimestampedModel):
    """A plan, strategy or national white paper the programme is derived from."""

    class Type(models.TextChoices):
        REGIONAL_PLAN = "regional_plan", _("Regional plan")
        REGIONAL_STRATEGI = "regional_strategi", _("Regional strategy")
        MAALDOKUMENT = "maaldokument", _("Goal document")
        NASJONAL_FOERING = "nasjonal_foering", _("National guideline")

    tittel = models.CharField(_("title"), max_length=300, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    periode = models.CharField(_("period"), max_length=40, blank=True, help_text=_("For example 2019–2030."))
    url = models.URLField(_("web address"), max_length=500, blank=True)
    rekkefoelge = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["rekkefoelge", "tittel"]
        verbose_name = _("governing document")
        verbose_name_plural = _("governing documents")

    def __str__(self):
        return self.tittel


class Maal(HasKilder, TimestampedModel):
    """A goal or ambition from a styringsdokument (Vedlegg 1 and the retningsmål)."""

    class Type(models.TextChoices):
        RETNINGSMAAL = "retningsmaal", _("Overarching goal")
        MAAL = "maal", _("Goal")

    styringsdokument = models.ForeignKey(
        Styringsdokument, on_delete=models.CASCADE, related_name="maal", verbose_name=_("governing document")
    )
    nummer = models.PositiveSmallIntegerField(_("number"))
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.MAAL)
    tekst = models.TextField(_("text"))

    class Meta:
        ordering = ["styringsdokument__rekkefoelge", "styringsdokument", "nummer"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(fields=["styringsdokument", "nummer"], name="maal_unique_number"),
        ]

    def __str__(self):
        return self.tekst


class Finansieringsprogram(HasKilder, TimestampedModel):
    """An EU/EØS or Nordic funding programme (Vedlegg 2), possibly a sub-programme of another."""

    navn = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    forelder = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delprogrammer",
        verbose_name=_("parent programme"),
    )
    beskrivelse = models.TextField(_("description"), blank=True)
    period_start = models.PositiveSmallIntegerField(_("period start"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("period end"), null=True, blank=True)
    budsjett = models.DecimalField(_("budget"), max_digits=16, decimal_places=0, null=True, blank=True)
    budsjett_valuta = models.CharField(
        _("budget currency"), max_length=3, blank=True, choices=[("EUR", "EUR"), ("NOK", "NOK")]
    )
    budsjett_merknad = models.CharField(
        _("budget note"), max_length=300, blank=True, help_text=_("What the budget covers, as the source says.")
    )
    url = models.URLField(_("web address"), max_length=500, blank=True)
    rekkefoelge = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["rekkefoelge", "navn"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="finansieringsprogram_period_order",
            ),
            models.CheckConstraint(
                condition=Q(budsjett__isnull=True) | ~Q(budsjett_valuta=""),
                name="finansieringsprogram_budget_has_currency",
            ),
        ]

    def __str__(self):
        return self.navn
