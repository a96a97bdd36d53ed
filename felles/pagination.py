"""Pages of a long list on the portal's own pages (the API has its own, in ``felles.api``): ``?side=`` picks the
page, 50 rows each, and ``templates/_pagination.html`` shows "Viser 1–50 av 312" with the page links.

A page renders only its rows, so a list's cost stays flat as the programme grows (bench/pages.py); the count
comes from one COUNT query, and exports keep covering every row. A page with two lists pages the second by another
parameter (``parameter=``; the dashboard's "Not reported" is ``?side_urapportert=``)."""

from django.core.paginator import Page, Paginator

PAGE_PARAMETER = "side"
PAGE_SIZE = 50


def page_get(
    request,
    object_list,
    *,
    per_page: int = PAGE_SIZE,
    keys_first: bool = False,
    keys: list | None = None,
    parameter: str = PAGE_PARAMETER,
) -> Page:
    """The page ``?side=`` asks for. A value that is not a whole number of 1 or more gives the first page, and one
    past the end the last (for 0 and below, Django's ``Paginator.get_page`` would give the last): a hand-edited
    or stale link still shows the list, never an error. The page carries ``page_links``, its numbers with "…"
    where runs are left out.

    ``keys_first`` (for a queryset whose rows carry costly annotations, such as the tiltak's latest status): the
    primary keys of every matching row are fetched first, in order, and then only the page's rows with their
    annotations, because a database computes every selected column of every row it sorts before it can cut out
    a page. The keys also give the count, so a filter on an annotation is computed once, not for a COUNT and
    again for the page. (Thousands of integers: fine for these lists, which are one programme's tiltak.)

    ``keys`` (implies ``keys_first``): those keys, already fetched in order by the caller, for a view that reads
    more than the key in that pass (Mine tiltak counts the unreported ones from it)."""
    if keys is not None:
        keys_first = True
    elif keys_first:
        keys = list(object_list.values_list("pk", flat=True))
    paginator = Paginator(keys if keys_first else object_list, per_page)
    try:
        number = int(request.GET.get(parameter, ""))
    except ValueError:
        number = 1
    page = paginator.get_page(max(number, 1))
    if keys_first:
        shown = list(page.object_list)
        rows = {row.pk: row for row in object_list.filter(pk__in=shown).order_by()} if shown else {}
        page.object_list = [rows[key] for key in shown]
    page.parameter = parameter
    page.page_links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
