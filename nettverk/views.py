from django.http import Http404
from django.shortcuts import render

from handlingsprogram.permissions import public

from . import selectors


@public
def nettverk_list(request):
    return render(request, "nettverk/nettverk_list.html", {"tree": selectors.nettverk_tree()})


@public
def nettverk_detail(request, slug: str):
    detail = selectors.nettverk_detail(slug=slug)
    if detail is None:
        raise Http404
    return render(request, "nettverk/nettverk_detail.html", {"detail": detail, "nettverk": detail.nettverk})
