"""An indikator's ``updated_at`` moves when its values change, and a project's when the exchange rate its NOK sum
uses changes: API clients poll with ``updated_since`` and Last-Modified (see tiltak/signals.py for the same rule
for a tiltak). ``QuerySet.update`` adds no audit-history entry of its own."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Indikator, Indikatorverdi, Prosjekt, Valutakurs


@receiver(post_save, sender=Indikatorverdi)
@receiver(post_delete, sender=Indikatorverdi)
def touch_indikator(sender, instance, **kwargs):
    """An indikator is shown with its values: a value recorded, corrected or deleted (in the admin) changes it."""
    Indikator.objects.filter(pk=instance.indikator_id).update(updated_at=timezone.now())


@receiver(post_save, sender=Valutakurs)
@receiver(post_delete, sender=Valutakurs)
def touch_prosjekter(sender, instance, **kwargs):
    """A project's NOK sum uses the rate of its start year: a rate entered, corrected or deleted changes it."""
    Prosjekt.objects.filter(valuta=instance.valuta, start_date__year=instance.aar).update(updated_at=timezone.now())
