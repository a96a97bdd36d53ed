import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from felles.vedlegg import DocumentType
from handlingsprogram.models import Aktoer, Baerekraftsmaal, Enhet, Innsatsomraade, Maal
from handlingsprogram.models.base import TimestampedModel
from handlingsprogram.models.kilde import WHOLE_ROW, HasKilder, Kilde
from handlingsprogram.models.kommentar import HasKommentarer

CODE_PATTERN = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")


class TiltakQuerySet(models.QuerySet):
    def by_code(self, programme, code: str) -> "TiltakQuerySet":
        """The tiltak with ``code`` (like ``2.3.1``) in ``programme``: at most one, as a queryset, so that callers
        add what they need (``.first()``, ``.get()``, annotations, ``.values()``) in the same query. Empty for a
        malformed code. ``programme=None`` matches the code in every programme, for filters that narrow to a
        programme on their own (the same code is in every programme)."""
        match = CODE_PATTERN.match(code)
        if match is None:
            return self.none()
        omraade, innsats, nummer = (int(part) for part in match.groups())
        found = self.filter(innsatsomraade__omraade__nummer=omraade, innsatsomraade__nummer=innsats, nummer=nummer)
        return found if programme is None else found.filter(innsatsomraade__omraade__handlingsprogram=programme)


class Tiltak(HasKilder, TimestampedModel):
    """A measure: the ➢ items under an innsatsområde. Its code is area.innsatsområde.tiltak, e.g. 2.3.1."""

    innsatsomraade = models.ForeignKey(
        Innsatsomraade, on_delete=models.CASCADE, related_name="tiltak", verbose_name=_("focus area")
    )
    nummer = models.PositiveSmallIntegerField(_("number"))
    tekst = models.TextField(_("text"))
    baerekraftsmaal = models.ManyToManyField(
        Baerekraftsmaal, blank=True, related_name="tiltak", verbose_name=_("sustainable development goals")
    )
    maal = models.ManyToManyField(Maal, blank=True, related_name="tiltak", verbose_name=_("goals"))
    # The current status: that of the latest valid statusmelding (all null, and demo false, when there is none).
    # Not a fact of its own but a copy the lists read instead of searching the statusmeldinger of every row: the
    # statusmelding signals (tiltak/signals.py) write it in the same UPDATE that moves ``updated_at``, and
    # ``services.current_status_refresh`` after writes that send no signal (bulk loads, the demo flag).
    # ``selectors.tiltak_with_status`` uses it when the year asked for ends on or after its date, and the kept
    # status at the end of that year (``Aarsstatus``) otherwise.
    # NULL, not "", for "no statusmelding": what the search of the statusmeldinger it stands in for gives.
    gjeldende_status = models.CharField(_("current status"), max_length=20, null=True, editable=False)  # noqa: DJ001
    gjeldende_vurdering = models.CharField(  # noqa: DJ001
        _("current assessment"), max_length=20, null=True, editable=False
    )
    gjeldende_dato = models.DateField(_("date of the current status"), null=True, editable=False)
    gjeldende_demo = models.BooleanField(_("current status is demo data"), default=False, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "created_at",
            "updated_at",
            "gjeldende_status",
            "gjeldende_vurdering",
            "gjeldende_dato",
            "gjeldende_demo",
        ]
    )

    objects = TiltakQuerySet.as_manager()

    class Meta:
        ordering = ["innsatsomraade__omraade__nummer", "innsatsomraade__nummer", "nummer"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            # With the area and innsatsområde numbers unique in their parents, this makes the
            # three-part code unique within a programme.
            models.UniqueConstraint(fields=["innsatsomraade", "nummer"], name="tiltak_unique_number"),
            models.CheckConstraint(condition=Q(nummer__gte=1), name="tiltak_number_positive"),
        ]

    def __str__(self):
        return f"{self.kode} {self.tekst[:80]}"

    @property
    def kode(self) -> str:
        return f"{self.innsatsomraade.omraade.nummer}.{self.innsatsomraade.nummer}.{self.nummer}"

    def get_absolute_url(self):
        return reverse(
            "tiltak:detail",
            kwargs={"program": self.innsatsomraade.omraade.handlingsprogram.slug, "kode": self.kode},
        )


