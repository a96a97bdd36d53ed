#!/usr/bin/env bash
# The production path on this machine (`make serve`): production settings (DEBUG off), the database migrated and
# its cache table made, static files collected (hashed and compressed, served by WhiteNoise), the programme
# loaded, the task worker for the annual report's PDFs, and gunicorn in front.
#
# For trying it out: it serves plain http on 127.0.0.1, so secure cookies, HSTS and the HTTPS redirect are off
# unless set, and a throwaway secret key is made unless DJANGO_SECRET_KEY is set. DATABASE_URL picks the
# database (default SQLite db.sqlite3). Make a coordinator with `manage.py createsuperuser`.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1}"
export DJANGO_SECURE_SSL_REDIRECT="${DJANGO_SECURE_SSL_REDIRECT:-false}"
export DJANGO_SECURE_COOKIES="${DJANGO_SECURE_COOKIES:-false}"
export DJANGO_HSTS_SECONDS="${DJANGO_HSTS_SECONDS:-0}"
PORT="${PORT:-8000}"
# The web workers share the public pages' kept parts as files in one directory (felles/fragment_cache.py): a part
# rendered by one serves the visitors of all. Emptied of its cache files (only those) at every start, so no part
# outlives a restore.
export DJANGO_FRAGMENT_CACHE_DIR="${DJANGO_FRAGMENT_CACHE_DIR:-${TMPDIR:-/tmp}/handlingsprogram-fragments-$PORT}"
mkdir -p -m 700 "$DJANGO_FRAGMENT_CACHE_DIR"
find "$DJANGO_FRAGMENT_CACHE_DIR" -maxdepth 2 -name '*.djcache' -type f -delete

"$PY" manage.py migrate --noinput
"$PY" manage.py createcachetable
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py load_programme

# Below the web workers in the CPU's queue (nice 10): a PDF of a 10x report is ten seconds of layout, which
# under load should wait for the pages and the API rather than make every request wait for it.
nice -n 10 "$PY" manage.py db_worker &
worker=$!
stop_worker() { kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true; }
trap stop_worker EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

echo "==> http://127.0.0.1:$PORT/ (gunicorn, production settings; the task worker runs beside it)"
.venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:$PORT" portal.wsgi
