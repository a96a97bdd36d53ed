from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .aktoer import Aktoer
from .base import TimestampedModel
from .kilde import HasKilder
from .reference import Baerekraftsmaal, Maal, Styringsdokument


class HandlingsprogramQuerySet(models.QuerySet):
    def current(self):
        """The programme the portal shows by default: the newest one by period."""
        return self.order_by("-start_year", "-end_year").first()


class Handlingsprogram(TimestampedModel):
    """One programme period, adopted by Fylkesutvalget and owned by TRFK and IN Trøndelag."""

    navn = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    innledning = models.TextField(_("introduction"), blank=True)
    vedtak = models.CharField(
        _("decision"), max_length=300, blank=True, help_text=_("Who adopted the programme, and when.")
    )
    is_closed = models.BooleanField(
        _("closed"), default=False, help_text=_("A closed programme takes no more progress reports.")
    )
    eiere = models.ManyToManyField(Aktoer, related_name="eide_handlingsprogrammer", verbose_name=_("owners"))
    styringsdokumenter = models.ManyToManyField(
        Styringsdokument, blank=True, related_name="handlingsprogrammer", verbose_name=_("governing documents")
    )
    forgjenger = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="etterfoelger",
        verbose_name=_("rolled over from"),
    )

    objects = HandlingsprogramQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("action programme")
        verbose_name_plural = _("action programmes")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="handlingsprogram_end_after_start"),
            models.CheckConstraint(
                condition=Q(start_year__gte=1990, start_year__lte=2100), name="handlingsprogram_sane_start_year"
            ),
        ]

    def __str__(self):
        return self.navn

    def get_absolute_url(self):
        return reverse("tiltak:programme", kwargs={"program": self.slug})


class PrioritertOmraade(HasKilder, TimestampedModel):
    """One of the programme's priority areas (2.1–2.4 in the 2020–2023 document)."""

    handlingsprogram = models.ForeignKey(
        Handlingsprogram, on_delete=models.CASCADE, related_name="omraader", verbose_name=_("action programme")
    )
    nummer = models.PositiveSmallIntegerField(_("number"))
    navn = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    innledning = models.TextField(_("introduction"), blank=True)
    baerekraftsmaal = models.ManyToManyField(
        Baerekraftsmaal, blank=True, related_name="omraader", verbose_name=_("sustainable development goals")
    )
    maal = models.ManyToManyField(Maal, blank=True, related_name="omraader", verbose_name=_("goals"))

    class Meta:
        ordering = ["handlingsprogram", "nummer"]
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        constraints = [
            models.UniqueConstraint(fields=["handlingsprogram", "nummer"], name="omraade_unique_number"),
            models.UniqueConstraint(fields=["handlingsprogram", "slug"], name="omraade_unique_slug"),
            models.CheckConstraint(condition=Q(nummer__gte=1), name="omraade_number_positive"),
        ]

    def __str__(self):
        return f"{self.nummer} {self.navn}"

    @property
    def innledning_ingress(self) -> str:
        """The introduction's first paragraph, for the overview page."""
        return self.innledning.strip().split("\n\n", 1)[0]

    def get_absolute_url(self):
        return reverse("tiltak:omraade", kwargs={"program": self.handlingsprogram.slug, "omraade": self.slug})


class Innsatsomraade(HasKilder, TimestampedModel):
    """A focus area: the ▪ headings in a priority area's TILTAK box."""

    omraade = models.ForeignKey(
        PrioritertOmraade,
        on_delete=models.CASCADE,
        related_name="innsatsomraader",
        verbose_name=_("priority area"),
    )
    nummer = models.PositiveSmallIntegerField(_("number"))
    navn = models.CharField(_("name"), max_length=300)
    # The document names its focus areas twice: as the headings of each area's TILTAK box (navn) and, differently,
    # in the overview box of chapter 1.1 («… HAR FIRE HOVEDTILTAK»). Both are the document's words.
    navn_oversikt = models.CharField(
        _("name in the programme overview"),
        max_length=300,
        blank=True,
        help_text=_("The name the overview of the programme (chapter 1.1) gives, where it has one."),
    )

    class Meta:
        ordering = ["omraade", "nummer"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.UniqueConstraint(fields=["omraade", "nummer"], name="innsatsomraade_unique_number"),
            models.CheckConstraint(condition=Q(nummer__gte=1), name="innsatsomraade_number_positive"),
        ]

    def __str__(self):
        return f"{self.kode} {self.navn}"

    @property
    def kode(self) -> str:
        return f"{self.omraade.nummer}.{self.nummer}"
