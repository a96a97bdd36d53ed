from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from handlingsprogram.models import Handlingsprogram, PrioritertOmraade
from handlingsprogram.models.base import TimestampedModel


class ReadyForApproval(models.Model):
    """The first of two approval steps, shared by the annual report and the final evaluation. When the programme
    asks for four eyes (``Handlingsprogram.four_eyes_approval``), one coordinator marks the draft ready for approval
    and another approves it; both are kept on the report. The mark is about the texts as they were when it was
    set: saving changed texts removes it (``services.ready_mark_drop_if_changed``)."""

    ready_at = models.DateTimeField(_("marked ready for approval"), null=True, blank=True, editable=False)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("marked ready for approval by"),
    )

    class Meta:
        abstract = True

    @property
    def is_ready_for_approval(self) -> bool:
        return self.is_draft and self.ready_at is not None

    @property
    def needs_second_coordinator(self) -> bool:
        """Approval takes two coordinators for this report (its programme's setting, while it is a draft)."""
        return self.is_draft and self.handlingsprogram.four_eyes_approval


class Aarsrapport(ReadyForApproval, TimestampedModel):
    """The annual report to Fylkesutvalget for one programme and year (section 1.4 of the programme).

    A draft is built from live data whenever it is shown. Approval freezes it: the data it was built from goes
    into ``frozen_content`` and the PDF into ``pdf`` with its SHA-256, and both never change afterwards.
    Reopening makes a new draft version; the approved one becomes superseded but stays downloadable."""

    class Status(models.TextChoices):
        UTKAST = "utkast", _("Draft")
        GODKJENT = "godkjent", _("Approved")
        ERSTATTET = "erstattet", _("Superseded")

    handlingsprogram = models.ForeignKey(
        Handlingsprogram, on_delete=models.PROTECT, related_name="aarsrapporter", verbose_name=_("action programme")
    )
    aar = models.PositiveSmallIntegerField(_("year"))
    versjon = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UTKAST)

    sammendrag = models.TextField(_("summary"), blank=True)
    endrede_forutsetninger = models.TextField(
        _("changed conditions and assumptions"),
        blank=True,
        help_text=_("Conditions and assumptions that have changed since the programme or the last annual report."),
    )
    fu_meeting_date = models.DateField(_("meeting date in Fylkesutvalget"), null=True, blank=True)
    fu_saksnummer = models.CharField(_("case number in Fylkesutvalget"), max_length=40, blank=True)

    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    frozen_content = models.JSONField(_("frozen content"), null=True, blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="aarsrapporter/", blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True, editable=False)
    reopened_reason = models.TextField(_("reason for reopening"), blank=True)

    # Who wrote, marked ready and approved what is in the audit history (the frozen document is not copied into
    # every history row; it never changes once it exists).
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "frozen_content"])

    class Meta:
        ordering = ["handlingsprogram", "-aar", "-versjon"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(
                fields=["handlingsprogram", "aar"],
                condition=~Q(status="erstattet"),
                name="aarsrapport_one_current_per_year",
            ),
            models.UniqueConstraint(fields=["handlingsprogram", "aar", "versjon"], name="aarsrapport_unique_version"),
            models.CheckConstraint(condition=Q(versjon__gte=1), name="aarsrapport_version_positive"),
            # An approved (or once approved) report always carries what it was approved with.
            models.CheckConstraint(
                condition=Q(status="utkast")
                | (Q(approved_at__isnull=False, frozen_content__isnull=False) & ~Q(pdf_sha256="")),
                name="aarsrapport_approved_is_frozen",
            ),
        ]

    def __str__(self):
        return f"{self.handlingsprogram} {self.aar} v{self.versjon} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("rapportering:detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.UTKAST

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.GODKJENT, self.Status.ERSTATTET)


class Omraadevurdering(models.Model):
    """The coordinators' assessment of one priority area in an annual report.

    A row per area rather than a JSON field: each text is validated and shown next to its own form field, the
    foreign key keeps it attached to a real area of the same programme, and the admin can list it."""

    aarsrapport = models.ForeignKey(
        Aarsrapport, on_delete=models.CASCADE, related_name="vurderinger", verbose_name=_("annual report")
    )
    omraade = models.ForeignKey(
        PrioritertOmraade, on_delete=models.PROTECT, related_name="+", verbose_name=_("priority area")
    )
    tekst = models.TextField(_("assessment"), blank=True)

    class Meta:
        ordering = ["aarsrapport", "omraade__nummer"]
        verbose_name = _("assessment of a priority area")
        verbose_name_plural = _("assessments of priority areas")
        constraints = [
            models.UniqueConstraint(fields=["aarsrapport", "omraade"], name="omraadevurdering_unique_area"),
        ]

    def __str__(self):
        return f"{self.aarsrapport} – {self.omraade}"


