"""The door between uploads and the apps above it that import spreadsheets.

An app registers a reader under a name from its AppConfig.ready(); its view calls
`request_upload`, which stores the file and queues the reading; the worker's task
(uploads.tasks) finds the reader by name. uploads imports none of those apps.

A reader is called as reader(upload, file, progress): `file` is the stored spreadsheet (with the
name the officer's computer gave it), progress(done, total) is called as rows are checked. It
checks everything without writing and returns either Refused (nothing will be saved) or a
function that saves and returns Saved. The worker calls that function in the transaction that
marks the upload finished, so a reading run twice never imports twice. A reader that checks
before the officer confirms (the SIPD import's dry run) returns a Saved that wrote nothing and
keeps the file (keep_file); its confirmation sends that file again with resend().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import get_language

from musrenbang.files import STORAGE_REFUSED, StorageFailure, delete_after_commit, files_follow
from musrenbang.spreadsheets import Cell, RowError, ShownRow, rows_refused

from .models import Upload

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Refused:
    """Why nothing was saved: problems of the file as a whole, errors by row and column, and
    (for imports that show them) the rows with errors as the file holds them, under `headers`."""

    problems: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: list[ShownRow] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"refused": asdict(self)}


@dataclass(frozen=True)
class Saved:
    message: str  # in the sender's language: the worker reads under it
    next_url: str  # where the officer goes on: the drafts, the sheet of links, the attendance
    next_label: str
    data: dict = field(default_factory=dict)  # what the next page needs, e.g. the new accounts' ids
    # A check that saved nothing yet and is to be confirmed (the SIPD import's dry run): the file
    # stays until the confirmation sends it again, or prune_uploads forgets the upload.
    keep_file: bool = False

    def as_json(self) -> dict:
        return {"saved": asdict(self)}


def refused_by_row(errors: list[RowError], rows: list[ShownRow] = (), columns=()) -> Refused:
    """A file refused for its rows: the sentence saying nothing was saved, every error, and (for
    imports that show them) the rows as the file holds them, under their columns' headers."""
    return Refused([rows_refused(errors)], list(errors), list(rows), [column.header for column in columns])


def refusal(reading, columns=()) -> Refused | None:
    """What an import's reader answers for a reading (its .problems, .errors and, where the import
    shows them, .shown rows) that cannot be saved; None when the rows may be saved."""
    if reading.problems:
        return Refused(problems=reading.problems)
    if reading.errors:
        return refused_by_row(reading.errors, getattr(reading, "shown", ()), columns)
    return None


def outcome_of(upload: Upload) -> Saved | Refused | None:
    if "saved" in upload.outcome:
        return Saved(**upload.outcome["saved"])
    if "refused" in upload.outcome:
        stored = upload.outcome["refused"]
        return Refused(
            problems=stored["problems"],
            errors=[RowError(**error) for error in stored["errors"]],
            rows=[
                ShownRow(
                    row["number"],
                    tuple(Cell(cell["header"], cell["value"], tuple(cell["errors"])) for cell in row["cells"]),
                    tuple(row["errors"]),
                )
                for row in stored["rows"]
            ],
            headers=stored["headers"],
        )
    return None


Reader = Callable[..., "Refused | Callable[[], Saved | Refused]"]
_readers: dict[str, Reader] = {}


def register(kind: str, reader: Reader) -> None:
    _readers[kind] = reader


def reader_for(kind: str) -> Reader:
    try:
        return _readers[kind]
    except KeyError:
        raise ImproperlyConfigured(f"No upload reader is registered as {kind!r}.") from None


def request_upload(*, user, kind: str, file, label: str, params: dict) -> Upload:
    """Store the file and queue its reading, together: the worker sees both or neither.

    Raises musrenbang.files.StorageFailure when the storage refuses the file (nothing is kept).
    """
    from .tasks import read_upload

    reader_for(kind)  # a typo fails here, in the request, not later in the worker
    with files_follow() as kept:
        upload = Upload.objects.create(user=user, kind=kind, label=label[:200], params=params, filename=file.name[:120])
        upload.file.save(file.name, file, save=True)
        kept(upload.file)
        read_upload.enqueue(str(upload.pk))
    return upload


def send_to_worker(request, form, *, kind: str, label: str, label_args=None, params=None, user=None):
    """What an import page does with a valid upload form: store its file and queue the reading
    (request_upload), then the redirect to the upload's page, where the officer follows it. The
    label names the file as %(name)s (and whatever else `label_args` gives); the params always
    carry the page's language and its address (to send a corrected file again).
    None after naming, beside the file input, a storage that refused the file."""
    file = form.cleaned_data["file"]
    try:
        upload = request_upload(
            user=user or request.user,
            kind=kind,
            file=file,
            label=label % {**(label_args or {}), "name": file.name},
            params={**(params or {}), "language": get_language(), "again": request.get_full_path()},
        )
    except StorageFailure:
        form.add_error("file", STORAGE_REFUSED)
        return None
    return redirect(upload)


def resend(upload: Upload, *, label: str, params: dict) -> Upload | None:
    """Send the file a confirmed check kept (Saved.keep_file) to be read again, as a new upload
    with these params; the check gives up its copy. None when the file is gone (confirmed before,
    or forgotten by prune_uploads)."""
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if not locked.file:
            return None
        with locked.file.open("rb") as stored:
            copy = ContentFile(stored.read(), name=locked.filename)
        again = request_upload(user=locked.user, kind=locked.kind, file=copy, label=label, params=params)
        Upload.objects.filter(pk=locked.pk).update(file="")
        delete_after_commit(locked.file)
    return again
