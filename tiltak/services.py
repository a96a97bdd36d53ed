"""Writes for tiltak: statusmeldinger are appended, never edited or deleted. (Reporting rounds and requests for an
update are in oppfoelging_services.)"""

import datetime
import os
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.forms import text_too_long
from felles.vedlegg import check_upload

from . import oppfoelging_services, permissions
from .models import Aarsstatus, Statusmelding, StatusmeldingVedlegg, Tiltak
from .models.tiltak import LATEST_FIRST

MAX_TEXT_LENGTH = 10_000
MAX_REASON_LENGTH = 500


def programme_dates(tiltak: Tiltak) -> tuple[datetime.date, datetime.date]:
    programme = tiltak.innsatsomraade.omraade.handlingsprogram
    return datetime.date(programme.start_year, 1, 1), datetime.date(programme.end_year, 12, 31)


def default_report_date(tiltak: Tiltak, today: datetime.date | None = None) -> datetime.date:
    """Today, or the programme's last day once its period is over."""
    today = today or timezone.localdate()
    first, last = programme_dates(tiltak)
    return max(first, min(today, last))


def report_date_error(tiltak: Tiltak, date: datetime.date, *, today: datetime.date | None = None) -> str | None:
    """Why ``date`` cannot date a statusmelding on ``tiltak`` (in the future, or outside the programme
    period), or None when it can. The form calls it too, so the user sees every error at once."""
    programme = tiltak.innsatsomraade.omraade.handlingsprogram
    first, last = programme_dates(tiltak)
    if date > (today or timezone.localdate()):
        return _("The date cannot be in the future.")
    if not first <= date <= last:
        return _("The date must be within the programme period %(start)s–%(end)s.") % {
            "start": programme.start_year,
            "end": programme.end_year,
        }
    return None


# Per statusmelding: documents belong with the report, not an archive behind it. Below the request's own cap on
# files (DATA_UPLOAD_MAX_NUMBER_FILES), so one too many gets this message rather than the generic 400 page.
MAX_ATTACHMENTS = 5


