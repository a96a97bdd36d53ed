"""A tiltak's ``updated_at`` moves when anything shown with it changes: its Ansvar (also when edited inline in
the admin) and its statusmeldinger (new, corrected, withdrawn, deleted). API clients poll with ``updated_since``
and Last-Modified, and a new statusmelding changes the tiltak's current status, so it must count as a change; the
same UPDATE writes that current status (``Tiltak.gjeldende_*``) from the statusmeldinger, and its status at the end
of each programme year (``Aarsstatus``) is written again (``services.year_status_refresh``).

``QuerySet.update`` writes the columns without a save(), so this adds no audit-history entry of its own: the
history already has the Ansvar or statusmelding change itself."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from handlingsprogram.models import Kommentar

from .models import Ansvar, Statusmelding, Tiltak
from .oppfoelging_services import answer_clarification_by_comment
from .services import year_status_refresh


@receiver(post_save, sender=Ansvar)
@receiver(post_delete, sender=Ansvar)
def touch_tiltak(sender, instance, **kwargs):
    Tiltak.objects.filter(pk=instance.tiltak_id).update(updated_at=timezone.now())


@receiver(post_save, sender=Statusmelding)
@receiver(post_delete, sender=Statusmelding)
def touch_tiltak_and_current_status(sender, instance, **kwargs):
    """A statusmelding saved (new, corrected, withdrawn) or deleted: the tiltak has changed, and its current status
    (``Tiltak.gjeldende_*``) is read again from its statusmeldinger, in the same UPDATE, and so is its status at
    the end of each programme year."""
    Tiltak.objects.filter(pk=instance.tiltak_id).update(
        updated_at=timezone.now(), **Statusmelding.objects.current_status_values()
    )
    year_status_refresh(tiltak_ids=[instance.tiltak_id])


@receiver(post_save, sender=Kommentar)
def comment_answers_clarification(sender, instance, created, raw=False, **kwargs):
    """A responsible person's comment on a statusmelding answers the requests for clarification of it."""
    if created and not raw:
        answer_clarification_by_comment(kommentar=instance)
