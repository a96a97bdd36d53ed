#!/usr/bin/env bash
# Back up the portal: the database (pg_dump of one snapshot, or SQLite's online backup) and every file in the media
# storage (attachments and report PDFs, local disk or S3), with a manifest to check a restore against.
#
#   deploy/backup.sh [ROOT]      ROOT defaults to $BACKUP_ROOT or ./backups; each run makes ROOT/<UTC time>/
#
# Run it with the same environment as the portal (DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_MEDIA_ROOT or the
# DJANGO_S3_* variables). The BACKUP_KEEP newest backups (default 14) are kept, older ones removed. The portal keeps
# running while it works: the database is read in one consistent snapshot. Copy ROOT off the machine afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

root="${1:-${BACKUP_ROOT:-backups}}"
keep="${BACKUP_KEEP:-14}"
target="$root/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$root"

.venv/bin/python manage.py backup_portal "$target"

# Oldest first; keep the newest $keep complete backups (those with a manifest).
mapfile -t complete < <(find "$root" -mindepth 2 -maxdepth 2 -name manifest.json -printf '%h\n' | sort)
excess=$(( ${#complete[@]} - keep ))
for (( i = 0; i < excess; i++ )); do
    echo "removing old backup ${complete[$i]}"
    rm -rf -- "${complete[$i]}"
done
