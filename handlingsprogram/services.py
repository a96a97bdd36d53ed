"""Writes for the programme app."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import permissions
from .models import Aktoer, ApiToken


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
