from django.shortcuts import render

from felles.views import or_404

from . import selectors
from .permissions import public


def _programme(slug: str | None):
    """The programme the URL names (404 if there is none by that slug), or else the current one (None while
    there is none: the page says so)."""
    return or_404(selectors.programme_get(slug=slug)) if slug else selectors.programme_current()


@public
def styringsdokumenter(request, program: str | None = None):
    programme = _programme(program)
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
