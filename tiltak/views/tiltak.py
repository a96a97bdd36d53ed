from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from felles.fragment_cache import fragment
from felles.pagination import page_get
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import authenticated, public, user_may_read_comments, user_may_see_drafts

from .. import oppfoelging_selectors, page_sections, permissions, selectors


def programme_and_tiltak_or_404(program: str, kode: str, user=None, *, light: bool = False):
    """The programme and its tiltak the URL names, or 404; ``light``: the tiltak without its status and relations
    (selectors.tiltak_light_get)."""
    programme = programme_selectors.programme_get(slug=program, include_drafts=user_may_see_drafts(user))
    get = selectors.tiltak_light_get if light else selectors.tiltak_get_by_code
    tiltak = get(programme=programme, code=kode) if programme else None
    if tiltak is None:
        raise Http404
    return programme, tiltak


@public
def tiltak_detail(request, program: str, kode: str):
    """Public page of a tiltak; logged-in users also see internal remarks, coordinators the audit history.

    The page is the same for every anonymous visitor: for them its body is a kept part (felles/fragment_cache.py),
    and the tiltak's status, relations, timeline and sections are read only when the part is rendered again."""
    user = request.user
    anonymous = not user.is_authenticated
    programme, tiltak = programme_and_tiltak_or_404(program, kode, user, light=anonymous)
    if anonymous:
        full = SimpleLazyObject(lambda: selectors.tiltak_get_by_code(programme=programme, code=kode))
    else:
        full = tiltak
    show_internal = permissions.can_read_internal(user)
    context = {
        "programme": programme,
        "tiltak": tiltak,
        "tiltak_full": full,
        "fragment": fragment(request, "tiltak", tiltak.pk) if anonymous else None,
        "timeline": selectors.statusmelding_timeline(  # a query set: read when the template iterates it
            tiltak=tiltak, with_kommentarer=user_may_read_comments(user), with_vedlegg=show_internal
        ),
        "page_sections": SimpleLazyObject(lambda: page_sections.sections_for(tiltak=full, user=user)),
        "show_internal": show_internal,
        "can_log": permissions.can_log_on(user, tiltak) and not programme.is_draft,
        "can_withdraw": user.is_authenticated and user.is_koordinator,
        "history": selectors.tiltak_history(tiltak=tiltak) if permissions.can_read_history(user) else None,
        "can_ask": permissions.can_ask(user) and not programme.is_draft,
        "forespoersler": None,
    }
    if permissions.can_see_forespoersler(user):
        forespoersler = oppfoelging_selectors.forespoersler_for(tiltak=tiltak)
        context["forespoersler"] = forespoersler
        # Whether the user may reply is only asked when there is an open request to reply to.
        context["can_reply"] = any(not f.is_answered for f in forespoersler) and permissions.is_responsible(
            user, tiltak
        )
    return render(request, "tiltak/tiltak_detail.html", context)


@authenticated
def mine_tiltak(request):
    programme = programme_selectors.programme_current()
    year = selectors.reporting_year(programme) if programme else None
    if programme is None:
        return render(request, "tiltak/mine_tiltak.html", {"programme": None})
    tiltak = selectors.mine_tiltak(user=request.user, programme=programme, year=year)
    # One pass over the user's tiltak gives the order, the count and how many are unreported; then the page's rows.
    keys = list(tiltak.values_list("pk", "rapportert"))
    page = page_get(request, tiltak.only(*selectors.LIST_ROW_FIELDS), keys=[pk for pk, _reported in keys])
    return render(
        request,
        "tiltak/mine_tiltak.html",
        {
            "programme": programme,
            "year": year,
            "page": page,
            "tiltak_list": page.object_list,
            "unreported_count": sum(1 for _pk, reported in keys if not reported),
            "runder_due": oppfoelging_selectors.runder_due_for(user=request.user, programme=programme),
        },
    )
