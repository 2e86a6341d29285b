#!/usr/bin/env bash
# Back up the database, then the files: scripts/backup.sh DIR (docs/backup.md).
#
# Reads DATABASE_URL (PostgreSQL) and MEDIA_ROOT as the app does (the deployment's env file).
# The database first: every file a row of the dump names existed before the dump began, so the
# files copied after it hold them all (and perhaps a few newer ones, which are harmless).
# With S3_BUCKET set the files live in the bucket: keep them with the bucket's own versioning or
# replication; this script then backs up the database alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dest=${1:?usage: scripts/backup.sh DIR}
: "${DATABASE_URL:?set DATABASE_URL (the env file) to the PostgreSQL database to back up}"
PY=${PY:-.venv/bin/python}
mkdir -p "$dest"

pg_dump --format=custom --no-owner --file="$dest/database.dump" "$DATABASE_URL"
echo "database: $dest/database.dump"

if [ -n "${S3_BUCKET:-}" ]; then
    echo "files: in the bucket $S3_BUCKET (back it up with its versioning or replication)"
else
    media=$("$PY" -c 'import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musrenbang.settings"); django.setup(); from django.conf import settings; print(settings.MEDIA_ROOT)')
    mkdir -p "$media"
    tar -C "$media" -czf "$dest/media.tar.gz" .
    echo "files: $dest/media.tar.gz (from $media)"
fi
