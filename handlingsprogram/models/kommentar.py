import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import TimestampedModel


class Kommentar(TimestampedModel):
    """A staff member's comment on an entry (a statusmelding, a deltagelse): a thread under it, newest last, internal
    (never public, never in the API for anonymous clients). The author may change the text for
    ``EDIT_MINUTES`` minutes; after that it stands. A comment is never deleted: a coordinator may hide one, with a
    reason, like a withdrawal; the history keeps every version of the text."""

    EDIT_MINUTES = 15
    MAX_LENGTH = 4000

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveIntegerField()
    gjelder = GenericForeignKey("content_type", "object_id")
    tekst = models.TextField(_("comment"), max_length=MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="kommentar_gjelder_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | (Q(hidden_by__isnull=False) & ~Q(hidden_reason="")),
                name="kommentar_hidden_has_who_and_why",
            ),
        ]

    def __str__(self):
        # A version in the history has no created_at (it is not recorded there): the author alone then.
        if self.created_at is None:
            return str(self.author)
        return f"{self.author} {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def get_absolute_url(self) -> str:
        """Its place in the thread on the entry's page."""
        return f"{self.gjelder.get_absolute_url().split('#')[0]}#kommentar-{self.pk}"

    def edit_deadline(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(minutes=self.EDIT_MINUTES)


class HasKommentarer(models.Model):
    """Mixin for an entry staff may comment on: ``entry.kommentarer`` (no column: Kommentar points here)."""

    kommentarer = GenericRelation(Kommentar)

    class Meta:
        abstract = True