class PdfGenerering(models.Model):
    """One run of making a report's PDF in the background (``rapportering.tasks.generate_pdf``): either a draft
    PDF for the coordinators to read, or the PDF that approval freezes. The progress page polls this row; the
    worker writes the step and the number of pages laid out as WeasyPrint goes."""

    class Formaal(models.TextChoices):
        UTKAST = "utkast", _("Draft PDF")
        GODKJENNING = "godkjenning", _("Approval")

    class Status(models.TextChoices):
        VENTER = "venter", _("Queued")
        PAAGAAR = "paagaar", _("In progress")
        FERDIG = "ferdig", pgettext_lazy("PDF generation", "Done")
        FEILET = "feilet", _("Failed")

    class Steg(models.IntegerChoices):
        # Ours first, then WeasyPrint's own steps as its progress log numbers them (1–6), shifted by two.
        KOE = 0, _("Waiting for a free worker")
        DATA = 1, _("Collecting the data")
        HTML = 2, _("Building the document")
        HTML_PARSE = 3, _("Reading the document")
        CSS = 4, _("Reading the style sheet")
        CSS_APPLY = 5, _("Applying the style sheet")
        STRUKTUR = 6, _("Building the structure")
        SIDER = 7, _("Laying out the pages")
        PDF = 8, _("Writing the PDF")
        LAGRER = 9, _("Saving")

    UNFINISHED = (Status.VENTER, Status.PAAGAAR)

    # The report whose PDF is made: an annual report or a final evaluation, exactly one of them.
    aarsrapport = models.ForeignKey(
        Aarsrapport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pdf_genereringer",
        verbose_name=_("annual report"),
    )
    sluttevaluering = models.ForeignKey(
        "Sluttevaluering",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pdf_genereringer",
        verbose_name=_("final evaluation"),
    )
    formaal = models.CharField(_("purpose"), max_length=20, choices=Formaal.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.VENTER)
    steg = models.PositiveSmallIntegerField(_("step"), choices=Steg.choices, default=Steg.KOE)
    sider = models.PositiveIntegerField(_("pages laid out"), default=0)
    forventede_sider = models.PositiveIntegerField(_("expected pages"), null=True, blank=True)
    feilmelding = models.TextField(_("error"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="aarsrapporter/utkast/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The worker making the PDF writes this every few seconds (settings.PDF_HEARTBEAT_SECONDS); a generation "in
    # progress" whose worker has gone quiet belongs to a dead worker and is queued again, counting the attempts.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    forsoek = models.PositiveSmallIntegerField(_("attempt"), default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("PDF generation")
        verbose_name_plural = _("PDF generations")
        constraints = [
            # Two approvals of the same draft racing each other would freeze it twice.
            models.UniqueConstraint(
                fields=["aarsrapport"],
                condition=Q(formaal="godkjenning", status__in=["venter", "paagaar"]),
                name="pdfgenerering_one_pending_approval",
            ),
            models.UniqueConstraint(
                fields=["sluttevaluering"],
                condition=Q(formaal="godkjenning", status__in=["venter", "paagaar"]),
                name="pdfgenerering_one_pending_evaluation_approval",
            ),
            models.CheckConstraint(
                condition=Q(aarsrapport__isnull=False, sluttevaluering__isnull=True)
                | Q(aarsrapport__isnull=True, sluttevaluering__isnull=False),
                name="pdfgenerering_one_report",
            ),
        ]

    def __str__(self):
        return f"{self.report} – {self.get_formaal_display()} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("rapportering:generering", kwargs={"pk": self.pk})

    @property
    def report(self) -> "Aarsrapport | Sluttevaluering":
        return self.aarsrapport if self.aarsrapport_id else self.sluttevaluering

    @property
    def is_evaluation(self) -> bool:
        return self.sluttevaluering_id is not None

    @property
    def is_finished(self) -> bool:
        return self.status not in self.UNFINISHED

    @property
    def percent(self) -> int | None:
        """Progress for the progress bar, or None while the length of the layout is unknown."""
        if self.status == self.Status.FERDIG:
            return 100
        if self.steg < self.Steg.SIDER:
            return 3 * self.steg
        if self.steg == self.Steg.SIDER:
            if not self.forventede_sider:
                return None
            return 20 + min(70, 70 * self.sider // self.forventede_sider)
        return 92 if self.steg == self.Steg.PDF else 97


class Sluttevaluering(ReadyForApproval, TimestampedModel):
    """The final evaluation of a programme to Fylkesutvalget (section 1.4 of the programme, the third axis of
    follow-up): the whole period's results and the coordinators' recommendation, per tiltak and for the programme,
    whether to roll it over.

    Built like the annual report: a draft shows live data; approval freezes the document in ``frozen_content``
    and the PDF with its SHA-256, and neither changes afterwards, also not when the programme is rolled over or
    closed. One per programme (``versjon`` leaves room for a reopened version later)."""

    class Status(models.TextChoices):
        UTKAST = "utkast", _("Draft")
        GODKJENT = "godkjent", _("Approved")

    class Anbefaling(models.TextChoices):
        RULLERES = "rulleres", _("Roll the programme over")
        RULLERES_IKKE = "rulleres_ikke", _("Do not roll the programme over")

    handlingsprogram = models.ForeignKey(
        Handlingsprogram,
        on_delete=models.PROTECT,
        related_name="sluttevalueringer",
        verbose_name=_("action programme"),
    )
    versjon = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UTKAST)

    overall_assessment = models.TextField(_("overall evaluation"), blank=True)
    programme_recommendation = models.CharField(
        _("recommendation for the programme"), max_length=20, choices=Anbefaling.choices, blank=True
    )
    programme_reasoning = models.TextField(_("reasoning for the recommendation"), blank=True)
    fu_meeting_date = models.DateField(_("meeting date in Fylkesutvalget"), null=True, blank=True)
    fu_saksnummer = models.CharField(_("case number in Fylkesutvalget"), max_length=40, blank=True)

    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    frozen_content = models.JSONField(_("frozen content"), null=True, blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="sluttevalueringer/", blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True, editable=False)
    # Written by load_demo (make run): its texts are made up, and its pages say so.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)

    # Who wrote, changed and approved what is in the audit history; the frozen document itself is not copied
    # into every history row (it never changes once it exists).
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "frozen_content"])

    class Meta:
        ordering = ["handlingsprogram", "-versjon"]
        verbose_name = _("final evaluation")
        verbose_name_plural = _("final evaluations")
        constraints = [
            models.UniqueConstraint(fields=["handlingsprogram"], name="sluttevaluering_one_per_programme"),
            models.UniqueConstraint(fields=["handlingsprogram", "versjon"], name="sluttevaluering_unique_version"),
            models.CheckConstraint(condition=Q(versjon__gte=1), name="sluttevaluering_version_positive"),
            models.CheckConstraint(
                condition=Q(status="utkast")
                | (Q(approved_at__isnull=False, frozen_content__isnull=False) & ~Q(pdf_sha256="")),
                name="sluttevaluering_approved_is_frozen",
            ),
        ]

    def __str__(self):
        return f"{self.handlingsprogram} – {self._meta.verbose_name} v{self.versjon} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("rapportering:sluttevaluering", kwargs={"program": self.handlingsprogram.slug})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.UTKAST

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.GODKJENT


