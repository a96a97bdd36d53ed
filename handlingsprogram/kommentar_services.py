"""Writes for comments (Kommentar) on entries: add, change within the first minutes, hide with a reason.

The entries that take comments are named here by kind, with their model as an app label string, so this app
(below tiltak and nettverk) never imports them."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Kommentar
from .permissions import (
    user_is_comment_author,
    user_may_comment,
    user_may_edit_comment,
    user_may_hide_comments,
)

# kind in the URL → the model staff may comment on
TARGETS = {"statusmelding": "tiltak.Statusmelding", "deltagelse": "nettverk.Deltagelse"}


def kommentar_target_get(*, kind: str, pk) -> object | None:
    """The entry ``kind``/``pk`` as typed in a URL, or None for an unknown kind or entry."""
    label = TARGETS.get(kind)
    if label is None:
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return apps.get_model(label).objects.filter(pk=pk).first()


def _clean_text(tekst: str) -> str:
    tekst = (tekst or "").strip()
    if not tekst:
        raise ValidationError({"tekst": _("Write the comment.")}, code="required")
    if len(tekst) > Kommentar.MAX_LENGTH:
        raise ValidationError(
            {"tekst": _("A comment can be at most %(max)d characters.") % {"max": Kommentar.MAX_LENGTH}},
            code="max_length",
        )
    return tekst


@transaction.atomic
def kommentar_add(*, user, target, tekst: str) -> Kommentar:
    if not user_may_comment(user):
        raise PermissionDenied(_("You may not comment."))
    kommentar = Kommentar(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        tekst=_clean_text(tekst),
        author=user,
    )
    kommentar.full_clean()
    kommentar.save()
    return kommentar


@transaction.atomic
def kommentar_edit(*, user, kommentar: Kommentar, tekst: str) -> Kommentar:
    """The author changes the text within ``Kommentar.EDIT_MINUTES``; the history keeps what it said before."""
    kommentar = Kommentar.objects.select_for_update().get(pk=kommentar.pk)
    if not user_is_comment_author(user, kommentar) or not user_may_comment(user):
        raise PermissionDenied(_("Only the one who wrote a comment may change it."))
    if not user_may_edit_comment(user, kommentar):
        raise ValidationError(
            _("A comment can be changed for %(minutes)d minutes after it was written; write a new one instead.")
            % {"minutes": Kommentar.EDIT_MINUTES},
            code="too_late",
        )
    tekst = _clean_text(tekst)
    if tekst != kommentar.tekst:
        kommentar.tekst = tekst
        kommentar.edited_at = timezone.now()
        kommentar.save(update_fields=["tekst", "edited_at", "updated_at"])
    return kommentar


@transaction.atomic
def kommentar_hide(*, user, kommentar: Kommentar, reason: str) -> Kommentar:
    """A coordinator hides a comment with a reason: its text stays in the database and for coordinators."""
    if not user_may_hide_comments(user):
        raise PermissionDenied(_("Only coordinators may hide comments."))
    kommentar = Kommentar.objects.select_for_update().get(pk=kommentar.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the comment is hidden.")}, code="required")
    if kommentar.is_hidden:
        raise ValidationError(_("The comment is already hidden."), code="hidden")
    kommentar.hidden_at = timezone.now()
    kommentar.hidden_by = user
    kommentar.hidden_reason = reason[:1000]
    kommentar.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return kommentar
