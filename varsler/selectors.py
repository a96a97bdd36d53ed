"""Reads for notifications."""

from django.db.models import QuerySet

from .models import Varsel


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
    """The seam for e-mail (not built yet): notifications not yet e-mailed, still unread, to active users with an
    address, oldest first. A sender (a task, not a web request) would e-mail these and set ``emailed_at`` in the
    same transaction as it claims them (select_for_update), so a retry never sends twice. ``kinds`` narrows to
    the kinds a user chose e-mail for, once users can choose."""
    due = Varsel.objects.filter(emailed_at__isnull=True, read_at__isnull=True, user__is_active=True).exclude(
        user__email=""
    )
    if kinds is not None:
        due = due.filter(kind__in=kinds)
    return due.select_related("user").order_by("created_at", "id")
