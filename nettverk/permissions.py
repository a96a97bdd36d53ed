"""Who may do what with deltagelser (participation in networks). The one place that decides; views, services and
templates ask here.

Staff (saksbehandlere) register deltagelser and edit those they registered or take part in; coordinators edit all;
readers read. Everyone logged in reads the internal parts; the public sees only the public fields."""

from .models import Deltagelse


def can_read_internal(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_register(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_koordinator or user.rolle == user.Rolle.SAKSBEHANDLER)
    )


def can_edit(user, deltagelse: Deltagelse) -> bool:
    if not can_register(user):
        return False
    if user.is_koordinator or deltagelse.created_by_id == user.pk:
        return True
    return deltagelse.deltakere.filter(pk=user.pk).exists()
