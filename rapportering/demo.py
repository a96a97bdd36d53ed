"""Whether the database holds demo data: asked by every HTML page (the banner) and by the report build (its
cover). Apart from ``selectors`` so that ``content`` can ask it too without importing the selectors that import it."""

import functools

from django.db import connection

from handlingsprogram import selectors as handlingsprogram_selectors
from nettverk import selectors as nettverk_selectors
from resultater import selectors as resultater_selectors
from tiltak import selectors as tiltak_selectors


def demo_data_exists() -> bool:
    """Whether any table holds rows load_demo made: one query (UNION ALL of the flagged rows, stopped at the first
    row), asked by every HTML page for the demo banner and by the report build for its cover."""
    sql, params = _demo_rows_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


@functools.cache
def _demo_rows_sql(vendor: str) -> tuple[str, tuple]:
    """The query, built once per process: the same for every request, and building a nine-way UNION with the ORM
    took more of a kept public page's time than running it (``vendor``: one SQL per database engine)."""
    first, *rest = [
        qs.order_by().values("pk")
        for selectors in (handlingsprogram_selectors, tiltak_selectors, resultater_selectors, nettverk_selectors)
        for qs in selectors.demo_rows()
    ]
    return first.union(*rest, all=True).query.exists().get_compiler(connection=connection).as_sql()
