"""Who may do what with tiltak and statusmeldinger. The one place that decides; views, services and templates
ask here."""

from django.db.models import Q

from .models import Ansvar, Statusmelding, Tiltak


def responsible_filter(user, prefix: str = "") -> Q:
    """A Q on Ansvar (through ``prefix``) for the responsibilities that are the user's: those held by their
    enhet, and those held by their aktør as a whole (no enhet named)."""
    if not user.is_authenticated or user.enhet_id is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}enhet_id": user.enhet_id}) | Q(
        **{f"{prefix}enhet__isnull": True, f"{prefix}aktoer_id": user.enhet.aktoer_id}
    )


def is_responsible(user, tiltak: Tiltak) -> bool:
    if not user.is_authenticated or user.enhet_id is None:
        return False
    return Ansvar.objects.filter(responsible_filter(user), tiltak=tiltak).exists()


def can_read_internal(user) -> bool:
    """Every logged-in user (leser, saksbehandler, koordinator) reads internal content."""
    return bool(user.is_authenticated and user.is_active)


def can_log_on(user, tiltak: Tiltak) -> bool:
    """Coordinators and the staff of a responsible enhet or aktør may add statusmeldinger."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_koordinator:
        return True
    return user.rolle == user.Rolle.SAKSBEHANDLER and is_responsible(user, tiltak)


def can_withdraw(user, statusmelding: Statusmelding) -> bool:
    return bool(user.is_authenticated and user.is_koordinator and not statusmelding.is_withdrawn)


def can_read_history(user) -> bool:
    return bool(user.is_authenticated and user.is_koordinator)


def responsible_tiltak_ids(user) -> set[int]:
    if not user.is_authenticated or user.enhet_id is None:
        return set()
    return set(Ansvar.objects.filter(responsible_filter(user)).values_list("tiltak_id", flat=True))


# --- Follow-up: reporting rounds and requests for an update (coordinators ask, responsible staff answer) --------


def is_staff_member(user) -> bool:
    """Case officers and coordinators (not readers): the follow-up of the reporting is their business."""
    return bool(
        user.is_authenticated and user.is_active and (user.is_koordinator or user.rolle == user.Rolle.SAKSBEHANDLER)
    )


def can_manage_runder(user) -> bool:
    """Opening and closing reporting rounds is the coordinators' work."""
    return bool(user.is_authenticated and user.is_koordinator)


def can_ask(user) -> bool:
    return bool(user.is_authenticated and user.is_koordinator)


def can_see_forespoersler(user) -> bool:
    return is_staff_member(user)


def can_answer(user, forespoersel) -> bool:
    """Staff of a unit responsible for the tiltak (coordinators included when their unit is) reply to a request."""
    return bool(is_staff_member(user) and not forespoersel.is_answered and is_responsible(user, forespoersel.tiltak))
