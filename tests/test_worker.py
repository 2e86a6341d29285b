"""The background worker, for real: the database queue of django-tasks-db and `manage.py db_worker`.

Elsewhere tests run tasks at once (conftest.tasks_run_at_once). Here the queue is the one
production uses: approval returns with the berita acara numbered but not rendered, nothing
can be downloaded or verified yet, and a real worker process, started on the test database,
renders and seals it. Then what happens when rendering fails: the error is kept, the task is
queued again for later, and render_pending_minutes brings a stuck document back. Last, a
spreadsheet import read by the same queue and a real worker process.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from accounts.models import User
from forums import workflow as forums_workflow
from forums.models import RENDER_ATTEMPTS, Forum, MinutesDocument
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE
from regions.models import Level
from uploads.models import Upload

from .test_accounts_import import TEMPLATE_URL, fill, officer
from .test_forum_pages import items, messages_of, prepare, squashed  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queue(settings, tmp_path):
    settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def forum(queue, items, village, village_operator):  # noqa: F811
    forum = Forum.objects.get(level=Level.DESA, region=village)
    prepare(forum, village_operator)
    return forum


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def run_worker(media_root: Path) -> subprocess.CompletedProcess:
    """`manage.py db_worker --batch` in its own process, on the test database: it runs every task
    that is due, then exits."""
    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(media_root), "LOG_LEVEL": "INFO"}
    return subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# The worker is a process of its own: what it should see is committed for real, on a server it reaches.
real_worker = [
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the worker process needs the test database on a server it can reach",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def with_real_worker(test):
    for mark in reversed(real_worker):
        test = mark(test)
    return test


@with_real_worker
def test_approval_returns_at_once_and_a_real_worker_renders_and_seals_the_minutes(
    client, forum, village_operator, queue
):
    client.force_login(village_operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.post(f"/musyawarah/{forum.pk}/setujui/")

    document = MinutesDocument.objects.get(forum=forum)
    assert messages_of(response) == [
        f"The forum was approved. Berita acara {document.number} was issued; its PDF is being prepared."
    ]
    # Numbered and queued, not rendered: nothing to download or verify yet.
    assert (document.rendered_at, document.sha256, document.size, document.pdf.name) == (None, None, None, "")
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"], task.status) == (
        "forums.workflow.minutes.render_document",
        [document.pk],
        "READY",
    )
    page = client.get(f"/musyawarah/{forum.pk}/")
    assert "The PDF is being prepared; this page will show it in a moment." in squashed(page)
    assert '<meta http-equiv="refresh" content="5">' in page.content.decode()
    assert client.get(f"/musyawarah/{forum.pk}/dokumen/{document.pk}/").status_code == 404
    assert client.get(f"/v/{document.verify_code}/").status_code == 404
    assert client.get(f"/hasil/dokumen/{document.verify_code}.pdf").status_code == 404
    with pytest.raises(forums_workflow.WorkflowError, match="still being prepared"):
        forums_workflow.revise_minutes(actor=village_operator, forum=forum, reason="Salah ketik", place="Aula")
    assert MinutesDocument.objects.count() == 1

    worker = run_worker(Path(queue.MEDIA_ROOT))

    assert worker.returncode == 0, worker.stderr
    document.refresh_from_db()
    stored = Path(queue.MEDIA_ROOT, document.pdf.name).read_bytes()
    assert document.rendered_at is not None
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert document.size == len(stored)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(stored)).pages)
    assert document.number in text and "BERITA ACARA" in text
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == document.sha256
    page = client.get(f"/musyawarah/{forum.pk}/")
    assert "being prepared" not in squashed(page) and 'http-equiv="refresh"' not in page.content.decode()
    assert f'href="/musyawarah/{forum.pk}/dokumen/{document.pk}/?download=1"' in page.content.decode()
    download = client.get(f"/musyawarah/{forum.pk}/dokumen/{document.pk}/")
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == document.sha256
    assert document.sha256 in squashed(client.get(f"/v/{document.verify_code}/"))
    public = client.get(f"/hasil/dokumen/{document.verify_code}.pdf")
    assert hashlib.sha256(b"".join(public.streaming_content)).hexdigest() == document.sha256


@with_real_worker
def test_a_failed_rendering_is_recorded_and_retried_later_then_brought_back_by_the_command(
    forum, village_operator, queue, tmp_path
):
    # The worker's media folder cannot be created: a file stands where it should be.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    document = forums_workflow.approve_forum(actor=village_operator, forum=forum)

    assert run_worker(blocker / "media").returncode == 0

    document.refresh_from_db()
    assert (document.rendered_at, document.attempts) == (None, 1)
    assert document.last_error.startswith(("FileExistsError", "NotADirectoryError"))
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "FAILED"
    # Queued again for later, not hammered: the worker left it, it is not due yet.
    assert (retry.status, retry.args_kwargs["args"]) == ("READY", [document.pk, 2])
    assert retry.run_after is not None and retry.run_after > first.finished_at

    # The cause fixed, the operator's command queues it now; the worker seals it.
    out = io.StringIO()
    call_command("render_pending_minutes", older_than=0, stdout=out)
    assert out.getvalue().strip() == "1 berita acara queued for rendering."
    assert run_worker(tmp_path / "media").returncode == 0

    document.refresh_from_db()
    assert document.is_ready and (document.attempts, document.last_error) == (1, "")
    assert hashlib.sha256(Path(queue.MEDIA_ROOT, document.pdf.name).read_bytes()).hexdigest() == document.sha256


def test_sealing_twice_keeps_the_first_file_and_leaves_no_other(forum, village_operator, queue):
    document = forums_workflow.approve_forum(actor=village_operator, forum=forum)
    digest = forums_workflow.render_document.call(document.pk)
    files = sorted(Path(queue.MEDIA_ROOT).rglob("*.pdf"))

    assert forums_workflow.render_document.call(document.pk) == digest
    assert sorted(Path(queue.MEDIA_ROOT).rglob("*.pdf")) == files and len(files) == 1
    document.refresh_from_db()
    assert document.attempts == 1


def test_a_document_gives_up_after_its_last_try_and_the_forum_page_says_so(client, forum, village_operator, queue):
    document = forums_workflow.approve_forum(actor=village_operator, forum=forum)
    MinutesDocument.objects.filter(pk=document.pk).update(attempts=RENDER_ATTEMPTS, last_error="OSError: disk full")
    client.force_login(village_operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(f"/musyawarah/{forum.pk}/")

    assert "The PDF could not be prepared. Ask the administrator to fix the cause and run render_pending_minutes." in (
        squashed(page)
    )
    assert 'http-equiv="refresh"' not in page.content.decode()


@with_real_worker
def test_a_real_worker_imports_a_spreadsheet_for_its_sender(client, queue, bappeda_kabupaten, ladder):
    client.force_login(bappeda_kabupaten)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    content = fill(client.get(TEMPLATE_URL).content, [officer(), officer(username="desa.kedua", email="")])
    file = SimpleUploadedFile("akun.xlsx", content, content_type=XLSX_CONTENT_TYPE)

    response = client.post("/akun/impor/", {"file": file})

    upload = Upload.objects.get()
    assert response["Location"] == f"/unggahan/{upload.pk}/"
    assert "Waiting for the worker." in squashed(client.get(response["Location"]))
    assert not User.objects.filter(username__in=["desa.srilangsep2", "desa.kedua"]).exists()

    worker = run_worker(Path(queue.MEDIA_ROOT))

    assert worker.returncode == 0, worker.stderr
    upload.refresh_from_db()
    assert (upload.state, upload.done, upload.total, upload.file.name) == ("saved", 2, 2, "")
    created = User.objects.filter(username__in=["desa.srilangsep2", "desa.kedua"])
    assert created.count() == 2
    # The worker acted for the officer who sent the file: the audit log names them, as for a form.
    entries = LogEntry.objects.filter(object_pk__in=[str(user.pk) for user in created], action=LogEntry.Action.CREATE)
    assert sorted(entry.actor_id for entry in entries) == [bappeda_kabupaten.pk] * 2
    assert "2 accounts from akun.xlsx were created." in squashed(client.get(response["Location"]))
