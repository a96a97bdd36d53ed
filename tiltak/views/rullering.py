"""The coordinators' pages for rolling a programme over (rullering) and recording its adoption."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from felles.forms import add_service_errors
from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import koordinator_only, user_may_see_drafts

from .. import rullering_selectors, rullering_services
from ..forms_rullering import AdoptForm, DecisionForm, RollOverForm
from ..models import TiltakRullering


def _programme_or_404(request, program: str):
    include_drafts = user_may_see_drafts(request.user)
    return or_404(programme_selectors.programme_get(slug=program, include_drafts=include_drafts))


def _draft_or_404(request, program: str):
    programme = or_404(
        programme_selectors.programme_get(slug=program, include_drafts=user_may_see_drafts(request.user))
    )
    if not programme.is_draft or programme.forgjenger_id is None:
        raise Http404
    return programme


def _years_replaced(navn: str, old, start: int, end: int) -> str:
    for sep in ("–", "-"):
        navn = navn.replace(f"{old.start_year}{sep}{old.end_year}", f"{start}{sep}{end}")
    return navn


@koordinator_only
def rullering_start(request, program: str):
    """Start the successor of the current programme as a draft: its name and period."""
    programme = or_404(
        programme_selectors.programme_get(slug=program, include_drafts=user_may_see_drafts(request.user))
    )
    length = programme.end_year - programme.start_year
    start = programme.end_year + 1
    initial = {
        "navn": _years_replaced(programme.navn, programme, start, start + length),
        "slug": _years_replaced(programme.slug, programme, start, start + length),
        "start_year": start,
        "end_year": start + length,
    }
    form = RollOverForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft = rullering_services.programme_roll_over(user=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The draft %(name)s was made. Decide what becomes of each measure.") % {"name": draft.navn}
            )
            return redirect("tiltak:rullering", program=draft.slug)
    return render(request, "tiltak/rullering_start.html", {"programme": programme, "form": form})


@koordinator_only
def rullering_decisions(request, program: str):
    """Every tiltak of the old programme with what becomes of it in the draft."""
    programme = _draft_or_404(request, program)
    return render(
        request,
        "tiltak/rullering_decisions.html",
        {"programme": programme, "rulleringer": rullering_selectors.rulleringer_for_draft(programme=programme)},
    )


@koordinator_only
def rullering_decision(request, program: str, kode: str):
    """Decide what becomes of one old tiltak (``kode`` in the old programme)."""
    programme = _draft_or_404(request, program)
    rullering = or_404(rullering_selectors.rullering_get(programme=programme, code=kode))
    targets = [t for t in rullering_selectors.draft_tiltak(programme=programme) if t.pk != rullering.kopi_id]
    initial = {
        "decision": rullering.decision,
        "reason": rullering.reason,
        "tekst": rullering.kopi.tekst if rullering.kopi else "",
    }
    if rullering.decision == TiltakRullering.Decision.SLAATT_SAMMEN:
        initial["target"] = str(rullering.etterfoelgere.all()[0].pk) if rullering.etterfoelgere.all() else ""
    form = DecisionForm(request.POST or None, initial=initial, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = (
            rullering_selectors.draft_tiltak_get(programme=programme, pk=data["target"]) if data["target"] else None
        )
        try:
            rullering_services.tiltak_rullering_decide(
                user=request.user,
                rullering=rullering,
                decision=data["decision"],
                reason=data["reason"],
                tekst=data["tekst"],
                target=target,
                split_texts=data["split_texts"].splitlines(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision on measure %(code)s was saved.") % {"code": kode})
            return redirect(reverse("tiltak:rullering", kwargs={"program": programme.slug}) + f"#r-{rullering.pk}")
    return render(
        request, "tiltak/rullering_decision.html", {"programme": programme, "rullering": rullering, "form": form}
    )


@koordinator_only
def programme_adopt(request, program: str):
    """Record Fylkesutvalget's adoption of the draft: it becomes the current programme, the old one is closed."""
    programme = _draft_or_404(request, program)
    form = AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rullering_services.programme_adopt(user=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now the current programme.") % {"name": programme.navn})
            return redirect(programme.get_absolute_url())
    return render(request, "tiltak/programme_adopt.html", {"programme": programme, "form": form})