class Ansvar(HasKilder, TimestampedModel):
    """An aktør's (or one of its enheter's) role on a tiltak."""

    class Rolle(models.TextChoices):
        ANSVARLIG = "ansvarlig", _("Lead")
        BIDRAGSYTER = "bidragsyter", _("Contributor")

    tiltak = models.ForeignKey(Tiltak, on_delete=models.CASCADE, related_name="ansvar", verbose_name=_("measure"))
    aktoer = models.ForeignKey(Aktoer, on_delete=models.PROTECT, related_name="ansvar", verbose_name=_("actor"))
    enhet = models.ForeignKey(
        Enhet, on_delete=models.PROTECT, null=True, blank=True, related_name="ansvar", verbose_name=_("unit")
    )
    rolle = models.CharField(_("role"), max_length=20, choices=Rolle.choices, default=Rolle.ANSVARLIG)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["tiltak", "rolle", "aktoer__navn"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            # NULLs are distinct in unique constraints, so the unit-less case needs its own index.
            models.UniqueConstraint(
                fields=["tiltak", "aktoer"], condition=Q(enhet__isnull=True), name="ansvar_unique_aktoer"
            ),
            models.UniqueConstraint(
                fields=["tiltak", "aktoer", "enhet"], condition=Q(enhet__isnull=False), name="ansvar_unique_enhet"
            ),
        ]

    def __str__(self):
        return f"{self.tiltak.kode}: {self.enhet or self.aktoer} ({self.get_rolle_display()})"

    # Where each part comes from is in its kilder: the actor (the row's own), the enhet and the rolle. The two
    # properties below keep what the pages and the API showed before provenance was per part; prefetch "kilder".
    SOURCED_PARTS = (WHOLE_ROW, "enhet", "rolle")

    @property
    def utledet(self) -> bool:
        """True if any part (actor, enhet, rolle) was inferred rather than stated."""
        return any(kilde.type == Kilde.Type.UTLEDET for kilde in self.kilder.all())

    @property
    def begrunnelse(self) -> str:
        """The reasoning of the inferred parts, actor first."""
        inferred = [k for k in self.kilder.all() if k.type == Kilde.Type.UTLEDET and k.field_name in self.SOURCED_PARTS]
        inferred.sort(key=lambda kilde: self.SOURCED_PARTS.index(kilde.field_name))
        return " ".join(kilde.reasoning for kilde in inferred)

    def clean(self):
        if self.enhet_id and self.aktoer_id and self.enhet.aktoer_id != self.aktoer_id:
            raise ValidationError({"enhet": _("The unit must belong to the selected actor.")})


# A tiltak's statusmeldinger, latest first: the first effective one is the tiltak's status. Every list, the
# current-status lookups and the partial index statusmelding_current share this order.
LATEST_FIRST = ("-date", "-created_at", "-id")


class StatusmeldingQuerySet(models.QuerySet):
    def valid(self) -> "StatusmeldingQuerySet":
        """The ones that count (the effective ones): neither withdrawn nor superseded by a correction."""
        return self.filter(withdrawn_at__isnull=True, superseded_by__isnull=True)

    def latest_valid(self, *, up_to: datetime.date | None = None) -> "StatusmeldingQuerySet":
        """The outer query's tiltak's valid statusmeldinger (dated on or before ``up_to``), latest first: the first
        one's status, assessment and date are the tiltak's, e.g. ``Subquery(latest_valid().values("status")[:1])``
        in a query of Tiltak. The order is the one the partial index ``statusmelding_current`` is built in."""
        latest = self.valid().filter(tiltak=OuterRef("pk"))
        if up_to is not None:
            latest = latest.filter(date__lte=up_to)
        return latest.order_by(*LATEST_FIRST)

    def current_status_values(self) -> dict:
        """``Tiltak.gjeldende_*`` as expressions over the latest valid statusmelding of each tiltak, for
        ``Tiltak.objects.filter(…).update(**Statusmelding.objects.current_status_values())``: the one rule that
        writes them (the signals and ``services.current_status_refresh``)."""
        latest = self.latest_valid()
        return {
            "gjeldende_status": Subquery(latest.values("status")[:1]),
            "gjeldende_vurdering": Subquery(latest.values("vurdering")[:1]),
            "gjeldende_dato": Subquery(latest.values("date")[:1]),
            "gjeldende_demo": Coalesce(Subquery(latest.values("demo")[:1]), Value(False)),
        }


