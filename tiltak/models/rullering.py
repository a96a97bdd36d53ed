from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from handlingsprogram.models import Handlingsprogram
from handlingsprogram.models.base import TimestampedModel

from .tiltak import Tiltak


class TiltakRullering(TimestampedModel):
    """What became of one tiltak when its programme was rolled over (rullering): continued, changed, merged into
    another, split into several, or closed. ``etterfoelgere`` are the tiltak of the successor programme it lives on
    in: its copy (continued, changed), its copy and the extra ones (split), the tiltak it was merged into (several
    old tiltak share it), none (closed). ``kopi`` is its own copy while it has one: merging or closing deletes it."""

    class Decision(models.TextChoices):
        VIDEREFOERT = "viderefoert", _("Continued")
        ENDRET = "endret", _("Changed")
        SLAATT_SAMMEN = "slaatt_sammen", _("Merged")
        DELT = "delt", _("Split")
        AVSLUTTET = "avsluttet", _("Closed")

    tiltak = models.OneToOneField(Tiltak, on_delete=models.PROTECT, related_name="rullering", verbose_name=_("measure"))
    handlingsprogram = models.ForeignKey(
        Handlingsprogram,
        on_delete=models.CASCADE,
        related_name="rulleringer",
        verbose_name=_("successor programme"),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.VIDEREFOERT)
    reason = models.TextField(_("reason"), blank=True)
    etterfoelgere = models.ManyToManyField(
        Tiltak, blank=True, related_name="forgjenger_rulleringer", verbose_name=_("successors")
    )
    kopi = models.OneToOneField(
        Tiltak,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kopi_av",
        verbose_name=_("copy"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[etterfoelgere])

    class Meta:
        ordering = ["handlingsprogram", "tiltak"]
        verbose_name = _("rollover decision")
        verbose_name_plural = _("rollover decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="avsluttet") | ~Q(reason=""), name="rullering_closed_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["viderefoert", "endret", "slaatt_sammen", "delt", "avsluttet"]),
                name="rullering_decision_valid",
            ),
        ]

    def __str__(self):
        return f"{self.tiltak_id}: {self.get_decision_display()}"
