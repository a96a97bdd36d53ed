"""Writes for notifications. Other apps' services call ``varsler_create`` inside their own transaction, so a
notification exists exactly when what it tells of was saved."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions, selectors
from .models import DEFAULT_LEVERING, Foelging, Levering, Varsel, Varselinnstilling
from .utsending_services import utsendinger_for_new


def varsler_create(
    *, users: Iterable, kind: str, text: str, link: str = "", demo: bool = False, key: str = ""
) -> list[Varsel]:
    """One notification per user (each user once), in one query, and the e-mail of those who want it at once
    (queued when the caller's transaction commits). Called from a service's transaction; the caller has decided
    who may be told (a notification never tells a user what their role may not read). With ``key``, a user who
    already has a notification with that key gets no second one (a reminder run again)."""
    seen = set()
    rows = []
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        varsel = Varsel(user=user, kind=kind, text=text[:500], link=link, demo=demo, key=key)
        varsel.full_clean(exclude=["user", "utsending"])
        rows.append(varsel)
    if key and rows:
        have = set(Varsel.objects.filter(key=key, user_id__in=seen).values_list("user_id", flat=True))
        rows = [v for v in rows if v.user_id not in have]
    created = Varsel.objects.bulk_create(rows)
    utsendinger_for_new(created)
    return created


# --- Preferences ----------------------------------------------------------------------------------------------


@transaction.atomic
def varselinnstillinger_set(*, user, choices: dict[str, str]) -> None:
    """Save the user's own choice per kind. A choice equal to the default is not stored (the user then follows
    the default); unknown kinds or deliveries are refused and change nothing."""
    if not permissions.can_set_innstillinger(user):
        raise PermissionDenied
    for kind, levering in choices.items():
        if kind not in Varsel.Kind.values or levering not in Levering.values:
            raise ValidationError(_("Unknown choice for notifications."))
    for kind, levering in choices.items():
        if levering == DEFAULT_LEVERING[kind]:
            Varselinnstilling.objects.filter(user=user, kind=kind).delete()
        else:
            Varselinnstilling.objects.update_or_create(user=user, kind=kind, defaults={"levering": levering})


# --- Following ------------------------------------------------------------------------------------------------


@transaction.atomic
def foelging_start(*, user, followed) -> Foelging:
    """Follow a network or a priority area (the app offering the button decides which models may be followed
    and calls here). Following twice is following once."""
    if not permissions.can_follow(user):
        raise PermissionDenied
    content_type = ContentType.objects.get_for_model(followed)
    existing = Foelging.objects.filter(user=user, content_type=content_type, object_id=followed.pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Foelging.objects.create(user=user, content_type=content_type, object_id=followed.pk)
    except IntegrityError:  # the same user's other tab a moment ago
        return Foelging.objects.get(user=user, content_type=content_type, object_id=followed.pk)


@transaction.atomic
def foelging_stop(*, user, foelging: Foelging) -> None:
    """Stop following. A follow is the user's own setting, not something they wrote for others: it goes."""
    if not permissions.can_manage_foelging(user, foelging):
        raise PermissionDenied
    Foelging.objects.filter(pk=foelging.pk).delete()


def foelging_stop_object(*, user, followed) -> None:
    foelging = selectors.foelging_of(user=user, followed=followed)
    if foelging is not None:
        foelging_stop(user=user, foelging=foelging)


@transaction.atomic
def varsel_mark_read(*, varsel: Varsel, user) -> Varsel:
    if not permissions.can_read(user, varsel):
        raise PermissionDenied
    if varsel.read_at is None:
        varsel.read_at = timezone.now()
        varsel.save(update_fields=["read_at"])
    return varsel


@transaction.atomic
def varsler_mark_all_read(*, user) -> int:
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    return Varsel.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def kommentar_notify(*, kommentar) -> list[Varsel]:
    """Tell the people a new comment concerns: who wrote the entry, and who commented on it before, not the one
    who wrote it. Comments are for every logged-in user, so telling them reveals nothing their role may not read.
    Runs in the comment's own transaction (a post_save receiver, apps.py: handlingsprogram sits below this app)."""
    entry = kommentar.gjelder
    entry_author = getattr(entry, "author", None) or getattr(entry, "created_by", None)
    earlier = [k.author for k in entry.kommentarer.select_related("author").exclude(pk=kommentar.pk)]
    users = [
        user
        for user in [entry_author, *earlier]
        if user is not None and user.is_active and user.pk != kommentar.author_id
    ]
    name = kommentar.author.get_full_name() or kommentar.author.username
    text = _("%(name)s commented on %(entry)s") % {"name": name, "entry": entry}
    return varsler_create(users=users, kind=Varsel.Kind.KOMMENTAR, text=text, link=kommentar.get_absolute_url())


def kommentar_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        kommentar_notify(kommentar=instance)
