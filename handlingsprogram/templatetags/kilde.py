"""Where a programme fact comes from, shown beside the fact: ``{% load kilde %}``, then

    {% kilde_mark ansvar "enhet" %}                  one field of a row
    {% kilde_mark omraade "baerekraftsmaal" sdg.pk %} one link of a many-to-many relation
    {% kilde_mark tiltak %}                          the row itself
    {% kilde_mark ansvar "enhet" compact=True %}     lists: only a mark for what is not the document's word

The rows must come with their ``kilder`` prefetched (``prefetch_related("kilder")``); the tag then costs no query.
"""

from django import template

from handlingsprogram.models import WHOLE_ROW, Kilde

register = template.Library()


@register.inclusion_tag("handlingsprogram/_kilde.html")
def kilde_mark(fact, field_name: str = WHOLE_ROW, related_id: int | None = None, *, compact: bool = False) -> dict:
    kilde = fact.kilde_for(field_name, related_id) if fact is not None else None
    return {"kilde": kilde, "compact": compact, "Type": Kilde.Type}
