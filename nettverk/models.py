from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from felles.vedlegg import DocumentType
from handlingsprogram.models import Aktoer, Enhet, PrioritertOmraade
from handlingsprogram.models.base import TimestampedModel
from handlingsprogram.models.kilde import HasKilder
from handlingsprogram.models.kommentar import HasKommentarer
from tiltak.models import Tiltak


class Nettverk(HasKilder, TimestampedModel):
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


class Medlemskap(HasKilder, TimestampedModel):
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
        IKKE_OPPGITT = "ikke_oppgitt", _("Not stated")

    nettverk = models.ForeignKey(
        Nettverk, on_delete=models.CASCADE, related_name="medlemskap", verbose_name=_("network")
    )
    aktoer = models.ForeignKey(Aktoer, on_delete=models.PROTECT, related_name="medlemskap", verbose_name=_("actor"))
    enhet = models.ForeignKey(
        Enhet, on_delete=models.PROTECT, null=True, blank=True, related_name="medlemskap", verbose_name=_("unit")
    )
    rolle = models.CharField(_("role"), max_length=30, choices=Rolle.choices)
    nivaa = models.CharField(_("level"), max_length=20, choices=Nivaa.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    representanter = models.TextField(_("representatives"), blank=True)
    merknad = models.TextField(_("remark"), blank=True)

    # A coordinator may correct an inferred level («Utledet – til kontroll»): the history keeps what it was.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["nettverk", "aktoer__navn", "rolle", "nivaa"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="medlemskap_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["nettverk", "aktoer", "rolle", "nivaa"],
                condition=Q(start_date__isnull=True),
                name="medlemskap_unique_seat_undated",
            ),
            models.UniqueConstraint(
                fields=["nettverk", "aktoer", "rolle", "nivaa", "start_date"],
                condition=Q(start_date__isnull=False),
                name="medlemskap_unique_seat",
            ),
        ]

    def __str__(self):
        return f"{self.aktoer} – {self.nettverk} ({self.get_rolle_display()}, {self.get_nivaa_display()})"


# A meeting is attended at a level; "not stated" is only for a membership the programme document is silent on.
DELTAGELSE_NIVAA_CHOICES = [
    (Medlemskap.Nivaa.POLITISK.value, Medlemskap.Nivaa.POLITISK.label),
    (Medlemskap.Nivaa.ADMINISTRATIV.value, Medlemskap.Nivaa.ADMINISTRATIV.label),
]


class Deltagelse(HasKommentarer, TimestampedModel):
    """Trøndelag's participation in one meeting or event of a network, or an international delegation hosted
    (section 2.4: the work before and after meetings, shared and reported continuously).

    Public: the network, title, kind, dates, place, level, purpose and what happened and was decided. Internal
    (staff only): the participants, Trøndelag's positions, the preparation, the follow-up, what was learned and how
    it was shared. The status moves planlagt → forberedt → gjennomført → rapportert; ``services.missing_for`` says
    what each step needs."""

    class Type(models.TextChoices):
        MOETE = "moete", _("Meeting")
        ARRANGEMENT = "arrangement", _("Event or conference")
        BESOEK = "besoek", _("Incoming delegation hosted")

    class Status(models.TextChoices):
        PLANLAGT = "planlagt", _("Planned")
        FORBEREDT = "forberedt", _("Prepared")
        GJENNOMFOERT = "gjennomfoert", _("Held")
        RAPPORTERT = "rapportert", _("Reported")

    nettverk = models.ForeignKey(
        Nettverk, on_delete=models.PROTECT, related_name="deltagelser", verbose_name=_("network")
    )
    tittel = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("kind"), max_length=20, choices=Type.choices, default=Type.MOETE)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"), null=True, blank=True, help_text=_("Leave empty for a one-day event."))
    sted = models.CharField(_("place"), max_length=200, blank=True)
    nivaa = models.CharField(_("level"), max_length=20, choices=DELTAGELSE_NIVAA_CHOICES)
    deltakere = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="deltagelser", verbose_name=_("participants in the portal")
    )
    eksterne_deltakere = models.TextField(
        _("other participants"), blank=True, help_text=_("Names and organisations of people without a portal account.")
    )
    tiltak = models.ManyToManyField(Tiltak, blank=True, related_name="deltagelser", verbose_name=_("measures served"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANLAGT)

    # Before the meeting.
    formaal = models.TextField(_("purpose"), blank=True)
    posisjoner = models.TextField(_("Trøndelag's positions or mandate"), blank=True)
    forberedelser = models.TextField(_("preparation done"), blank=True)
    # After the meeting.
    referat = models.TextField(_("what happened and was decided"), blank=True)
    oppfoelging = models.TextField(_("follow-up"), blank=True)
    laering = models.TextField(_("what was learned"), blank=True)
    deling = models.TextField(_("how and with whom it was shared"), blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    # When the participants were reminded of a missing report-back (once per meeting; send_deltagelse_paaminnelser).
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    # Set by load_demo only: made-up content for trying the portal, marked wherever it is shown.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registrerte_deltagelser",
        verbose_name=_("registered by"),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[deltakere, tiltak])

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [
            models.Index(fields=["nettverk", "-start"], name="deltagelse_nettverk_start"),
            models.Index(fields=["status", "start"], name="deltagelse_status_start"),
            # The dashboard's meetings without a report-back, oldest first (nettverk.selectors.overdue_filter):
            # a page of them and their count read this index alone, however many meetings are reported.
            models.Index(
                fields=["start", "id", "end"],
                condition=~models.Q(status="rapportert"),
                name="deltagelse_unreported_start",
            ),
            models.Index(fields=["-reported_at"], name="deltagelse_rapportert"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="deltagelse_end_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="rapportert") | Q(reported_at__isnull=False),
                name="deltagelse_reported_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.tittel} ({self.nettverk}, {self.start:%d.%m.%Y})"

    def get_absolute_url(self):
        return reverse("nettverk:deltagelse_detail", kwargs={"pk": self.pk})

    @property
    def last_day(self):
        return self.end or self.start


class Vedlegg(models.Model):
    """A document attached to a deltagelse: agenda, minutes, a presentation (PDF, DOCX, XLSX, PPTX or an image).
    Checked by its content when uploaded (``services.vedlegg_add`` with ``felles.vedlegg``), stored under a generated
    name, and served only to logged-in staff as a download with the content type its content has, never inline."""

    Type = DocumentType

    deltagelse = models.ForeignKey(
        Deltagelse, on_delete=models.CASCADE, related_name="vedlegg", verbose_name=_("participation")
    )
    fil = models.FileField(_("file"), upload_to="deltagelser/%Y/")
    navn = models.CharField(_("file name"), max_length=200)
    type = models.CharField(_("file type"), max_length=10, choices=Type.choices)
    stoerrelse = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])  # who attached or removed what, and when

    class Meta:
        ordering = ["deltagelse", "created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.navn
