"""A tiltak's ``updated_at`` moves when anything shown with it changes: its Ansvar (also when edited inline in
the admin) and its statusmeldinger (new, withdrawn); likewise an indikator's with its values and a project's
with the exchange rate its NOK sum uses. API clients poll with ``updated_since`` and
Last-Modified, and a new statusmelding changes the tiltak's current status, so it must count as a change.

``QuerySet.update`` writes the column without a save(), so this adds no audit-history entry of its own: the
history already has the Ansvar or statusmelding change itself."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Ansvar, Indikator, Indikatorverdi, Prosjekt, Statusmelding, Tiltak, Valutakurs


@receiver(post_save, sender=Ansvar)
@receiver(post_delete, sender=Ansvar)
@receiver(post_save, sender=Statusmelding)
def touch_tiltak(sender, instance, **kwargs):
    Tiltak.objects.filter(pk=instance.tiltak_id).update(updated_at=timezone.now())


@receiver(post_save, sender=Indikatorverdi)
@receiver(post_delete, sender=Indikatorverdi)
def touch_indikator(sender, instance, **kwargs):
    """An indikator is shown with its values: a value recorded, corrected or deleted (in the admin) changes it."""
    Indikator.objects.filter(pk=instance.indikator_id).update(updated_at=timezone.now())


@receiver(post_save, sender=Valutakurs)
@receiver(post_delete, sender=Valutakurs)
def touch_prosjekter(sender, instance, **kwargs):
    """A project's NOK sum uses the rate of its start year: a rate entered, corrected or deleted changes it."""
    Prosjekt.objects.filter(valuta=instance.valuta, startdato__year=instance.aar).update(updated_at=timezone.now())
