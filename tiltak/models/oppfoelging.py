"""The coordinators' follow-up of the reporting: rounds with a deadline, and requests for an update on one tiltak."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from handlingsprogram.models import Handlingsprogram

from .tiltak import Statusmelding, Tiltak


class Rapporteringsrunde(models.Model):
    """A round in which the coordinators ask every responsible unit for status on its tiltak in a programme, for
    one year, by a deadline (e.g. «Årsrapport 2024», by 15.01.2025). What each unit owes is not stored: a tiltak
    counts as reported in the round when it has an effective statusmelding dated in the round's year."""

    navn = models.CharField(_("name"), max_length=200)
    handlingsprogram = models.ForeignKey(
        Handlingsprogram,
        on_delete=models.PROTECT,
        related_name="rapporteringsrunder",
        verbose_name=_("action programme"),
    )
    aar = models.PositiveSmallIntegerField(_("year"))
    frist = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    # Set by load_demo only: a made-up round for trying the portal, marked wherever it is shown.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)
    # Opening and closing a round are in the audit history (who, when).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-aar", "-opened_at", "-id"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["handlingsprogram", "aar"],
                condition=Q(closed_at__isnull=True),
                name="rapporteringsrunde_one_open_per_year",
                violation_error_message=_("A reporting round for this programme and year is already open."),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="rapporteringsrunde_closure_complete",
            ),
        ]

    def __str__(self):
        return self.navn

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def clean(self):
        programme = self.handlingsprogram if self.handlingsprogram_id else None
        if programme and self.aar is not None and not programme.start_year <= self.aar <= programme.end_year:
            raise ValidationError(
                {
                    "aar": _("The year must be within the programme period %(start)s–%(end)s.")
                    % {"start": programme.start_year, "end": programme.end_year}
                }
            )


class Oppfoelgingsforespoersel(models.Model):
    """A coordinator's request to the units responsible for a tiltak: an update on the tiltak, or clarification
    of one statusmelding. Open until answered, by a new statusmelding on the tiltak or a reply from a
    responsible user; answered requests stay (the record of the follow-up)."""

    tiltak = models.ForeignKey(
        Tiltak, on_delete=models.PROTECT, related_name="forespoersler", verbose_name=_("measure")
    )
    statusmelding = models.ForeignKey(
        Statusmelding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forespoersler",
        verbose_name=_("status report"),
        help_text=_("Set when the request asks for clarification of this status report."),
    )
    melding = models.TextField(_("message"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    svar_statusmelding = models.ForeignKey(
        Statusmelding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="besvarte_forespoersler",
        verbose_name=_("answered by status report"),
    )
    svar = models.TextField(_("reply"), blank=True)
    # Set by load_demo only.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)
    # Asking and answering are in the audit history (who, when, and how it was answered).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("request for an update")
        verbose_name_plural = _("requests for an update")
        constraints = [
            # Answered is all or nothing: when, by whom, and with a statusmelding or a reply.
            models.CheckConstraint(
                condition=Q(
                    answered_at__isnull=True, answered_by__isnull=True, svar_statusmelding__isnull=True, svar=""
                )
                | (
                    Q(answered_at__isnull=False, answered_by__isnull=False)
                    & (Q(svar_statusmelding__isnull=False) | ~Q(svar=""))
                ),
                name="oppfoelgingsforespoersel_answer_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["tiltak"], condition=Q(answered_at__isnull=True), name="forespoersel_open"),
        ]

    def __str__(self):
        return f"{self.tiltak.kode}: {self.melding[:60]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def clean(self):
        if self.statusmelding_id and self.tiltak_id and self.statusmelding.tiltak_id != self.tiltak_id:
            raise ValidationError({"statusmelding": _("The status report must be on the same measure.")})
