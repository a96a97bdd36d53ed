from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from handlingsprogram.models import Aktoer, Enhet, PrioritertOmraade
from handlingsprogram.models.base import TimestampedModel
from tiltak.models import Tiltak


class Nettverk(TimestampedModel):
    """A network, organisation or arena where Trøndelag takes part (section 2.4, Vedlegg 3 and 4)."""

    class Type(models.TextChoices):
        POLITISK_SAMARBEID = "politisk_samarbeid", _("Political cooperation")
        INTERESSEORGANISASJON = "interesseorganisasjon", _("European interest organisation")
        ARBEIDSGRUPPE = "arbeidsgruppe", _("Working group")
        KONTOR = "kontor", _("Office")
        FORUM = "forum", _("Forum")
        NETTVERK = "nettverk", _("Network")
        KLYNGE = "klynge", _("Cluster")
        PROGRAMKOMITE = "programkomite", _("Programme committee")
        FORENING = "forening", _("Association")
        SAMARBEIDSAVTALE = "samarbeidsavtale", _("Cooperation agreement")

    class Geografi(models.TextChoices):
        NORDISK = "nordisk", _("Nordic")
        EUROPEISK = "europeisk", _("European")
        NASJONAL = "nasjonal", _("National")
        REGIONAL = "regional", _("Regional")
        GLOBAL = "global", _("Global")

    navn = models.CharField(_("name"), max_length=200, unique=True)
    kortnavn = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    forelder = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="undernettverk",
        verbose_name=_("part of"),
    )
    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    geografi = models.CharField(_("geography"), max_length=20, choices=Geografi.choices)
    beskrivelse = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    omraader = models.ManyToManyField(
        PrioritertOmraade, blank=True, related_name="nettverk", verbose_name=_("priority areas")
    )
    tiltak = models.ManyToManyField(Tiltak, blank=True, related_name="nettverk", verbose_name=_("measures"))
    rekkefoelge = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["rekkefoelge", "navn"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.CheckConstraint(condition=~Q(forelder=F("pk")), name="nettverk_not_own_parent"),
        ]

    def __str__(self):
        return self.navn

    def get_absolute_url(self):
        return reverse("nettverk:detail", kwargs={"slug": self.slug})


class Medlemskap(TimestampedModel):
    """An aktør's seat in a nettverk."""

    class Rolle(models.TextChoices):
        EIER = "eier", _("Owner")
        MEDLEM = "medlem", _("Member")
        STYRE = "styre", _("Board member")
        OBSERVATOER = "observatoer", _("Observer")
        SEKRETARIAT = "sekretariat", _("Secretariat")
        FORVALTNINGSANSVAR = "forvaltningsansvar", _("Managing authority")
        KOORDINATOR = "koordinator", _("Coordinator")
        DELTAKER = "deltaker", _("Participant")

    class Nivaa(models.TextChoices):
        POLITISK = "politisk", _("Political")
        ADMINISTRATIV = "administrativ", _("Administrative")

    nettverk = models.ForeignKey(
        Nettverk, on_delete=models.CASCADE, related_name="medlemskap", verbose_name=_("network")
    )
    aktoer = models.ForeignKey(Aktoer, on_delete=models.PROTECT, related_name="medlemskap", verbose_name=_("actor"))
    enhet = models.ForeignKey(
        Enhet, on_delete=models.PROTECT, null=True, blank=True, related_name="medlemskap", verbose_name=_("unit")
    )
    rolle = models.CharField(_("role"), max_length=30, choices=Rolle.choices)
    nivaa = models.CharField(_("level"), max_length=20, choices=Nivaa.choices)
    fra_dato = models.DateField(_("from"), null=True, blank=True)
    til_dato = models.DateField(_("until"), null=True, blank=True)
    representanter = models.TextField(_("representatives"), blank=True)
    merknad = models.TextField(_("remark"), blank=True)

    class Meta:
        ordering = ["nettverk", "aktoer__navn", "rolle", "nivaa"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(fra_dato__isnull=True) | Q(til_dato__isnull=True) | Q(til_dato__gte=F("fra_dato")),
                name="medlemskap_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["nettverk", "aktoer", "rolle", "nivaa"],
                condition=Q(fra_dato__isnull=True),
                name="medlemskap_unique_seat_undated",
            ),
            models.UniqueConstraint(
                fields=["nettverk", "aktoer", "rolle", "nivaa", "fra_dato"],
                condition=Q(fra_dato__isnull=False),
                name="medlemskap_unique_seat",
            ),
        ]

    def __str__(self):
        return f"{self.aktoer} – {self.nettverk} ({self.get_rolle_display()}, {self.get_nivaa_display()})"