def _check_uploads(uploads) -> tuple[list, list[str]]:
    """Each upload with its check, and a message per refused one (named, as several may be chosen at once)."""
    checked, errors = [], []
    if len(uploads) > MAX_ATTACHMENTS:
        return [], [_("Attach at most %(count)s documents to one status report.") % {"count": MAX_ATTACHMENTS}]
    for uploaded in uploads:
        try:
            checked.append((uploaded, check_upload(uploaded, field="vedlegg")))
        except ValidationError as error:
            name = os.path.basename(uploaded.name or "")
            errors += [_("“%(name)s”: %(error)s") % {"name": name, "error": m} for m in error.messages]
    # The limit is also for all of them together, as one form's request body may hold no more
    # (REQUEST_BODY_MAX_BYTES, and the proxy's limit in README): a statusmelding takes what one deltagelse upload does.
    limit = settings.VEDLEGG_MAX_BYTES
    if not errors and sum(uploaded.size for uploaded in uploads) > limit:
        errors.append(_("The documents are larger than %(mb)s MB in all.") % {"mb": limit // (1024 * 1024)})
    return checked, errors


def _lock_tiltak(tiltak_id: int) -> None:
    """Writes that change which statusmelding counts on a tiltak take the tiltak's row lock first, one at a time.
    Its kept current status (``Tiltak.gjeldende_*``) is written from its statusmeldinger in the same transaction,
    and under PostgreSQL's READ COMMITTED a second writer that only waited at that UPDATE would compute it from a
    snapshot taken before the first writer's statusmelding was committed. Taken before any statusmelding's lock,
    so that two writers never wait for each other in opposite orders."""
    list(Tiltak.objects.select_for_update().filter(pk=tiltak_id).values_list("pk", flat=True))


@transaction.atomic
def statusmelding_create(
    *,
    tiltak: Tiltak,
    user,
    date: datetime.date,
    status: str,
    vurdering: str,
    gjennomfoert: str,
    resultater: str = "",
    neste_steg: str = "",
    intern_merknad: str = "",
    korrigerer: Statusmelding | None = None,
    correction_reason: str = "",
    vedlegg: Sequence = (),
    today: datetime.date | None = None,
) -> Statusmelding:
    """Append a statusmelding by ``user``. Raises PermissionDenied for a user who may not log on the tiltak and
    ValidationError (with messages per field) for bad input; nothing is saved in either case.

    With ``korrigerer``, the new statusmelding corrects that one, which must still count (neither withdrawn nor
    already corrected): it is marked superseded by the new one and no longer counts.

    ``vedlegg`` are uploaded documents attached to it, each checked like a deltagelse's (``felles.vedlegg``); one
    refused document refuses the whole statusmelding, so nothing is half saved."""
    if not permissions.can_log_on(user, tiltak):
        raise PermissionDenied
    programme = tiltak.innsatsomraade.omraade.handlingsprogram
    if programme.is_closed:
        raise ValidationError(
            _("The programme %(name)s is closed and takes no more status reports.") % {"name": programme.navn},
            code="programme_closed",
        )
    if programme.is_draft:
        raise ValidationError(
            _("The programme %(name)s is a draft: status reports start when it is adopted.") % {"name": programme.navn},
            code="programme_draft",
        )

    _lock_tiltak(tiltak.pk)
    errors = {}
    if message := report_date_error(tiltak, date, today=today):
        errors["date"] = message
    for field, value in [
        ("gjennomfoert", gjennomfoert),
        ("resultater", resultater),
        ("neste_steg", neste_steg),
        ("intern_merknad", intern_merknad),
    ]:
        if len(value) > MAX_TEXT_LENGTH:
            errors[field] = text_too_long(MAX_TEXT_LENGTH)
    if not gjennomfoert.strip():
        errors["gjennomfoert"] = _("Describe what was done.")
    if korrigerer is not None:
        # Read again and locked: a withdrawal at the same moment (which locks the row too) either waits for this
        # correction or is seen by it.
        korrigerer = Statusmelding.objects.select_for_update().get(pk=korrigerer.pk)
        if korrigerer.tiltak_id != tiltak.pk:
            errors["korrigerer"] = _("A correction must concern a status report on the same measure.")
        elif korrigerer.is_withdrawn:
            errors["korrigerer"] = _("A withdrawn status report cannot be corrected.")
        elif korrigerer.is_superseded:
            errors["korrigerer"] = _("This status report has already been corrected; correct the correction instead.")
    correction_reason = correction_reason.strip()
    if correction_reason and korrigerer is None:
        errors["correction_reason"] = _("A reason for a correction needs the status report it corrects.")
    elif len(correction_reason) > MAX_REASON_LENGTH:
        errors["correction_reason"] = text_too_long(MAX_REASON_LENGTH)
    checked_uploads, upload_errors = _check_uploads(vedlegg)
    if upload_errors:
        errors["vedlegg"] = upload_errors
    if errors:
        raise ValidationError(errors)

    statusmelding = Statusmelding(
        tiltak=tiltak,
        author=user,
        date=date,
        status=status,
        vurdering=vurdering,
        gjennomfoert=gjennomfoert.strip(),
        resultater=resultater.strip(),
        neste_steg=neste_steg.strip(),
        intern_merknad=intern_merknad.strip(),
        korrigerer=korrigerer,
        correction_reason=correction_reason,
    )
    statusmelding.full_clean()
    statusmelding.save()
    for uploaded, checked in checked_uploads:
        attachment = StatusmeldingVedlegg(
            statusmelding=statusmelding,
            navn=checked.name,
            type=checked.kind,
            stoerrelse=uploaded.size,
            uploaded_by=user,
        )
        attachment._history_user = user  # also when no request is at hand
        attachment.fil.save(checked.storage_name, uploaded, save=False)
        attachment.save()
    if korrigerer is not None:
        korrigerer.superseded_by = statusmelding
        korrigerer.save(update_fields=["superseded_by", "updated_at"])
    # A new statusmelding on the tiltak is the answer to the coordinators' open requests on it.
    oppfoelging_services.answer_open_requests(statusmelding=statusmelding)
    return statusmelding


@transaction.atomic
def statusmelding_withdraw(*, statusmelding: Statusmelding, user, begrunnelse: str) -> Statusmelding:
    """A coordinator withdraws a statusmelding with a stated reason; it stays visible as withdrawn."""
    _lock_tiltak(statusmelding.tiltak_id)
    # Lock the row so two coordinators withdrawing at once cannot both succeed.
    statusmelding = Statusmelding.objects.select_for_update().get(pk=statusmelding.pk)
    if not permissions.can_withdraw(user, statusmelding):
        raise PermissionDenied
    begrunnelse = begrunnelse.strip()
    if not begrunnelse:
        raise ValidationError({"begrunnelse": _("State why the status report is withdrawn.")})
    if len(begrunnelse) > MAX_TEXT_LENGTH:
        raise ValidationError({"begrunnelse": text_too_long(MAX_TEXT_LENGTH)})
    statusmelding.withdrawn_at = timezone.now()
    statusmelding.withdrawn_by = user
    statusmelding.trukket_tilbake_begrunnelse = begrunnelse
    statusmelding.full_clean()
    statusmelding.save()
    # A withdrawn correction corrects nothing: what it corrected counts again (saved, so the history shows it).
    for corrected in Statusmelding.objects.select_for_update().filter(superseded_by=statusmelding):
        corrected.superseded_by = None
        corrected.save(update_fields=["superseded_by", "updated_at"])
    return statusmelding


def _tiltak_or_all(tiltak_ids: Sequence[int] | None):
    """The tiltak to refresh: those given, or every tiltak (narrowed in the database by a subquery, never by a
    list of every id, which SQLite caps at 32,766 parameters)."""
    return Tiltak.objects.all() if tiltak_ids is None else Tiltak.objects.filter(pk__in=list(tiltak_ids))


def current_status_refresh(*, tiltak_ids: Sequence[int] | None = None) -> int:
    """Write the current status (``Tiltak.gjeldende_*``) of the given tiltak, or of every tiltak, from their
    statusmeldinger, in one UPDATE, and their status at the end of each programme year (``year_status_refresh``);
    returns how many tiltak. The signals keep both for every save and delete; this is for writes that send none
    (``bulk_create``, ``QuerySet.update``: the demo flag, benchmark and test data)."""
    tiltak = _tiltak_or_all(tiltak_ids)
    with transaction.atomic():
        count = tiltak.update(**Statusmelding.objects.current_status_values())
        year_status_refresh(tiltak_ids=tiltak_ids)
    return count


def year_status_refresh(*, tiltak_ids: Sequence[int] | None = None) -> int:
    """Write the status at the end of each year of its programme (``Aarsstatus``) of the given tiltak, or of every
    tiltak, from their valid statusmeldinger: the latest dated on or before 31 December, NULL before the first.
    A tiltak without a valid statusmelding gets no rows (its kept current status, none, holds for every year).
    Four queries whatever the number of tiltak; returns how many rows were written. Called by the statusmelding
    signals for one tiltak (tiltak/signals.py) and by ``current_status_refresh``."""
    tiltak = _tiltak_or_all(tiltak_ids)
    programme = "innsatsomraade__omraade__handlingsprogram"
    years_of = {
        pk: range(start, end + 1)
        for pk, start, end in tiltak.values_list("pk", f"{programme}__start_year", f"{programme}__end_year")
    }
    latest_first: dict[int, list[tuple]] = {}
    for tiltak_id, *values in (
        Statusmelding.objects.valid()
        .filter(tiltak__in=tiltak)
        .order_by("tiltak_id", *LATEST_FIRST)
        .values_list("tiltak_id", "status", "vurdering", "date", "demo")
    ):
        latest_first.setdefault(tiltak_id, []).append(values)
    rows = []
    for tiltak_id, statusmeldinger in latest_first.items():
        for year in years_of[tiltak_id]:
            year_end = datetime.date(year, 12, 31)
            latest = next((values for values in statusmeldinger if values[2] <= year_end), None)
            status, vurdering, dato, demo = latest or (None, None, None, False)
            rows.append(
                Aarsstatus(tiltak_id=tiltak_id, aar=year, status=status, vurdering=vurdering, dato=dato, demo=demo)
            )
    with transaction.atomic():
        Aarsstatus.objects.filter(tiltak__in=tiltak).delete()
        Aarsstatus.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
