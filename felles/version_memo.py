"""Small values derived from the programme data, kept in each process while the data is unchanged.

The tiltak list's filter form offers the programme's areas, focus areas, actors, units and SDGs. Which actors and
units hold an Ansvar in the programme is a semi-join over every Ansvar and tiltak: at 100 times the programme it
was the list's largest query after the rows (3.5 ms of PostgreSQL, bench/pages.py), asked on every visit for an
answer that changes a few times a year. ``remembered`` keeps such a value under a key with the data version it
was computed at (the counter the database bumps on every change to the programme's tables, portal/data_version.py,
as for the kept page parts of felles/fragment_cache.py): a visit then costs one small query, and the first visit
after any change computes the value again, so what someone just wrote shows at once.

Inside a transaction the version cannot be trusted (SQLite's triggers count uncommitted changes, PostgreSQL's only
count at commit), and a test runs in one: there the value is computed every time."""

from collections.abc import Callable, Hashable

from django.db import connection

from felles.api.common import data_version

MAX_KEPT = 256  # keys are per programme and kind: a few dozen at most; the bound is against a mistake
_kept: dict[Hashable, tuple[int, object]] = {}


def remembered[T](key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before at the data version the database has now."""
    version = None if connection.in_atomic_block else data_version()
    if version is None:
        return compute()
    kept = _kept.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]  # type: ignore[return-value]
    value = compute()
    if len(_kept) >= MAX_KEPT:
        _kept.clear()
    _kept[key] = (version, value)
    return value


def forget_all() -> None:
    """Drop every kept value (tests that commit, then roll the data back by other means)."""
    _kept.clear()
