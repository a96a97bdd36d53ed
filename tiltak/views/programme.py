"""The public pages of the programme and its areas, with their innsatsområder, tiltak and responsibilities."""

from django.shortcuts import render

from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import public, user_may_see_drafts

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
    omraader = list(selectors.omraader_with_tiltak(programme=programme, kilder=True)) if programme else []
    return render(
        request,
        "tiltak/programme_overview.html",
        {
            "programme": programme,
            "omraader": omraader,
            "progress": progress_selectors.public_progress(programme=programme, areas=omraader) if programme else None,
            "rullering": rullering_selectors.programme_rollover_state(programme=programme, user=request.user)
            if programme
            else None,
        },
    )


@public
def omraade_detail(request, program: str, omraade: str):
    programme = _programme(program, request.user)
    area = or_404(selectors.omraade_get(programme=programme, slug=omraade))
    return render(
        request,
        "tiltak/omraade_detail.html",
        {
            "programme": programme,
            "omraade": area,
            "kapittel": programme_selectors.area_chapter(omraade=area),
            "progress": progress_selectors.public_progress(
                programme=programme, areas=[area], omraade=area, id_prefix="progress-area"
            ),
        },
    )
