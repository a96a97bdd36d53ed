#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh, then check it: every table's row count, every approved report's
# SHA-256 and every file's hash must equal the backup's manifest, or the restore is reported as failed.
#
#   deploy/restore.sh DIRECTORY [--yes]
#
# Stop gunicorn and the task worker first; run with the portal's environment (DATABASE_URL, media settings). The
# database's contents are replaced (PostgreSQL: pg_restore --clean in one transaction, so a failed restore leaves
# the database as it was); media files are put back under their own names.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -lt 1 ]]; then
    echo "usage: deploy/restore.sh DIRECTORY [--yes]" >&2
    exit 2
fi
.venv/bin/python manage.py restore_portal "$@"
