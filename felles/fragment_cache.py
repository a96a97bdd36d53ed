"""Rendered parts of public pages, kept in each process while the programme data they show is unchanged.

The programme overview (the front page) renders every area, innsatsområde and tiltak with its sources: at ten
times the real programme that is 380 KB of HTML and most of a second of template work, the same for every
visitor until someone changes the data. ``{% keep fragment %}…{% endkeep %}`` (felles/templatetags/fragments.py)
keeps such a part under its name, the language and today's date, with the database's data version it was
rendered at (the counter that triggers bump on every change to the programme's tables, portal/data_version.py,
the API's validator too). The web workers of a server share them in a directory (settings.CACHES["fragments"],
DJANGO_FRAGMENT_CACHE_DIR; without one each process keeps its own in memory): nothing to invalidate, nothing
shared between servers. The time a part was rendered is the wall clock's, which every process on the server reads
alike.

- A logged-in user always gets the part of the current version: what they just wrote shows at once.
- An anonymous visitor gets a part of an older version for at most FRAGMENT_STALE_SECONDS (default 60) after it
  was rendered, as a shared cache with ``max-age`` would give them (the API's lists allow 60 s). While staff write
  every second, the part is then rendered about once a minute instead of on every visit, and by one worker: the
  others answer with the older part until it is done (at most RENDER_GRACE_SECONDS more).

Only what is the same for every user may go in a kept part: no form (CSRF token), nothing that depends on the
user's role. Inside a transaction the version cannot be trusted (SQLite's triggers count uncommitted changes,
PostgreSQL's only count at commit), and a test runs in one: there a part is rendered every time."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone, translation

from felles.api.common import data_version

KEEP_SECONDS = 3600
RENDER_GRACE_SECONDS = 30  # how long others may keep answering with the older part while one renders the new


@dataclass(frozen=True)
class Fragment:
    key: str
    version: int | None  # None: not kept (the version is unknown here)
    anonymous: bool

    def get_or_render(self, render: Callable[[], str]) -> str:
        if self.version is None:
            return render()
        fragments = caches["fragments"]
        kept = fragments.get(self.key)
        if kept is not None:
            version, rendered_at, html = kept
            if version == self.version:
                return html
            stale_for = getattr(settings, "FRAGMENT_STALE_SECONDS", 60)
            if self.anonymous and version < self.version:
                age = time.time() - rendered_at
                if age < stale_for:
                    return html
                # Past the window: one worker renders the new version while the others keep answering with this
                # one, rather than all of them rendering the same part at once (the programme overview takes
                # most of a second at ten times the programme, and five at once held every worker for seconds).
                rendering = f"{self.key}:rendering"
                if age < stale_for + RENDER_GRACE_SECONDS and not fragments.add(rendering, True, RENDER_GRACE_SECONDS):
                    return html
                try:
                    return self._render_and_keep(render, kept)
                finally:
                    fragments.delete(rendering)
        return self._render_and_keep(render, kept)

    def _render_and_keep(self, render: Callable[[], str], kept) -> str:
        html = render()
        # Another process may have kept a newer version meanwhile (the directory is shared): leave that one.
        if kept is None or kept[0] < self.version:
            caches["fragments"].set(self.key, (self.version, time.time(), html), KEEP_SECONDS)
        return html


def fragment(request, *parts) -> Fragment:
    version = None if connection.in_atomic_block else data_version()
    key = ":".join(str(part) for part in (*parts, translation.get_language(), timezone.localdate()))
    return Fragment(key=key, version=version, anonymous=not request.user.is_authenticated)
