"""Rendered parts of public pages, kept in each process for as long as the programme data they show is unchanged.

The programme overview (the front page) renders every area, innsatsområde and tiltak with its sources: at ten
times the real programme that is 380 KB of HTML and most of a second of template work, the same for every
visitor until someone changes the data. A part is kept under a key that holds the database's data version (the
counter that triggers bump on every change to the programme's tables, portal/data_version.py, the API's
validator too), the language and today's date, so a change, another language or a new day is a new key and a
kept part can never show old data. Each gunicorn worker keeps its own (settings.CACHES["fragments"], local
memory): nothing to invalidate, nothing shared to go stale between servers.

Only what is the same for every user may go in a kept part: no form (CSRF token), nothing that depends on the
user's role. Inside a transaction the version cannot be trusted (SQLite's triggers count uncommitted changes,
PostgreSQL's only count at commit), and a test runs in one: there a part is rendered every time."""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone, translation

from felles.api.common import data_version

KEEP_SECONDS = 3600


@dataclass(frozen=True)
class Fragment:
    """For ``{% cache fragment.seconds "name" fragment.key using="fragments" %}``: ``seconds`` is 0 (render
    every time) where the data version is unknown."""

    seconds: int
    key: str


def fragment(*parts) -> Fragment:
    version = None if connection.in_atomic_block else data_version()
    key = ":".join(str(part) for part in (*parts, version, translation.get_language(), timezone.localdate()))
    return Fragment(seconds=KEEP_SECONDS if version is not None else 0, key=key)
