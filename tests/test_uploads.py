"""Spreadsheet imports read by the background worker (uploads/): the request stores the file and
answers at once with a page that follows the reading; the worker checks every row, then saves all
or nothing, once, and forgets the file.

Here the queue is the database's, as in production, and the task is run in this process when the
test says so (tests/test_worker.py runs a real worker process on an import too).
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from musrenbang.spreadsheets import XLSX_CONTENT_TYPE
from proposals.models import Proposal, ProposalEvent
from uploads import readers
from uploads.models import State, Upload
from uploads.readers import register, request_upload
from uploads.tasks import read_upload

from . import test_spreadsheet_import as proposal_import
from .test_files_follow import refusing_storage
from .test_spreadsheet_import import IMPORT_URL, fill, page_text, row

# The proposal import's fixtures: a village operator with an open intake, and its template.
agencies, operator, template = proposal_import.agencies, proposal_import.operator, proposal_import.template

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queue(settings, tmp_path):
    settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def send(client, content: bytes, name="usulan-desa.xlsx"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)})


def three_rows(template) -> bytes:
    return fill(template, {n: row(title=f"Usulan {n}") for n in (2, 3, 4)})


def test_an_import_answers_at_once_and_its_page_follows_the_worker(
    operator, template, queue, django_capture_on_commit_callbacks
):
    response = send(operator, three_rows(template))

    upload = Upload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/unggahan/{upload.pk}/"
    # Stored and queued, not read: nothing saved yet.
    assert (upload.state, upload.kind, upload.filename) == ("queued", "proposals", "usulan-desa.xlsx")
    stored = Path(queue.MEDIA_ROOT, upload.file.name)
    assert stored.read_bytes()[:2] == b"PK"
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"], task.status) == (
        "uploads.tasks.read_upload",
        [str(upload.pk)],
        "READY",
    )
    assert Proposal.objects.count() == 0
    page = operator.get(response["Location"])
    assert '<meta http-equiv="refresh" content="2">' in page.content.decode()
    assert "Waiting for the worker." in page_text(page)
    assert "Nothing is saved until every row has been checked." in page_text(page)

    with django_capture_on_commit_callbacks(execute=True):
        assert read_upload.call(str(upload.pk)) == "saved"

    upload.refresh_from_db()
    assert (upload.state, upload.done, upload.total, upload.file.name) == ("saved", 3, 3, "")
    assert upload.finished_at is not None
    assert not stored.exists()  # read: the file, which may hold personal data, is gone
    assert sorted(Proposal.objects.values_list("title", flat=True)) == ["Usulan 2", "Usulan 3", "Usulan 4"]
    page = operator.get(response["Location"])
    assert "http-equiv" not in page.content.decode()
    assert "3 proposals from usulan-desa.xlsx were saved as drafts." in page_text(page)
    assert 'href="/usulan/ajukan-draf/">Check and submit the drafts</a>' in page.content.decode()


def test_the_page_shows_how_far_the_worker_has_read(operator, template, queue):
    send(operator, three_rows(template))
    upload = Upload.objects.get()
    # What the worker's progress callback writes as it goes.
    Upload.objects.filter(pk=upload.pk).update(state=State.RUNNING, done=125, total=500)

    page = operator.get(upload.get_absolute_url())

    assert "Being read. 125 of 500 rows checked." in re.sub(r"\s+", " ", page_text(page))
    assert '<progress max="100" value="25">' in page.content.decode()


def test_a_reading_run_twice_imports_once(operator, template, queue):
    send(operator, three_rows(template))
    upload = Upload.objects.get()

    assert read_upload.call(str(upload.pk)) == "saved"
    assert read_upload.call(str(upload.pk)) == "saved"

    assert (Proposal.objects.count(), ProposalEvent.objects.count()) == (3, 3)


def test_a_file_with_errors_is_refused_whole_on_its_page_with_a_way_back(operator, template, queue):
    send(operator, fill(template, {2: row(), 3: row(title="")}))
    upload = Upload.objects.get()

    assert read_upload.call(str(upload.pk)) == "refused"

    assert Proposal.objects.count() == 0
    page = operator.get(upload.get_absolute_url())
    assert "1 row has errors, so nothing was imported." in page_text(page)
    assert '<tr><td class="num">3</td><td>Judul usulan</td>' in page.content.decode()
    assert f'<a class="button" href="{IMPORT_URL}">Send a corrected file</a>' in page.content.decode()


@pytest.fixture
def broken_reader():
    def reader(upload, file, progress):
        raise RuntimeError("the database went away")

    register("broken", reader)
    yield "broken"
    readers._readers.pop("broken")


def test_a_reading_that_breaks_is_marked_failed_saves_nothing_and_forgets_the_file(
    client, village_operator, queue, broken_reader, django_capture_on_commit_callbacks
):
    upload = request_upload(
        user=village_operator,
        kind=broken_reader,
        file=SimpleUploadedFile("usulan.xlsx", b"PK..."),
        label="Usulan",
        params={"language": "en"},
    )
    stored = Path(queue.MEDIA_ROOT, upload.file.name)
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        read_upload.call(str(upload.pk))

    upload.refresh_from_db()
    assert (upload.state, upload.file.name) == ("failed", "")
    assert not stored.exists()
    client.force_login(village_operator)
    page = client.get(upload.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "The file could not be read because of an error on the server. Nothing was saved" in page_text(page)


def test_only_the_sender_sees_an_upload(operator, template, queue, client, neighbour_village_operator):
    send(operator, three_rows(template))
    upload = Upload.objects.get()

    client.force_login(neighbour_village_operator)
    assert client.get(upload.get_absolute_url()).status_code == 404
    assert client.get(f"/akun/impor/{upload.pk}/lembar-sandi/").status_code in (403, 404)
    client.logout()
    anonymous = client.get(upload.get_absolute_url())
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")


def test_a_file_too_big_to_read_is_refused_by_the_request_and_never_stored(operator, template, queue):
    content = three_rows(template)
    queue.MAX_DOCUMENT_BYTES = len(content) - 1

    response = send(operator, content)

    assert response.status_code == 200
    assert "a spreadsheet may be at most" in page_text(response)
    assert not Upload.objects.exists() and not DBTaskResult.objects.exists()
    assert not Path(queue.MEDIA_ROOT).exists() or not any(Path(queue.MEDIA_ROOT).rglob("*.xlsx"))


def test_a_refusing_storage_is_said_on_the_form_and_nothing_is_queued(operator, template, settings, tmp_path):
    settings.TASKS = DATABASE_QUEUE
    refusing_storage(settings, tmp_path)

    response = send(operator, three_rows(template))

    assert response.status_code == 200
    assert "The file could not be stored: the server&#x27;s storage refused it." in response.content.decode()
    assert not Upload.objects.exists() and not DBTaskResult.objects.exists()


def test_old_uploads_are_forgotten_and_dropped_ones_marked_failed(
    operator, template, queue, village_operator, django_capture_on_commit_callbacks
):
    for _ in range(3):
        send(operator, three_rows(template))
    old, dropped, fresh = Upload.objects.order_by("created_at")
    read_upload.call(str(old.pk))
    long_ago = timezone.now() - datetime.timedelta(days=8)
    Upload.objects.filter(pk__in=[old.pk, dropped.pk]).update(created_at=long_ago)
    Upload.objects.filter(pk=dropped.pk).update(state=State.RUNNING)
    dropped_file = Path(queue.MEDIA_ROOT, dropped.file.name)
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_uploads", stdout=out)

    assert out.getvalue().strip() == "1 uploads deleted, 1 unfinished ones marked failed."
    assert not Upload.objects.filter(pk=old.pk).exists()
    dropped.refresh_from_db()
    assert (dropped.state, dropped.file.name) == ("failed", "")
    assert not dropped_file.exists()
    assert Upload.objects.get(pk=fresh.pk).state == "queued"
    assert Proposal.objects.count() == 3  # the one that was read; nothing from the dropped one
