"""Writes for the programme app."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import permissions
from .models import Aktoer, ApiToken, Kilde
from .models.kilde import WHOLE_ROW


@transaction.atomic
def api_token_create(*, user, navn: str, aktoer: Aktoer | None) -> tuple[ApiToken, str]:
    """A new partner API token and its key, made by a coordinator. The key is returned once and never stored (only
    its hash)."""
    if not permissions.user_may_create_api_tokens(user):
        raise PermissionDenied
    key, prefix, key_hash = ApiToken.new_key()
    token = ApiToken(navn=navn, aktoer=aktoer, prefix=prefix, key_hash=key_hash, created_by=user)
    token.full_clean()
    token.save()
    return token, key


def user_entra_access_apply(*, user, access) -> None:
    """Give an Entra ID user the role and unit their groups give (``selectors.entra_access``), at every login, so
    a change of groups in Entra ID takes effect the next time they log in. Unsaved users get the values only."""
    if (user.rolle, user.enhet_id) == (access.rolle, access.enhet_id):
        return
    user.rolle, user.enhet_id = access.rolle, access.enhet_id
    if user.pk is not None:
        user.save(update_fields=["rolle", "enhet"])


def kilde_person_record(*, fact, user, field_name: str = WHOLE_ROW, related_id: int | None = None) -> Kilde:
    """Record that ``user`` entered or changed a programme fact (the row ``fact``, one of its fields, or one link of
    a many-to-many relation): its source becomes that person, now. Allowed to whoever may change the fact."""
    opts = fact._meta
    if not (
        user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        or user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
    ):
        raise PermissionDenied
    with transaction.atomic():
        kilde = Kilde.objects.filter(
            content_type=ContentType.objects.get_for_model(fact),
            object_id=fact.pk,
            field_name=field_name,
            related_id=related_id,
        ).first() or Kilde(
            content_type=ContentType.objects.get_for_model(fact),
            object_id=fact.pk,
            field_name=field_name,
            related_id=related_id,
        )
        kilde.type, kilde.reference, kilde.reasoning = Kilde.Type.PERSON, "", ""
        kilde.recorded_by, kilde.recorded_at = user, timezone.now()
        kilde.full_clean()
        kilde.save()
    return kilde


def kilde_forget(*, fact, user, field_name: str, related_id: int | None = None) -> None:
    """The fact is gone (a link removed, a field emptied): so is its source."""
    opts = fact._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        raise PermissionDenied
    Kilde.objects.filter(
        content_type=ContentType.objects.get_for_model(fact),
        object_id=fact.pk,
        field_name=field_name,
        related_id=related_id,
    ).delete()
