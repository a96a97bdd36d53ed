from django.http import Http404
from django.shortcuts import render

from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import public

from . import selectors


@public
def tiltak_detail(request, program: str, kode: str):
    programme = programme_selectors.programme_get(slug=program)
    tiltak = selectors.tiltak_get_by_code(programme=programme, code=kode) if programme else None
    if tiltak is None:
        raise Http404
    return render(request, "tiltak/tiltak_detail.html", {"programme": programme, "tiltak": tiltak})
