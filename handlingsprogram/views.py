from django.http import Http404
from django.shortcuts import render

from . import selectors
from .permissions import public


def _programme_or_404(slug: str | None):
    programme = selectors.programme_get(slug=slug) if slug else selectors.programme_current()
    if programme is None and slug:
        raise Http404
    return programme


@public
def programme_overview(request, program: str | None = None):
    programme = _programme_or_404(program)
    omraader = selectors.omraader_with_tiltak(programme=programme) if programme else []
    return render(
        request,
        "handlingsprogram/programme_overview.html",
        {"programme": programme, "omraader": omraader},
    )


@public
def omraade_detail(request, program: str, omraade: str):
    programme = _programme_or_404(program)
    area = selectors.omraade_get(programme=programme, slug=omraade)
    if area is None:
        raise Http404
    return render(request, "handlingsprogram/omraade_detail.html", {"programme": programme, "omraade": area})


@public
def styringsdokumenter(request, program: str | None = None):
    programme = _programme_or_404(program)
    dokumenter = selectors.styringsdokumenter_with_maal(programme=programme) if programme else []
    return render(
        request,
        "handlingsprogram/styringsdokumenter.html",
        {"programme": programme, "styringsdokumenter": dokumenter},
    )


@public
def finansieringsprogrammer(request):
    return render(
        request,
        "handlingsprogram/finansieringsprogrammer.html",
        {"finansieringsprogrammer": selectors.finansieringsprogrammer_tree()},
    )
