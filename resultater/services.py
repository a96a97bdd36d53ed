"""Writes for results: indikatorer and their values, exchange rates, projects and the project import. Every
function takes the acting user as ``user=`` and raises PermissionDenied when it is not allowed."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.forms import text_too_long
from tiltak.models import Tiltak

from . import permissions
from .models import Indikator, Indikatorverdi, Prosjekt, ProsjektImport, Valutakurs
from .models.prosjekt import Valuta
from .prosjekt_import import MAX_FILE_BYTES, Action, FileUnreadable, plan_upload, read_rows, rows_to_json
from .rules import PROJECT_YEAR_RANGE, ProsjektData, prosjekt_errors, value_error

MAX_TEXT_LENGTH = 10_000


BASELINE_YEARS_BEFORE_PROGRAMME = 10
MAX_NAME_LENGTH = 200


def baseline_year_range(programme) -> tuple[int, int]:
    return programme.start_year - BASELINE_YEARS_BEFORE_PROGRAMME, programme.end_year


def value_year_range(indikator: Indikator, today: datetime.date | None = None) -> tuple[int, int]:
    """Values may be recorded from the baseline year (or the programme's start) to the programme's last year,
    and never for a year that has not begun."""
    programme = indikator.handlingsprogram
    today = today or timezone.localdate()
    return min(indikator.basis_aar, programme.start_year), min(programme.end_year, today.year)


def _year_error(aar: int | None, first: int, last: int) -> str | None:
    if aar is None or not first <= aar <= last:
        return _("The year must be between %(first)s and %(last)s.") % {"first": first, "last": last}
    return None


def _indikator_errors(*, programme, navn, maaleenhet, basis_verdi, basis_aar, basis_kilde, maal_verdi, maal_aar):
    errors = {}
    if not navn.strip():
        errors["navn"] = _("Give the indicator a name.")
    elif len(navn.strip()) > MAX_NAME_LENGTH:
        errors["navn"] = text_too_long(MAX_NAME_LENGTH)
    if maaleenhet not in Indikator.Maaleenhet.values:
        errors["maaleenhet"] = _("Choose a unit from the list.")
    else:
        if message := value_error(maaleenhet, basis_verdi):
            errors["basis_verdi"] = message
        if maal_verdi is not None and (message := value_error(maaleenhet, maal_verdi)):
            errors["maal_verdi"] = message
    if message := _year_error(basis_aar, *baseline_year_range(programme)):
        errors["basis_aar"] = message
    if not basis_kilde.strip():
        errors["basis_kilde"] = _("State where the baseline comes from.")
    if (maal_verdi is None) != (maal_aar is None):
        errors["maal_aar" if maal_aar is None else "maal_verdi"] = _("A target needs both a value and a year.")
    elif maal_aar is not None and (message := _year_error(maal_aar, programme.start_year, programme.end_year)):
        errors["maal_aar"] = message
    return errors


@transaction.atomic
def indikator_save(
    *,
    user,
    indikator: Indikator | None = None,
    tiltak: Tiltak | None = None,
    omraade=None,
    navn: str,
    maaleenhet: str,
    retning: str,
    basis_verdi: Decimal,
    basis_aar: int,
    basis_kilde: str,
    maal_verdi: Decimal | None = None,
    maal_aar: int | None = None,
    beskrivelse: str = "",
) -> Indikator:
    """Create an indikator on a tiltak or a priority area (exactly one), or change ``indikator``'s definition
    (what it measures stays). Coordinators only."""
    if not permissions.can_define_indikator(user):
        raise PermissionDenied
    if indikator is None:
        if (tiltak is None) == (omraade is None):
            raise ValidationError(_("An indicator measures either a measure or a priority area."))
        indikator = Indikator(tiltak=tiltak, omraade=omraade)
    programme = indikator.handlingsprogram
    errors = _indikator_errors(
        programme=programme,
        navn=navn,
        maaleenhet=maaleenhet,
        basis_verdi=basis_verdi,
        basis_aar=basis_aar,
        basis_kilde=basis_kilde,
        maal_verdi=maal_verdi,
        maal_aar=maal_aar,
    )
    if indikator.pk and maaleenhet != indikator.maaleenhet and indikator.verdier.exists():
        errors["maaleenhet"] = _("The unit cannot change once values are recorded.")
    if len(beskrivelse) > MAX_TEXT_LENGTH:
        errors["beskrivelse"] = text_too_long(MAX_TEXT_LENGTH)
    if errors:
        raise ValidationError(errors)
    indikator.navn = navn.strip()
    indikator.beskrivelse = beskrivelse.strip()
    indikator.maaleenhet = maaleenhet
    indikator.retning = retning
    indikator.basis_verdi = basis_verdi
    indikator.basis_aar = basis_aar
    indikator.basis_kilde = basis_kilde.strip()
    indikator.maal_verdi = maal_verdi
    indikator.maal_aar = maal_aar
    indikator._change_reason = ""
    indikator.full_clean()
    indikator.save()
    return indikator


@transaction.atomic
def indikatorverdi_save(
    *,
    indikator: Indikator,
    user,
    aar: int,
    verdi: Decimal,
    kilde: str,
    kommentar: str = "",
    today: datetime.date | None = None,
) -> tuple[Indikatorverdi, bool]:
    """Record the indikator's value for ``aar``, or correct the value already recorded for it (the history keeps
    what it was). Returns the value and whether it was new."""
    if not permissions.can_record_value(user, indikator):
        raise PermissionDenied
    programme = indikator.handlingsprogram
    if programme.is_closed:
        raise ValidationError(
            _("The programme %(name)s is closed and takes no more values.") % {"name": programme.navn}
        )
    errors = {}
    if message := _year_error(aar, *value_year_range(indikator, today)):
        errors["aar"] = message
    if message := value_error(indikator.maaleenhet, verdi):
        errors["verdi"] = message
    if not kilde.strip():
        errors["kilde"] = _("State where the value comes from.")
    elif len(kilde.strip()) > 500:
        errors["kilde"] = text_too_long(500)
    if len(kommentar) > MAX_TEXT_LENGTH:
        errors["kommentar"] = text_too_long(MAX_TEXT_LENGTH)
    if errors:
        raise ValidationError(errors)
    # Lock an existing value so two corrections at once cannot interleave.
    existing = Indikatorverdi.objects.select_for_update().filter(indikator=indikator, aar=aar).first()
    created = existing is None
    value = existing or Indikatorverdi(indikator=indikator, aar=aar)
    value.verdi = verdi
    value.kilde = kilde.strip()
    value.kommentar = kommentar.strip()
    value.created_by = user
    value.demo = False  # a person's value replaces a demo one (load_demo flags its own afterwards)
    value.full_clean(validate_unique=created)
    value.save()  # tiltak/signals.py moves the indikator's updated_at
    return value, created


@transaction.atomic
def valutakurs_save(*, user, aar: int, valuta: str, kurs: Decimal, kilde: str = "") -> tuple[Valutakurs, bool]:
    """Set the NOK rate of ``valuta`` in ``aar`` (creating or correcting it). Coordinators only."""
    if not permissions.can_edit_valutakurs(user):
        raise PermissionDenied
    errors = {}
    if message := _year_error(aar, *PROJECT_YEAR_RANGE):
        errors["aar"] = message
    if valuta not in Valuta.values or valuta == Valuta.NOK:
        errors["valuta"] = _("Choose a currency other than NOK from the list.")
    if not kurs.is_finite() or not Decimal("0.0001") <= kurs <= Decimal("10000"):
        errors["kurs"] = _("The rate must be between 0,0001 and 10 000 NOK per unit.")
    elif kurs != kurs.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP):
        errors["kurs"] = _("Use at most four decimals.")
    if len(kilde) > 300:
        errors["kilde"] = text_too_long(300)
    if errors:
        raise ValidationError(errors)
    rate, created = Valutakurs.objects.select_for_update().get_or_create(
        aar=aar, valuta=valuta, defaults={"kurs": kurs, "kilde": kilde.strip()}
    )
    if not created and (rate.kurs, rate.kilde) != (kurs, kilde.strip()):
        rate.kurs, rate.kilde = kurs, kilde.strip()
        rate.demo = False  # a person's rate replaces a demo one (load_demo flags its own afterwards)
        rate.save()
    return rate, created


IMPORT_BATCH_SIZE = 500
_RELATIONS = (("aktoerer", "aktoer_id"), ("tiltak", "tiltak_id"))


def _batches(items: list, size: int = IMPORT_BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _prosjekt_write_many(
    *, creates: list[ProsjektData], updates: list[tuple[Prosjekt, ProsjektData]], user
) -> list[Prosjekt]:
    """Save projects, from the form (one) or an import (thousands), in a number of queries that grows with the
    batches, not the rows: 5,000 projects saved one by one took 125,000 queries. The audit history gets one
    version per saved project, holding its fields and its organisations and measures as saved, by ``user``
    (``save()`` and ``set()`` would record one version for the save and one more for each relation). No signals
    are sent: nothing listens for them. Returns the created projects."""
    now = timezone.now()
    created = [Prosjekt(**{name: getattr(data, name) for name in ProsjektData.SCALAR_FIELDS}) for data in creates]
    Prosjekt.objects.bulk_create(created, batch_size=IMPORT_BATCH_SIZE)
    changed = []
    for prosjekt, data in updates:
        for name in ProsjektData.SCALAR_FIELDS:
            setattr(prosjekt, name, getattr(data, name))
        prosjekt.updated_at = now  # bulk_update leaves auto_now alone
        changed.append(prosjekt)
    if changed:
        Prosjekt.objects.bulk_update(
            changed, [*ProsjektData.SCALAR_FIELDS, "updated_at"], batch_size=IMPORT_BATCH_SIZE // 5
        )

    saved = list(zip(created, creates, strict=True)) + [(p, data) for p, data in updates]
    updated_pks = [prosjekt.pk for prosjekt in changed]
    snapshot: dict[str, list] = {}
    for relation, attname in _RELATIONS:
        through = getattr(Prosjekt, relation).through
        wanted = {(prosjekt.pk, item.pk) for prosjekt, data in saved for item in getattr(data, relation)}
        existing = {}
        for pks in _batches(updated_pks):
            for row in through.objects.filter(prosjekt_id__in=pks):
                existing[(row.prosjekt_id, getattr(row, attname))] = row
        stale = [row.pk for key, row in existing.items() if key not in wanted]
        for pks in _batches(stale):
            through.objects.filter(pk__in=pks).delete()
        added = through.objects.bulk_create(
            [
                through(prosjekt_id=prosjekt_id, **{attname: other_id})
                for prosjekt_id, other_id in sorted(wanted - existing.keys())
            ],
            batch_size=IMPORT_BATCH_SIZE * 2,
        )
        snapshot[relation] = [row for key, row in existing.items() if key in wanted] + added

    history = (
        Prosjekt.history.bulk_history_create(created, default_user=user, default_date=now, batch_size=IMPORT_BATCH_SIZE)
        or []
    )
    history += (
        Prosjekt.history.bulk_history_create(
            changed, update=True, default_user=user, default_date=now, batch_size=IMPORT_BATCH_SIZE
        )
        or []
    )
    version = {record.id: record.history_id for record in history}
    for relation, attname in _RELATIONS:
        historical = getattr(Prosjekt.history.model, relation).model
        historical.objects.bulk_create(
            [
                historical(
                    history_id=version[row.prosjekt_id],
                    id=row.pk,
                    prosjekt_id=row.prosjekt_id,
                    **{attname: getattr(row, attname)},
                )
                for row in snapshot[relation]
                if row.prosjekt_id in version
            ],
            batch_size=IMPORT_BATCH_SIZE * 2,
        )
    return created


@transaction.atomic
def prosjekt_save(*, user, data: ProsjektData, prosjekt: Prosjekt | None = None) -> Prosjekt:
    """Create a project, or change ``prosjekt``. Staff who are not coordinators may only save a project that
    serves at least one tiltak their unit is responsible for."""
    if prosjekt is None and not permissions.can_create_prosjekt(user):
        raise PermissionDenied
    if prosjekt is not None and not permissions.can_edit_prosjekt(user, prosjekt):
        raise PermissionDenied
    errors = prosjekt_errors(data)
    if "ekstern_id" not in errors:
        taken = Prosjekt.objects.filter(ekstern_id=data.ekstern_id)
        if prosjekt is not None:
            taken = taken.exclude(pk=prosjekt.pk)
        if taken.exists():
            errors["ekstern_id"] = _("Another project already has this project number.")
    if not user.is_koordinator and not permissions.responsible_tiltak_ids(user) & {t.pk for t in data.tiltak}:
        errors["tiltak"] = _("The project must serve at least one measure your unit is responsible for.")
    if errors:
        raise ValidationError(errors)
    if prosjekt is None:
        return _prosjekt_write_many(creates=[data], updates=[], user=user)[0]
    _prosjekt_write_many(creates=[], updates=[(prosjekt, data)], user=user)
    return prosjekt


@transaction.atomic
def prosjekt_import_upload(*, user, filename: str, content: bytes) -> ProsjektImport:
    """Keep an uploaded spreadsheet for its preview. Nothing about projects changes until it is applied."""
    if not permissions.can_import_prosjekter(user):
        raise PermissionDenied
    if not content:
        raise ValidationError({"fil": _("The file is empty.")})
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            {"fil": _("The file is too large (at most %(max)s MB).") % {"max": MAX_FILE_BYTES // (1024 * 1024)}}
        )
    # Read once, here: the preview and the import use these rows, so the file is never unpacked again.
    try:
        rows = read_rows(content, filename)
    except FileUnreadable as error:
        raise ValidationError({"fil": str(error)}) from error
    upload = ProsjektImport(fil=content, filnavn=filename[:255], rader=rows_to_json(rows), created_by=user)
    upload.save()
    return upload


@transaction.atomic
def prosjekt_import_apply(*, user, upload: ProsjektImport, programme) -> ProsjektImport:
    """Save every row of an uploaded spreadsheet, or nothing: the rows read at upload are checked again against
    the database as it is now, and if any row has an error nothing is saved. Rows equal to their project are left
    alone, so importing the same file twice changes nothing the second time."""
    if not permissions.can_import_prosjekter(user) or upload.created_by_id != user.pk:
        raise PermissionDenied
    upload = ProsjektImport.objects.select_for_update().defer("fil").get(pk=upload.pk)
    if upload.imported_at is not None:
        raise ValidationError(_("This file has already been imported."))
    plan = plan_upload(upload, programme=programme)
    if not plan.is_valid:
        raise ValidationError(_("The file has errors; nothing was saved."))
    _prosjekt_write_many(
        creates=[row.data for row in plan.rows if row.action == Action.CREATE],
        updates=[(row.prosjekt, row.data) for row in plan.rows if row.action == Action.UPDATE],
        user=user,
    )
    counts = plan.counts
    upload.imported_at = timezone.now()
    upload.antall_opprettet = counts[Action.CREATE]
    upload.antall_oppdatert = counts[Action.UPDATE]
    upload.antall_uendret = counts[Action.UNCHANGED]
    upload.save(update_fields=["imported_at", "antall_opprettet", "antall_oppdatert", "antall_uendret"])
    return upload
