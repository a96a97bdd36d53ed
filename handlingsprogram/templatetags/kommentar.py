"""``{% kommentar_thread entry "statusmelding" %}``: the comment thread under an entry, for logged-in users only.

Reads ``entry.kommentarer.all()``: prefetch it with ``selectors.kommentarer_prefetch()`` where a page shows many
entries, so the threads cost one query however many there are."""

from django import template
from django.utils import timezone

from handlingsprogram.models import Kommentar
from handlingsprogram.permissions import (
    user_may_comment,
    user_may_edit_comment,
    user_may_hide_comments,
    user_may_read_comments,
)

register = template.Library()


@register.inclusion_tag("handlingsprogram/_kommentarer.html", takes_context=True)
def kommentar_thread(context, entry, kind: str, level: int = 4):
    """``level``: the heading level of the thread's "Comments" heading (4 under a timeline entry, 2 on a page)."""
    user = context["request"].user
    if not user_may_read_comments(user):
        return {"hidden": True}
    now = timezone.now()
    can_hide = user_may_hide_comments(user)
    rows = [
        {
            "kommentar": kommentar,
            "editable": user_may_edit_comment(user, kommentar, now=now),
            "hideable": can_hide and not kommentar.is_hidden,
        }
        for kommentar in entry.kommentarer.all()
    ]
    return {
        "rows": rows,
        "kind": kind,
        "level": level if level in (2, 3, 4, 5) else 4,
        "target_pk": entry.pk,
        "can_comment": user_may_comment(user),
        "can_hide": can_hide,
        "max_length": Kommentar.MAX_LENGTH,
        "csrf_token": context.get("csrf_token"),
    }
