from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from handlingsprogram.models import Aktoer, Baerekraftsmaal, Enhet, Innsatsomraade, Maal
from handlingsprogram.models.base import TimestampedModel


class Tiltak(TimestampedModel):
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


class Ansvar(TimestampedModel):
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
    utledet = models.BooleanField(
        _("inferred"),
        default=False,
        help_text=_("The programme document does not name this actor; the assignment was inferred."),
    )
    begrunnelse = models.CharField(_("reason"), max_length=500, blank=True)

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

    def clean(self):
        if self.enhet_id and self.aktoer_id and self.enhet.aktoer_id != self.aktoer_id:
            raise ValidationError({"enhet": _("The unit must belong to the selected actor.")})
