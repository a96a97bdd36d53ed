"""The public pages of the programme and its areas, with their innsatsområder, tiltak and responsibilities."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.fragment_cache import fragment
from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import authenticated, public, user_may_see_drafts
from varsler import permissions as varsler_permissions
from varsler import selectors as varsler_selectors
from varsler import services as varsler_services

from .. import progress_selectors, rullering_selectors, selectors


def _programme(slug: str | None, user):
    """The programme the URL names (404 if there is none by that slug, or it is a draft the user may not see), or
    else the current one (None while there is none: the page says so)."""
    if slug:
        return or_404(programme_selectors.programme_get(slug=slug, include_drafts=user_may_see_drafts(user)))
    return programme_selectors.programme_current()


@public
def programme_overview(request, program: str | None = None):
    programme = _programme(program, request.user)
    # Read only when the page's kept part (felles/fragment_cache.py) has to be rendered again.
    omraader = SimpleLazyObject(
        lambda: list(selectors.omraader_with_tiltak(programme=programme, kilder=True)) if programme else []
    )
    return render(
        request,
        "tiltak/programme_overview.html",
        {
            "programme": programme,
            "omraader": omraader,
            "progress": SimpleLazyObject(
                lambda: progress_selectors.public_progress(programme=programme, areas=omraader) if programme else None
            ),
            "fragment": fragment(request, "programme-overview", programme.pk) if programme else None,
            "rullering": rullering_selectors.programme_rollover_state(programme=programme, user=request.user)
            if programme
            else None,
        },
    )


@public
def omraade_detail(request, program: str, omraade: str):
    programme = _programme(program, request.user)
    area = or_404(selectors.omraade_light_get(programme=programme, slug=omraade))
    can_follow = varsler_permissions.can_follow(request.user)
    return render(
        request,
        "tiltak/omraade_detail.html",
        {
            "programme": programme,
            "omraade": area,
            # Read only when the page's kept part (felles/fragment_cache.py) has to be rendered again.
            "omraade_full": SimpleLazyObject(lambda: selectors.omraade_get(programme=programme, slug=area.slug)),
            "kapittel": SimpleLazyObject(lambda: programme_selectors.area_chapter(omraade=area)),
            "progress": SimpleLazyObject(
                lambda: progress_selectors.public_progress(
                    programme=programme, areas=[area], omraade=area, id_prefix="progress-area"
                )
            ),
            "fragment": fragment(request, "omraade", area.pk),
            "can_follow": can_follow,
            "foelging": varsler_selectors.foelging_of(user=request.user, followed=area) if can_follow else None,
        },
    )


@authenticated
@require_POST
def omraade_foelg(request, program: str, omraade: str):
    """Follow the priority area (its networks' report-backs), or with ``stopp`` unfollow it."""
    programme = _programme(program, request.user)
    area = or_404(selectors.omraade_get(programme=programme, slug=omraade))
    if request.POST.get("stopp"):
        varsler_services.foelging_stop_object(user=request.user, followed=area)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": area.navn})
    else:
        varsler_services.foelging_start(user=request.user, followed=area)
        messages.success(request, _("You follow %(name)s.") % {"name": area.navn})
    return redirect("tiltak:omraade", program=programme.slug, omraade=area.slug)
