"""Provenance: where each programme fact comes from.

One mechanism for every app. A fact is a row (a tiltak, a membership), one field of a row (an ansvar's enhet, a
membership's level, an indicator's baseline year) or one link of a many-to-many relation (an area's SDG, a
tiltak's goal, a network's tiltak). Its ``Kilde`` says whether the programme document states it (and where),
whether it was inferred (and why), or whether a person entered or confirmed it (who and when). Models that hold
programme facts inherit ``HasKilder``; their kilder are deleted with them.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import TimestampedModel

# ``field_name`` of a Kilde about the row itself rather than one of its fields or links.
WHOLE_ROW = ""


class Kilde(TimestampedModel):
    """The source of one fact: the row ``content_type``/``object_id``, its field or relation ``field_name`` (empty
    for the row itself) and, for a link of a many-to-many relation, the linked row ``related_id``."""

    class Type(models.TextChoices):
        DOKUMENT = "dokument", _("The programme document")
        UTLEDET = "utledet", _("Inferred")
        PERSON = "person", _("Entered by a person")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("content type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    fact = GenericForeignKey("content_type", "object_id")
    field_name = models.CharField(_("field"), max_length=50, blank=True)
    related_id = models.PositiveBigIntegerField(_("linked object id"), null=True, blank=True)
    type = models.CharField(_("source"), max_length=20, choices=Type.choices)
    reference = models.CharField(
        _("reference"), max_length=300, blank=True, help_text=_("Where in the programme document, e.g. «kap. 2.2».")
    )
    reasoning = models.TextField(_("reasoning"), blank=True, help_text=_("Why the fact was inferred."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["content_type", "object_id", "field_name", "related_id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [models.Index(fields=["type"], name="kilde_type")]
        constraints = [
            # NULLs are distinct in unique constraints, so facts without a linked row need their own index.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field_name"],
                condition=Q(related_id__isnull=True),
                name="kilde_unique_fact",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field_name", "related_id"],
                condition=Q(related_id__isnull=False),
                name="kilde_unique_link",
            ),
            models.CheckConstraint(
                condition=~Q(type="dokument") | ~Q(reference=""), name="kilde_dokument_has_reference"
            ),
            models.CheckConstraint(condition=~Q(type="utledet") | ~Q(reasoning=""), name="kilde_utledet_has_reasoning"),
            models.CheckConstraint(
                condition=~Q(type="person") | Q(recorded_by__isnull=False, recorded_at__isnull=False),
                name="kilde_person_has_who_and_when",
            ),
            models.CheckConstraint(condition=Q(type__in=["dokument", "utledet", "person"]), name="kilde_type_valid"),
        ]

    def __str__(self):
        fact = f"{self.content_type.model}#{self.object_id}"
        if self.field_name:
            fact += f".{self.field_name}"
        if self.related_id is not None:
            fact += f"→{self.related_id}"
        return f"{fact}: {self.get_type_display()}"

    @property
    def is_inferred(self) -> bool:
        return self.type == self.Type.UTLEDET


class HasKilder(models.Model):
    """A model whose rows are programme facts. ``kilde_for()`` reads the prefetched ``kilder`` (prefetch
    ``"kilder"`` with the rows, then any number of lookups cost no query)."""

    kilder = GenericRelation(Kilde)

    class Meta:
        abstract = True

    def kilde_for(self, field_name: str = WHOLE_ROW, related_id: int | None = None) -> Kilde | None:
        """The source of this row (no arguments), of one of its fields, or of one link of a many-to-many
        relation (``field_name`` the relation, ``related_id`` the linked row's pk). None if none is recorded."""
        for kilde in self.kilder.all():
            if kilde.field_name == field_name and kilde.related_id == related_id:
                return kilde
        return None
