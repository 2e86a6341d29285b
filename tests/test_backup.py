"""Backup and restore (scripts/backup.sh, scripts/restore.sh, docs/backup.md): the database and the
files of an approved forum go to a folder, come back into an empty database and media folder, and
every issued berita acara is then checked against its SHA-256 (manage.py verify_minutes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from forums.models import MinutesDocument

from .test_forum_pages import approved_desa_forum, desa_forum, items, media  # noqa: F401  (fixtures)

ROOT = Path(settings.BASE_DIR)
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore work on PostgreSQL"),
]


def database_url(name: str) -> str:
    conf = connection.settings_dict
    password = f":{conf['PASSWORD']}" if conf["PASSWORD"] else ""
    return f"postgres://{conf['USER']}{password}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{name}"


def run(script: list[str], *, database: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "MEDIA_ROOT": str(media_root),
        "PY": sys.executable,
        "DJANGO_SETTINGS_MODULE": "musrenbang.settings",
    }
    env.pop("S3_BUCKET", None)
    return subprocess.run(script, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


@pytest.fixture
def spare_database():
    name = "musrenbang_restore_test"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_backup_restores_into_an_empty_database_and_every_minutes_file_checks_out(
    approved_desa_forum,  # noqa: F811
    spare_database,
    settings,
    tmp_path_factory,
):
    document = MinutesDocument.objects.get(forum=approved_desa_forum)
    backup = tmp_path_factory.mktemp("cadangan")  # beside MEDIA_ROOT, not inside it

    made = run(
        ["bash", "scripts/backup.sh", str(backup)],
        database=connection.settings_dict["NAME"],
        media_root=Path(settings.MEDIA_ROOT),
    )
    assert made.returncode == 0, made.stderr
    assert (backup / "database.dump").stat().st_size > 0 and (backup / "media.tar.gz").exists()

    restored_media = tmp_path_factory.mktemp("media-pulih")
    restored = run(["bash", "scripts/restore.sh", str(backup)], database=spare_database, media_root=restored_media)
    assert restored.returncode == 0, restored.stderr
    verified = "1 issued berita acara checked: every file matches its SHA-256; their chain holds (1 links read)."
    assert verified in restored.stdout
    assert (restored_media / document.pdf.name).read_bytes() == Path(document.pdf.path).read_bytes()

    # A file changed after the restore is named, and the check fails.
    kept = restored_media / document.pdf.name
    kept.write_bytes(kept.read_bytes()[:-10])
    checked = run([sys.executable, "manage.py", "verify_minutes"], database=spare_database, media_root=restored_media)
    assert checked.returncode == 1
    assert f"{document.number}: {document.pdf.name} is missing or no longer matches its SHA-256" in checked.stderr
