"""Reads for tiltak."""

import re

from django.db.models import Prefetch

from handlingsprogram.models import Handlingsprogram, Maal

from .models import Ansvar, Tiltak

CODE_PATTERN = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")


def tiltak_get_by_code(*, programme: Handlingsprogram, code: str) -> Tiltak | None:
    """The tiltak with code like ``2.3.1`` in the programme, or None for an unknown or malformed code."""
    match = CODE_PATTERN.match(code)
    if match is None:
        return None
    omraade, innsats, nummer = (int(part) for part in match.groups())
    return (
        Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram")
        .prefetch_related(
            Prefetch("ansvar", queryset=Ansvar.objects.select_related("aktoer", "enhet__aktoer")),
            "baerekraftsmaal",
            Prefetch("maal", queryset=Maal.objects.select_related("styringsdokument")),
            "nettverk",
        )
        .filter(
            innsatsomraade__omraade__handlingsprogram=programme,
            innsatsomraade__omraade__nummer=omraade,
            innsatsomraade__nummer=innsats,
            nummer=nummer,
        )
        .first()
    )
