"""``{% page_query page number %}``: the link to another page of a list (felles/pagination.py), the page's own
parameter (``?side=`` unless the view chose another) set to ``number`` and every other query parameter (filters,
the year, another list's page) kept."""

from django import template

from felles.pagination import PAGE_PARAMETER

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, page, number) -> str:
    query = context["request"].GET.copy()
    query[getattr(page, "parameter", PAGE_PARAMETER)] = number
    return f"?{query.urlencode()}"