class SluttevalueringOmraade(models.Model):
    """The coordinators' evaluation of one priority area over the whole period."""

    sluttevaluering = models.ForeignKey(
        Sluttevaluering, on_delete=models.CASCADE, related_name="omraadevurderinger", verbose_name=_("final evaluation")
    )
    omraade = models.ForeignKey(
        PrioritertOmraade, on_delete=models.PROTECT, related_name="+", verbose_name=_("priority area")
    )
    text = models.TextField(_("evaluation"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sluttevaluering", "omraade__nummer"]
        verbose_name = _("evaluation of a priority area")
        verbose_name_plural = _("evaluations of priority areas")
        constraints = [
            models.UniqueConstraint(fields=["sluttevaluering", "omraade"], name="sluttevalueringomraade_unique_area"),
        ]

    def __str__(self):
        return f"{self.sluttevaluering} – {self.omraade}"


class SluttevalueringTiltak(models.Model):
    """The coordinators' recommendation for one tiltak at the end of the period. Blank while not yet decided."""

    class Anbefaling(models.TextChoices):
        VIDEREFOERES = "viderefoeres", _("Continue the measure")
        ENDRES = "endres", _("Change the measure")
        SLAAS_SAMMEN = "slaas_sammen", _("Merge with another measure")
        AVSLUTTES = "avsluttes", _("Close the measure")

    sluttevaluering = models.ForeignKey(
        Sluttevaluering, on_delete=models.CASCADE, related_name="tiltakanbefalinger", verbose_name=_("final evaluation")
    )
    tiltak = models.ForeignKey("tiltak.Tiltak", on_delete=models.PROTECT, related_name="+", verbose_name=_("measure"))
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Anbefaling.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sluttevaluering", "tiltak"]
        verbose_name = _("recommendation for a measure")
        verbose_name_plural = _("recommendations for measures")
        constraints = [
            models.UniqueConstraint(fields=["sluttevaluering", "tiltak"], name="sluttevalueringtiltak_unique_tiltak"),
        ]

    def __str__(self):
        return f"{self.sluttevaluering} – {self.tiltak}"
