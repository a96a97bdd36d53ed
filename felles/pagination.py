"""Pages of a long list on the portal's own pages (the API has its own, in ``felles.api``): ``?side=`` picks the
page, 50 rows each, and ``templates/_pagination.html`` shows "Viser 1–50 av 312" with the page links.

A page renders only its rows, so a list's cost stays flat as the programme grows (bench/pages.py); the count
comes from one COUNT query, and exports keep covering every row."""

from django.core.paginator import Page, Paginator

PAGE_PARAMETER = "side"
PAGE_SIZE = 50


def page_get(request, object_list, *, per_page: int = PAGE_SIZE) -> Page:
    """The page ``?side=`` asks for. A value that is not a whole number of 1 or more gives the first page, and one
    past the end the last (for 0 and below, Django's ``Paginator.get_page`` would give the last): a hand-edited
    or stale link still shows the list, never an error. The page carries ``page_links``, its numbers with "…"
    where runs are left out."""
    paginator = Paginator(object_list, per_page)
    try:
        number = int(request.GET.get(PAGE_PARAMETER, ""))
    except ValueError:
        number = 1
    page = paginator.get_page(max(number, 1))
    page.page_links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
