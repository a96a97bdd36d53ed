"""Labels and colours for status values, including the raw values that selectors annotate."""

from django import template
from django.utils.translation import gettext as _

from tiltak.models import Statusmelding

register = template.Library()

STATUS_COLOURS = {
    Statusmelding.Status.IKKE_STARTET: "neutral",
    Statusmelding.Status.PAAGAAR: "info",
    Statusmelding.Status.FULLFOERT: "success",
    Statusmelding.Status.UTSATT: "warning",
    Statusmelding.Status.AVBRUTT: "danger",
}
VURDERING_COLOURS = {
    Statusmelding.Vurdering.I_RUTE: "success",
    Statusmelding.Vurdering.RISIKO: "warning",
    Statusmelding.Vurdering.AVVIK: "danger",
}


@register.filter
def status_label(value) -> str:
    return str(Statusmelding.Status(value).label) if value else _("No status report yet")


@register.filter
def vurdering_label(value) -> str:
    return str(Statusmelding.Vurdering(value).label) if value else _("Not assessed")


@register.filter
def status_colour(value) -> str:
    return STATUS_COLOURS.get(value, "neutral")


@register.filter
def vurdering_colour(value) -> str:
    return VURDERING_COLOURS.get(value, "neutral")
