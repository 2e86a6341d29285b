"""The worker's side of uploads: read the file, report progress, save all or nothing."""

from __future__ import annotations

from auditlog.context import set_actor
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from musrenbang.files import delete_after_commit

from .models import State, Upload
from .readers import Refused, reader_for

# Progress is written every this many rows: a 1,000-row file costs 40 small updates.
PROGRESS_EVERY = 25


@task
def read_upload(upload_id: str) -> str:
    upload = Upload.objects.select_related("user").get(pk=upload_id)
    if upload.finished:
        return upload.state  # run twice (a retried task): the first result stands
    Upload.objects.filter(pk=upload.pk).update(state=State.RUNNING)

    def progress(done: int, total: int | None) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            Upload.objects.filter(pk=upload.pk).update(done=done, total=total)

    try:
        # The worker acts for the sender: the audit log records them, as a request would.
        with translation.override(upload.params.get("language") or None), set_actor(upload.user):
            with upload.file.open("rb") as stored:
                file = ContentFile(stored.read(), name=upload.filename)
            checked = reader_for(upload.kind)(upload, file, progress)
            with transaction.atomic():
                locked = Upload.objects.select_for_update().get(pk=upload.pk)
                if locked.finished:
                    return locked.state
                outcome = checked if isinstance(checked, Refused) else checked()
                return _finish(locked, State.REFUSED if isinstance(outcome, Refused) else State.SAVED, outcome)
    except Exception:
        with transaction.atomic():
            server_error(upload)
        raise


def server_error(upload: Upload) -> str:
    """Mark an upload failed by the server (a bug, a worker that stopped), with nothing saved."""
    with translation.override(upload.params.get("language") or None):
        message = _(
            "The file could not be read because of an error on the server. Nothing was saved; "
            "send it again, or tell the administrator if this repeats."
        )
    return _finish(upload, State.FAILED, Refused(problems=[message]))


def _finish(upload: Upload, state: State, outcome) -> str:
    if getattr(outcome, "keep_file", False):
        Upload.objects.filter(pk=upload.pk).update(state=state, outcome=outcome.as_json(), finished_at=timezone.now())
        return state
    Upload.objects.filter(pk=upload.pk).update(
        state=state, outcome=outcome.as_json(), file="", finished_at=timezone.now()
    )
    if upload.file:
        delete_after_commit(upload.file)  # read: it is of no further use, and may hold personal data
    return state
