"""Writes for notifications. Other apps' services call ``varsler_create`` inside their own transaction, so a
notification exists exactly when what it tells of was saved."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import Varsel


def varsler_create(*, users: Iterable, kind: str, text: str, link: str = "", demo: bool = False) -> list[Varsel]:
    """One notification per user (each user once), in one query. Called from a service's transaction; the
    caller has decided who may be told (a notification never tells a user what their role may not read)."""
    seen = set()
    rows = []
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        varsel = Varsel(user=user, kind=kind, text=text[:500], link=link, demo=demo)
        varsel.full_clean(exclude=["user"])
        rows.append(varsel)
    return Varsel.objects.bulk_create(rows)


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
