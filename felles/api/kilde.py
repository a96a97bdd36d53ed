"""A programme fact's source as the API shows it: ``{"type", "referanse", "begrunnelse", "registrert_av",
"registrert"}``. Only logged-in portal users see who recorded it; partners and the public get null, as they never
see staff names anywhere in the API."""

from rest_framework import serializers

from .common import is_portal_user

_DATETIME = serializers.DateTimeField()


class KildeSerializer(serializers.Serializer):
    """Where a fact comes from: the programme document (referanse), an inference (begrunnelse) or a person."""

    type = serializers.ChoiceField(
        choices=[("dokument", "dokument"), ("utledet", "utledet"), ("person", "person")],
        help_text="dokument: stated in the programme document; utledet: inferred by the portal; person: entered or "
        "confirmed by a person.",
    )
    referanse = serializers.CharField(help_text='Where in the programme document, e.g. "kap. 2.2, TILTAK".')
    begrunnelse = serializers.CharField(help_text="Why the fact was inferred (utledet).")
    registrert_av = serializers.CharField(
        allow_null=True, help_text="Who recorded it (person); null for clients not logged in to the portal."
    )
    registrert = serializers.DateTimeField(allow_null=True, help_text="When a person recorded it.")


def kilde_data(kilde, *, request) -> dict | None:
    """``kilde`` (a Kilde, or None when no source is recorded) as the API shows it to ``request``'s client."""
    if kilde is None:
        return None
    user = kilde.recorded_by if kilde.recorded_by_id else None
    named = user is not None and request is not None and is_portal_user(request)
    return {
        "type": kilde.type,
        "referanse": kilde.reference,
        "begrunnelse": kilde.reasoning,
        "registrert_av": (user.get_full_name() or user.username) if named else None,
        "registrert": _DATETIME.to_representation(kilde.recorded_at) if kilde.recorded_at else None,
    }


def kilde_field(**kwargs) -> KildeSerializer:
    return KildeSerializer(allow_null=True, **kwargs)


class KildeLinkSerializer(serializers.Serializer):
    """The source of one link of a list of ids (an SDG number, a goal, a network)."""

    id = serializers.CharField(help_text="The linked item, as in the list beside this one.")
    kilde = kilde_field()


def fact_kilde_data(fact, *, request, field_name: str = "", related_id: int | None = None) -> dict | None:
    """The source of a HasKilder row (its kilder prefetched), of one of its fields or of one of its links."""
    return kilde_data(fact.kilde_for(field_name, related_id), request=request)


def links_kilde_data(fact, field_name: str, links: list[tuple[str, int]], *, request) -> list[dict]:
    """``links`` as (the item as the list beside shows it, the linked row's pk), each with its source."""
    return [
        {"id": item, "kilde": fact_kilde_data(fact, request=request, field_name=field_name, related_id=pk)}
        for item, pk in links
    ]
