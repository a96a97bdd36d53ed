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


@public
def programdokument(request, program: str | None = None):
    """The programme document, word for word and in its order: the parts the portal keeps as text, and for the parts
    kept as other data (areas, goals, funding programmes, networks) a link to the page that shows them."""
    programme = _programme(program)
    document = selectors.programme_document(programme=programme) if programme else []
    return render(request, "handlingsprogram/programdokument.html", {"programme": programme, "document": document})
