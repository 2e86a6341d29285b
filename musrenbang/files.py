"""Files that follow the database: the one place that knows how an upload and its row stay
together (proposals' attachments, forums' scans, letterhead logos).

- A new file is written before its row is saved; `files_follow()` removes every file written
  inside it when the block fails (the database refusing a row, a full disk on the next file).
- A replaced or removed file is deleted by `delete_after_commit()` once the transaction has
  committed, so that a rollback leaves the old row and its file as they were.

Django has no hook for a rollback: a caller that wraps these in a longer transaction of its own
and rolls back after the block has succeeded leaves the new file unreferenced, which
`manage.py orphan_files` finds (the views call the app's verbs as the outermost transaction).
A storage that refuses (a full or read-only disk, an unreachable object store) raises
StorageFailure, which the forms turn into a message that keeps what was typed. `served()` hands
a stored file to the browser.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy

try:  # the object-store client is there only when S3_BUCKET is set up; a disk raises OSError
    from botocore.exceptions import BotoCoreError, ClientError

    STORAGE_ERRORS: tuple[type[BaseException], ...] = (OSError, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - boto3 is in requirements.txt
    STORAGE_ERRORS = (OSError,)


# What a form says when the storage refused its file (the proposal form says more: what was kept).
STORAGE_REFUSED = gettext_lazy(
    "The file could not be stored: the server's storage refused it. Nothing was saved; "
    "try again, or tell the administrator if this repeats."
)


class StorageFailure(Exception):
    """The file storage refused to keep a file; nothing was saved."""


@contextmanager
def files_follow():
    """One transaction whose new files go if it does not commit. Yields a function that records
    a field file just written: `kept(instance.file)`."""
    written: list = []

    def kept(field_file) -> None:
        written.append((field_file.storage, field_file.name))

    try:
        with transaction.atomic():
            yield kept
    except BaseException as error:
        for storage, name in written:
            try:
                storage.delete(name)
            except STORAGE_ERRORS:  # the storage that just failed may refuse this too
                pass
        if isinstance(error, STORAGE_ERRORS):
            raise StorageFailure(str(error)) from error
        raise


def served(field_file, **response) -> FileResponse:
    """A stored file as a response (FileResponse's own keyword arguments: content_type, filename,
    as_attachment), or a 404 when the file is gone: every download view decides who may have it,
    then hands the file here."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, **response)


def delete_after_commit(field_file) -> None:
    """Delete a replaced or removed file once the transaction that dropped it has committed."""
    storage, name = field_file.storage, field_file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
