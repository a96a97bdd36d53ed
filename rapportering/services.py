"""Writes for annual reports: draft create/update, approve (freeze) and reopen."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rendering, selectors
from .models import Aarsrapport, Omraadevurdering
from .permissions import can_edit

MAX_TEXT_LENGTH = 20_000


def _require_koordinator(user) -> None:
    if not can_edit(user):
        raise ValidationError(_("Only coordinators can change annual reports."))


def _require_draft(aarsrapport: Aarsrapport) -> None:
    if not aarsrapport.is_draft:
        raise ValidationError(_("Only a draft can be changed; reopen the approved report to make a new version."))


@transaction.atomic
def aarsrapport_draft_create(*, programme, aar: int, user) -> Aarsrapport:
    _require_koordinator(user)
    if not programme.start_year <= aar <= programme.end_year:
        raise ValidationError(
            {
                "aar": _("The year must be within the programme period, %(start)s–%(end)s.")
                % {"start": programme.start_year, "end": programme.end_year}
            }
        )
    existing = selectors.current_for_year(programme=programme, year=aar)
    if existing is not None:
        raise ValidationError({"aar": _("There is already an annual report for %(year)s.") % {"year": aar}})
    latest = Aarsrapport.objects.filter(handlingsprogram=programme, aar=aar).aggregate(v=Max("versjon"))["v"] or 0
    aarsrapport = Aarsrapport(handlingsprogram=programme, aar=aar, versjon=latest + 1)
    aarsrapport.full_clean()
    aarsrapport.save()
    return aarsrapport


@transaction.atomic
def aarsrapport_draft_update(
    *,
    aarsrapport: Aarsrapport,
    user,
    sammendrag: str,
    endrede_forutsetninger: str,
    fu_moetedato,
    fu_saksnummer: str,
    vurderinger: dict[int, str],
) -> Aarsrapport:
    """Save the coordinators' texts. ``vurderinger`` maps a PrioritertOmraade pk of the report's programme to
    its assessment text."""
    _require_koordinator(user)
    aarsrapport = Aarsrapport.objects.select_for_update().get(pk=aarsrapport.pk)
    _require_draft(aarsrapport)
    aarsrapport.sammendrag = sammendrag
    aarsrapport.endrede_forutsetninger = endrede_forutsetninger
    aarsrapport.fu_moetedato = fu_moetedato
    aarsrapport.fu_saksnummer = fu_saksnummer
    aarsrapport.full_clean()
    aarsrapport.save()
    areas = {area.pk: area for area in aarsrapport.handlingsprogram.omraader.all()}
    for omraade_pk, tekst in vurderinger.items():
        if omraade_pk not in areas:
            raise ValidationError(_("That priority area is not part of the report's programme."))
        Omraadevurdering.objects.update_or_create(
            aarsrapport=aarsrapport, omraade=areas[omraade_pk], defaults={"tekst": tekst}
        )
    return aarsrapport


@transaction.atomic
def aarsrapport_approve(*, aarsrapport: Aarsrapport, user) -> Aarsrapport:
    """Freeze the draft: store the document it shows now, the PDF rendered from that document, and the PDF's
    SHA-256. A render failure raises ValidationError and leaves the draft as it was."""
    _require_koordinator(user)
    aarsrapport = Aarsrapport.objects.select_for_update().select_related("handlingsprogram").get(pk=aarsrapport.pk)
    _require_draft(aarsrapport)
    document = selectors.live_document(
        programme=aarsrapport.handlingsprogram, year=aarsrapport.aar, aarsrapport=aarsrapport
    )
    document["editorial"]["status"] = Aarsrapport.Status.GODKJENT
    try:
        pdf = rendering.render_pdf(document)
    except rendering.RenderError as error:
        raise ValidationError(str(error)) from error
    aarsrapport.status = Aarsrapport.Status.GODKJENT
    aarsrapport.approved_at = timezone.now()
    aarsrapport.approved_by = user
    aarsrapport.frozen_content = document
    aarsrapport.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    programme_slug = aarsrapport.handlingsprogram.slug
    aarsrapport.pdf.save(
        f"aarsrapport-{programme_slug}-{aarsrapport.aar}-v{aarsrapport.versjon}.pdf", ContentFile(pdf), save=False
    )
    aarsrapport.full_clean()
    aarsrapport.save()
    return aarsrapport


@transaction.atomic
def aarsrapport_reopen(*, aarsrapport: Aarsrapport, user, reason: str) -> Aarsrapport:
    """Supersede an approved report with a new draft version carrying its texts. The approved version, its
    frozen data and its PDF stay as they are."""
    _require_koordinator(user)
    aarsrapport = Aarsrapport.objects.select_for_update().get(pk=aarsrapport.pk)
    if aarsrapport.status != Aarsrapport.Status.GODKJENT:
        raise ValidationError(_("Only an approved report can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reopened_reason": _("Say why the report is reopened.")})
    aarsrapport.status = Aarsrapport.Status.ERSTATTET
    aarsrapport.save(update_fields=["status", "updated_at"])
    draft = Aarsrapport(
        handlingsprogram=aarsrapport.handlingsprogram,
        aar=aarsrapport.aar,
        versjon=aarsrapport.versjon + 1,
        sammendrag=aarsrapport.sammendrag,
        endrede_forutsetninger=aarsrapport.endrede_forutsetninger,
        fu_moetedato=aarsrapport.fu_moetedato,
        fu_saksnummer=aarsrapport.fu_saksnummer,
        reopened_reason=reason,
    )
    draft.full_clean()
    draft.save()
    Omraadevurdering.objects.bulk_create(
        Omraadevurdering(aarsrapport=draft, omraade_id=v.omraade_id, tekst=v.tekst)
        for v in aarsrapport.vurderinger.all()
    )
    return draft
