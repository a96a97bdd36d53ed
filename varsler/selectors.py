"""Reads for notifications."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q, QuerySet

from .models import DEFAULT_LEVERING, Foelging, Varsel, Varselinnstilling


def varsler_for(*, user) -> QuerySet[Varsel]:
    """The user's notifications, newest first (one query per page of them)."""
    return Varsel.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    if not (user.is_authenticated and user.is_active):
        return 0
    return Varsel.objects.filter(user=user, read_at__isnull=True).count()


def varsel_get(*, user, pk) -> Varsel | None:
    return Varsel.objects.filter(user=user, pk=pk).first()


def varsler_due_for_email(*, kinds=None) -> QuerySet[Varsel]:
    """Notifications not yet e-mailed, still unread, to active users with an address, oldest first (``kinds``
    narrows). The sending itself goes through the outbox (utsending_services), which sets ``emailed_at``."""
    due = Varsel.objects.filter(emailed_at__isnull=True, read_at__isnull=True, user__is_active=True).exclude(
        user__email=""
    )
    if kinds is not None:
        due = due.filter(kind__in=kinds)
    return due.select_related("user").order_by("created_at", "id")


def levering_for(*, user_ids) -> dict[int, dict[str, str]]:
    """Each user's delivery per kind: their own choice, else the default (one query)."""
    result = {pk: dict(DEFAULT_LEVERING) for pk in user_ids}
    for user_id, kind, levering in Varselinnstilling.objects.filter(user_id__in=list(result)).values_list(
        "user_id", "kind", "levering"
    ):
        result[user_id][kind] = levering
    return result


def varselinnstillinger_for(*, user) -> list[dict]:
    """The preferences page's rows: each kind with the user's choice, the default and whether it is the default."""
    levering = levering_for(user_ids=[user.pk])[user.pk]
    return [
        {
            "kind": kind,
            "label": label,
            "levering": levering[kind],
            "default": DEFAULT_LEVERING[kind],
            "is_default": levering[kind] == DEFAULT_LEVERING[kind],
        }
        for kind, label in Varsel.Kind.choices
    ]


def foelginger_for(*, user) -> list[Foelging]:
    """What the user follows, with the followed objects (one query per kind of object followed, not per row; a
    priority area's link needs its programme)."""
    from handlingsprogram.models import PrioritertOmraade

    return list(
        Foelging.objects.filter(user=user)
        .select_related("content_type")
        .prefetch_related(GenericPrefetch("followed", [PrioritertOmraade.objects.select_related("handlingsprogram")]))
        .order_by("content_type_id", "created_at", "id")
    )


def foelging_of(*, user, followed) -> Foelging | None:
    if not user.is_authenticated:
        return None
    content_type = ContentType.objects.get_for_model(followed)
    return Foelging.objects.filter(user=user, content_type=content_type, object_id=followed.pk).first()


def foelging_get(*, user, pk) -> Foelging | None:
    return Foelging.objects.filter(user=user, pk=pk).first()


def followers_of(*, objects) -> QuerySet:
    """The active users who follow any of ``objects`` (model instances of any kind)."""
    from django.contrib.auth import get_user_model

    condition = Q(pk__in=[])
    for model_objects in _by_model(objects).items():
        model, pks = model_objects
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
    user_ids = Foelging.objects.filter(condition).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def _by_model(objects) -> dict:
    grouped: dict = {}
    for obj in objects:
        grouped.setdefault(type(obj), []).append(obj.pk)
    return grouped
