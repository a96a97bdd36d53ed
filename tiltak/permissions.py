"""Who may do what with tiltak and statusmeldinger. The one place that decides; views, services and templates
ask here."""

from django.db.models import Q

from .models import Ansvar, Indikator, Prosjekt, Statusmelding, Tiltak


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


def responsible_tiltak_ids(user) -> set[int]:
    if not user.is_authenticated or user.enhet_id is None:
        return set()
    return set(Ansvar.objects.filter(responsible_filter(user)).values_list("tiltak_id", flat=True))


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
