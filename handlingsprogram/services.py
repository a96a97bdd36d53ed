"""Writes for the programme app."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import Aktoer, ApiToken, Handlingsprogram, Kilde
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


# --- Provenance: confirming and correcting what the portal inferred ---------------------------------------------
#
# Generic over every model with kilder: the fact is found through the Kilde's content type and ``_meta``, so this
# app needs to know nothing of tiltak, nettverk or resultater.


class KildeStale(ValidationError):
    """The inferred fact was confirmed, corrected or removed since the page was shown."""


def _inferred_kilde_locked(kilde_id: int) -> Kilde:
    """The Kilde, locked for this transaction, if it is still an inference; KildeStale otherwise."""
    kilde = Kilde.objects.select_for_update().select_related("content_type").filter(pk=kilde_id).first()
    if kilde is None or kilde.type != Kilde.Type.UTLEDET:
        raise KildeStale(_("This inferred fact has already been confirmed, corrected or removed. Nothing was changed."))
    return kilde


def kilde_fact(kilde: Kilde):
    """(model instance, model field or None for the row itself) the Kilde is about; KildeStale when the row, the
    field or the link no longer exists."""
    model = kilde.content_type.model_class()
    fact = model._default_manager.filter(pk=kilde.object_id).first() if model is not None else None
    gone = KildeStale(_("The fact this source was about no longer exists. Nothing was changed."))
    if fact is None:
        raise gone
    if kilde.field_name == "":
        return fact, None
    try:
        field = model._meta.get_field(kilde.field_name)
    except FieldDoesNotExist as error:
        raise gone from error
    if field.many_to_many:
        if kilde.related_id is None or not getattr(fact, field.name).filter(pk=kilde.related_id).exists():
            raise gone
    elif not getattr(field, "concrete", False):
        raise gone
    return fact, field


def _record_person(kilde: Kilde, *, user, keep_reasoning: bool) -> Kilde:
    kilde.type = Kilde.Type.PERSON
    kilde.recorded_by = user
    kilde.recorded_at = timezone.now()
    if not keep_reasoning:
        kilde.reasoning = ""
    kilde._history_user = user
    kilde.full_clean()
    kilde.save()
    return kilde


@transaction.atomic
def kilde_confirm(*, kilde_id: int, user) -> Kilde:
    """A coordinator confirms an inferred fact: it becomes a fact entered by them, now. The reasoning stays on the
    Kilde (and in its history) as why the fact was first assumed."""
    if not permissions.user_may_review_kilder(user):
        raise PermissionDenied
    kilde = _inferred_kilde_locked(kilde_id)
    kilde_fact(kilde)
    return _record_person(kilde, user=user, keep_reasoning=True)


def correctable_field(field) -> bool:
    """Whether a field fact can be corrected with a form for that one field."""
    return field is not None and not field.many_to_many and getattr(field, "editable", False) and field.concrete


def field_formfield(*, fact, field):
    """The form field for correcting one field of ``fact``: the model field's own, limited to the units of the
    row's actor when the field is a unit and the row has an actor."""
    formfield = field.formfield()
    if isinstance(field, models.ForeignKey) and hasattr(fact, "aktoer_id") and hasattr(field.related_model, "aktoer"):
        formfield.queryset = formfield.queryset.filter(aktoer_id=fact.aktoer_id)
    return formfield


def link_target_queryset(field) -> models.QuerySet:
    """The rows a link of ``field`` (a many-to-many field) may point to, with the rows their names are made of
    (the joins of the model's ordering), so that listing them costs one query."""
    model = field.related_model
    paths = {
        "__".join(part.lstrip("-").split("__")[:-1])
        for part in model._meta.ordering
        if isinstance(part, str) and "__" in part
    }
    paths.discard("")
    rows = model._default_manager.all()
    return rows.select_related(*sorted(paths)) if paths else rows


@transaction.atomic
def kilde_correct_field(*, kilde_id: int, user, value) -> Kilde:
    """A coordinator corrects an inferred field fact (an ansvar's unit or role, a membership's level …): the row
    gets ``value`` (as the field's form field cleans it), is validated and saved, and the Kilde becomes the
    coordinator's. Invalid values raise ValidationError and change nothing."""
    if not permissions.user_may_review_kilder(user):
        raise PermissionDenied
    kilde = _inferred_kilde_locked(kilde_id)
    fact, field = kilde_fact(kilde)
    if not correctable_field(field):
        raise ValidationError(_("This fact cannot be corrected here; confirm it or change it in the administration."))
    if isinstance(field, models.ForeignKey) and value is not None and not isinstance(value, field.related_model):
        raise ValidationError(_("Choose a valid value."))
    setattr(fact, field.name, value)
    fact._history_user = user
    fact.full_clean()
    fact.save()
    return _record_person(kilde, user=user, keep_reasoning=False)


@transaction.atomic
def kilde_correct_link(*, kilde_id: int, user, target=None) -> Kilde | None:
    """A coordinator corrects an inferred link (an area's SDG, a tiltak's goal, a network's tiltak …): with no
    ``target`` the link is removed and its Kilde with it (the Kilde's history keeps both); with one the link is
    moved to ``target`` and the Kilde becomes the coordinator's."""
    if not permissions.user_may_review_kilder(user):
        raise PermissionDenied
    kilde = _inferred_kilde_locked(kilde_id)
    fact, field = kilde_fact(kilde)
    if field is None or not field.many_to_many:
        raise ValidationError(_("This fact is not a link; correct it as a field."))
    links = getattr(fact, field.name)
    if target is None:
        links.remove(kilde.related_id)
        kilde._history_user = user
        kilde.delete()
        return None
    if not isinstance(target, field.related_model) or target.pk is None:
        raise ValidationError(_("Choose a valid value."))
    if target.pk == kilde.related_id:
        raise ValidationError(_("That is the link as it is; confirm it instead."))
    if links.filter(pk=target.pk).exists():
        raise ValidationError(_("That link already exists."))
    links.remove(kilde.related_id)
    links.add(target)
    # A source left behind by an earlier link to the same row would block this one; it described a link that
    # no longer existed.
    Kilde.objects.filter(
        content_type=kilde.content_type, object_id=kilde.object_id, field_name=kilde.field_name, related_id=target.pk
    ).delete()
    kilde.related_id = target.pk
    return _record_person(kilde, user=user, keep_reasoning=False)


@transaction.atomic
def programme_four_eyes_set(*, programme, user, required: bool):
    """A coordinator decides whether the programme's annual reports and final evaluation need a second coordinator
    to approve them (``Handlingsprogram.four_eyes_approval``); the change is in the programme's audit history."""
    if not permissions.user_is_koordinator(user):
        raise PermissionDenied
    programme = Handlingsprogram.objects.select_for_update().get(pk=programme.pk)
    if programme.four_eyes_approval == bool(required):
        return programme
    programme.four_eyes_approval = bool(required)
    programme._history_user = user
    programme.save(update_fields=["four_eyes_approval", "updated_at"])
    return programme
