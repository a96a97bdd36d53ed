"""Who may define indikatorer, record their values, and create, edit and import projects."""

from tiltak import permissions as tiltak_permissions
from tiltak.models import Ansvar
from tiltak.permissions import is_responsible, responsible_filter, responsible_tiltak_ids

from .models import Indikator, Prosjekt


def can_define_indikator(user) -> bool:
    """Coordinators define indikatorer: name, unit, baseline and target."""
    return bool(user.is_authenticated and user.is_active and user.is_koordinator)


def can_record_value(user, indikator: Indikator) -> bool:
    """As for statusmeldinger: coordinators, and the staff responsible for the indikator's tiltak (for a
    priority area's indikator: for any tiltak in that area)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_koordinator:
        return True
    if user.rolle != user.Rolle.SAKSBEHANDLER or user.enhet_id is None:
        return False
    if indikator.tiltak_id:
        return is_responsible(user, indikator.tiltak)
    in_area = Ansvar.objects.filter(tiltak__innsatsomraade__omraade=indikator.omraade_id)
    return in_area.filter(responsible_filter(user)).exists()


def can_create_prosjekt(user) -> bool:
    """Coordinators, and staff who are responsible for a tiltak (the project must serve one of theirs)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_koordinator:
        return True
    return user.rolle == user.Rolle.SAKSBEHANDLER and bool(responsible_tiltak_ids(user))


def can_edit_prosjekt(user, prosjekt: Prosjekt) -> bool:
    """Coordinators, and the staff responsible for one of the tiltak the project serves."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_koordinator:
        return True
    if user.rolle != user.Rolle.SAKSBEHANDLER:
        return False
    return bool(responsible_tiltak_ids(user) & {t.pk for t in prosjekt.tiltak.all()})


def can_import_prosjekter(user) -> bool:
    """A spreadsheet may touch any project, so only coordinators import."""
    return bool(user.is_authenticated and user.is_active and user.is_koordinator)


def can_edit_valutakurs(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_koordinator)


def can_read_internal(user) -> bool:
    """Internal fields of results are shown to the same people as a tiltak's."""
    return tiltak_permissions.can_read_internal(user)


def can_read_history(user) -> bool:
    """The audit history of results is shown to the same people as a tiltak's."""
    return tiltak_permissions.can_read_history(user)
