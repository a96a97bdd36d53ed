"""A fact's source as one line of plain text, for exports and the annual report (the pages use the
``{% kilde_mark %}`` tag): «Programdokumentet, kap. 2.2», «Utledet: …», «Registrert av … dd.mm.åååå»."""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .models import Kilde


def kilde_text(kilde: Kilde | None) -> str:
    if kilde is None:
        return _("Source not recorded")
    if kilde.type == Kilde.Type.DOKUMENT:
        return _("The programme document, %(reference)s") % {"reference": kilde.reference}
    if kilde.type == Kilde.Type.UTLEDET:
        return _("Inferred: %(reasoning)s") % {"reasoning": kilde.reasoning}
    user = kilde.recorded_by
    return _("Recorded by %(name)s on %(date)s") % {
        "name": user.get_full_name() or user.username,
        "date": date_format(localtime(kilde.recorded_at), "SHORT_DATE_FORMAT"),
    }


def ansvar_kilde_text(ansvar) -> str:
    """The source of an ansvar's actor, and which of its other parts are inferred (kilder prefetched)."""
    text = kilde_text(ansvar.kilde_for())
    enhet, rolle = ansvar.kilde_for("enhet"), ansvar.kilde_for("rolle")
    enhet_inferred = ansvar.enhet_id and enhet is not None and enhet.type == Kilde.Type.UTLEDET
    rolle_inferred = rolle is not None and rolle.type == Kilde.Type.UTLEDET
    if enhet_inferred and rolle_inferred:
        return f"{text} ({_('unit and role inferred')})"
    if rolle_inferred:
        return f"{text} ({_('role inferred')})"
    if enhet_inferred:
        return f"{text} ({_('unit inferred')})"
    return text
