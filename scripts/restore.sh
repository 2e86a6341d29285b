#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh DIR: scripts/restore.sh DIR (docs/backup.md).
#
# Into the database of DATABASE_URL (its tables are replaced) and MEDIA_ROOT, database first,
# then the files; then every issued berita acara is checked against its recorded SHA-256
# (manage.py verify_minutes), and the script fails if any does not match.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=${1:?usage: scripts/restore.sh DIR}
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore into}"
PY=${PY:-.venv/bin/python}

pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="$DATABASE_URL" "$src/database.dump"
echo "database restored from $src/database.dump"

if [ -f "$src/media.tar.gz" ]; then
    media=$("$PY" -c 'import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musrenbang.settings"); django.setup(); from django.conf import settings; print(settings.MEDIA_ROOT)')
    mkdir -p "$media"
    tar -C "$media" -xzf "$src/media.tar.gz"
    echo "files restored into $media"
fi

"$PY" manage.py verify_minutes