class Statusmelding(HasKommentarer, models.Model):
    """One progress entry on a tiltak. Append-only: what a person wrote is never edited or deleted. A correction
    is a new entry that points at the one it corrects (``korrigerer``); the corrected one is then marked
    ``superseded_by`` it and no longer counts. A coordinator can withdraw an entry, which stays visible as
    withdrawn and no longer counts either. Only the effective entries (``valid()``) make a tiltak's status."""

    class Status(models.TextChoices):
        IKKE_STARTET = "ikke_startet", _("Not started")
        PAAGAAR = "paagaar", _("In progress")
        FULLFOERT = "fullfoert", _("Completed")
        UTSATT = "utsatt", _("Postponed")
        AVBRUTT = "avbrutt", _("Stopped")

    class Vurdering(models.TextChoices):
        I_RUTE = "i_rute", _("On track")
        RISIKO = "risiko", _("At risk")
        AVVIK = "avvik", _("Off track")

    tiltak = models.ForeignKey(
        Tiltak, on_delete=models.PROTECT, related_name="statusmeldinger", verbose_name=_("measure")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="statusmeldinger", verbose_name=_("author")
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    vurdering = models.CharField(_("assessment"), max_length=20, choices=Vurdering.choices)
    gjennomfoert = models.TextField(_("what was done"))
    resultater = models.TextField(_("results"), blank=True)
    neste_steg = models.TextField(_("next steps"), blank=True)
    intern_merknad = models.TextField(
        _("internal remark"), blank=True, help_text=_("Only shown to logged-in users; never public.")
    )
    korrigerer = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="korreksjoner",
        verbose_name=_("corrects"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    trukket_tilbake_begrunnelse = models.TextField(_("reason for withdrawal"), blank=True)
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    # Set by load_demo only: made-up content for trying the portal, marked wherever it is shown.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)
    # Set on the corrected entry when its correction is saved, cleared if that correction is withdrawn: the
    # "does it still count" question is then a column the partial index below can hold.
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("superseded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = StatusmeldingQuerySet.as_manager()

    class Meta:
        ordering = list(LATEST_FIRST)
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        indexes = [
            # "The latest valid statusmelding of each tiltak" is what every status figure asks. This partial
            # index answers it in the order the queries sort by, and on PostgreSQL it also carries status and
            # assessment, so the per-tiltak lookup never reads the table (the dashboard at 100× the
            # programme: 105 ms without it; see BENCHMARKS.md).
            models.Index(
                fields=["tiltak", *LATEST_FIRST],
                include=["status", "vurdering"],
                condition=Q(withdrawn_at__isnull=True, superseded_by__isnull=True),
                name="statusmelding_current",
            ),
            # The API lists every statusmelding newest first and pages by this key (?cursor=, issue 19): a
            # deep page is a range of this index, not a scan past every row before it.
            models.Index(fields=list(LATEST_FIRST), name="statusmelding_newest"),
            # Every HTML page asks whether there is demo data (rapportering/demo.py); this is the table that grows
            # (thousands a year), and an index of only the demo rows answers without reading it.
            models.Index(fields=["demo"], condition=Q(demo=True), name="statusmelding_demo"),
        ]
        constraints = [
            # A withdrawal is all or nothing: when, by whom and why.
            models.CheckConstraint(
                condition=(
                    Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True, trukket_tilbake_begrunnelse="")
                    | (Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False) & ~Q(trukket_tilbake_begrunnelse=""))
                ),
                name="statusmelding_withdrawal_complete",
            ),
            models.CheckConstraint(condition=~Q(korrigerer=F("pk")), name="statusmelding_not_own_correction"),
            models.CheckConstraint(condition=~Q(superseded_by=F("pk")), name="statusmelding_not_own_successor"),
        ]

    def __str__(self):
        return f"{self.tiltak.kode} {self.date:%d.%m.%Y}: {self.get_status_display()}"

    def get_absolute_url(self):
        """Its place on the tiltak's page (the timeline has an anchor per statusmelding)."""
        return f"{self.tiltak.get_absolute_url()}#statusmelding-{self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by_id is not None

    @property
    def is_effective(self) -> bool:
        return not (self.is_withdrawn or self.is_superseded)


class Aarsstatus(models.Model):
    """A tiltak's status at the end of one year of its programme: the latest valid statusmelding dated on or
    before 31 December of ``aar`` (all NULL when there is none yet). Kept like ``Tiltak.gjeldende_*``, from the
    statusmeldinger, by the statusmelding signals (tiltak/signals.py) and ``services.current_status_refresh``, so
    that a list of a past year (``selectors.tiltak_with_status``) reads one row per tiltak instead of searching
    every tiltak's statusmeldinger. Derived, not a record: no history, not in the admin or the API; the
    statusmeldinger it is read from are the record."""

    tiltak = models.ForeignKey(Tiltak, on_delete=models.CASCADE, related_name="aarsstatuser")
    aar = models.PositiveSmallIntegerField(_("year"))
    # NULL, not "", for "no statusmelding by the end of the year", as in Tiltak.gjeldende_*.
    status = models.CharField(_("status"), max_length=20, null=True)  # noqa: DJ001
    vurdering = models.CharField(_("assessment"), max_length=20, null=True)  # noqa: DJ001
    dato = models.DateField(_("date of the status"), null=True)
    demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("status at the end of a year")
        verbose_name_plural = _("statuses at the end of a year")
        constraints = [models.UniqueConstraint(fields=["tiltak", "aar"], name="aarsstatus_unique_tiltak_aar")]

    def __str__(self):
        return f"{self.tiltak_id} {self.aar}: {self.status or '–'}"


class StatusmeldingVedlegg(models.Model):
    """A document attached to a statusmelding when it was written: a report, minutes, a picture (PDF, DOCX, XLSX,
    PPTX or an image). The same check, limit and download as a deltagelse's documents (``felles.vedlegg``): checked
    by its content, stored under a generated name, served only to logged-in users as a download, never inline.
    Part of the record like the statusmelding itself: never changed or deleted (``on_delete=PROTECT``)."""

    statusmelding = models.ForeignKey(
        Statusmelding, on_delete=models.PROTECT, related_name="vedlegg", verbose_name=_("status report")
    )
    fil = models.FileField(_("file"), upload_to="statusmeldinger/%Y/")
    navn = models.CharField(_("file name"), max_length=200)
    type = models.CharField(_("file type"), max_length=10, choices=DocumentType.choices)
    stoerrelse = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["statusmelding", "created_at", "id"]
        verbose_name = _("status report attachment")
        verbose_name_plural = _("status report attachments")

    def __str__(self):
        return self.navn


class Paaminnelse(models.Model):
    """A reminder e-mail sent to one user for one reporting period, so the cron job never sends it twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="paaminnelser", verbose_name=_("user")
    )
    handlingsprogram = models.ForeignKey(
        "handlingsprogram.Handlingsprogram",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("action programme"),
    )
    aar = models.PositiveSmallIntegerField(_("reporting year"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    antall_tiltak = models.PositiveSmallIntegerField(_("number of measures"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "handlingsprogram", "aar"], name="paaminnelse_once_per_period"),
        ]

    def __str__(self):
        return f"{self.user} {self.aar}"
