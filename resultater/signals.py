"""An indikator's ``updated_at`` moves when its values change, and a project's when the exchange rate its NOK sum
uses changes: API clients poll with ``updated_since`` and Last-Modified (see tiltak/signals.py for the same rule
for a tiltak). ``QuerySet.update`` adds no audit-history entry of its own."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from handlingsprogram.models import PrioritertOmraade
from tiltak.models import Tiltak
from tiltak.rullering_services import rows_copied

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


@receiver(rows_copied)
def indikatorer_copy(sender, *, omraader, tiltak, reasonings, provenance, user, **kwargs):
    """A roll-over's copies of areas and tiltak bring their indikatorer, in the roll-over's transaction: the same
    definition and baseline (the values stay with the old programme's period), each copy with the Kilder that say
    it was carried over (those of the baseline's fields too, where the old indikator had them)."""
    old = list(
        Indikator.objects.filter(Q(tiltak__in=list(tiltak)) | Q(omraade__in=list(omraader))).order_by(
            "rekkefoelge", "pk"
        )
    )
    if not old:
        return
    provenance.load_old(Indikator, [indikator.pk for indikator in old])
    for indikator in old:
        copy = Indikator(
            tiltak_id=tiltak.get(indikator.tiltak_id),
            omraade_id=omraader.get(indikator.omraade_id),
            **{name: getattr(indikator, name) for name in COPIED_FIELDS},
        )
        copy.full_clean()
        copy._history_user = user
        copy.save()
        owner = (Tiltak, indikator.tiltak_id) if indikator.tiltak_id else (PrioritertOmraade, indikator.omraade_id)
        provenance.copy(indikator, copy, reasoning=reasonings[owner])


COPIED_FIELDS = (
    "navn",
    "beskrivelse",
    "maaleenhet",
    "retning",
    "basis_verdi",
    "basis_aar",
    "basis_kilde",
    "maal_verdi",
    "maal_aar",
    "rekkefoelge",
)
