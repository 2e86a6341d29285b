"""The signed paper a forum keeps: the scan of its attendance list, signed in the room, and the
scan of its berita acara, signed and stamped after the meeting (models/scans.py).

The files follow the transaction. A new file is stored before its row is saved and removed
again when the row is not; a replaced or removed file is deleted only once the transaction has
committed, so that a rollback leaves the old row and its file as they were. (The verbs are the
outermost transaction when a view calls them; called inside a longer transaction of its own, a
caller that rolls back later keeps the new file on disk, unreferenced.)
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError

from .. import access
from ..models import Forum, ForumScan, MinutesDocument, ScanKind
from .ladder import ensure_open


def _lock(actor, forum: Forum, kind: str) -> Forum:
    """The forum, locked; its officers only. The attendance list is kept while the forum is open;
    the stamped berita acara once it has been approved (the only change an approved forum takes:
    the issued PDF itself never changes)."""
    locked = Forum.objects.select_for_update(of=("self",)).select_related("planning_year", "region").get(pk=forum.pk)
    if not access.can_run_forum(actor, locked):
        raise WorkflowError(_("Only the officers who run this forum can change it."))
    if kind == ScanKind.ATTENDANCE:
        ensure_open(locked)
    return locked


def _delete_after_commit(file) -> None:
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: storage.delete(name))


def store_scan(
    *, actor, forum: Forum, kind: str, upload, content_type: str, document: MinutesDocument | None = None
) -> ForumScan:
    """Keep the scan of a signed paper with the forum, replacing the one kept before.

    `upload` is checked by forms.ScanForm (PDF, JPEG or PNG by content, within the size limits).
    A berita acara's scan names the issued document it is the signed paper of (one per revision);
    refused before the forum is approved, for another forum's document, or for one whose PDF is
    not ready yet. Side effects: the file stored; a replaced file deleted after commit; the audit
    log records the row (created, or its file changed).
    """
    if kind not in ScanKind.values:
        raise ValueError(f"not a scan kind: {kind}")
    stored = None
    try:
        with transaction.atomic():
            locked = _lock(actor, forum, kind)
            if kind == ScanKind.MINUTES:
                if not locked.is_approved:
                    raise WorkflowError(_("The signed berita acara can be kept once the forum is approved."))
                if document is None or document.forum_id != locked.pk or not document.is_ready:
                    raise WorkflowError(_("Choose the issued berita acara this scan was signed on."))
                scan = ForumScan.objects.filter(document=document).first()
            else:
                document = None
                scan = ForumScan.objects.filter(forum=locked, kind=ScanKind.ATTENDANCE).first()
            if scan is not None:
                _delete_after_commit(scan.file)
            else:
                scan = ForumScan(forum=locked, kind=kind, document=document)
            scan.original_name = upload.name[:255]
            scan.content_type = content_type
            scan.size = upload.size
            scan.uploaded_by = actor
            scan.uploaded_at = timezone.now()
            scan.file.save(upload.name, upload, save=False)
            stored = scan.file.name
            scan.save()
    except BaseException:
        if stored:
            ForumScan.file.field.storage.delete(stored)
        raise
    return scan


def remove_scan(*, actor, scan: ForumScan) -> None:
    """Take a scan off the forum; its file is deleted once that is committed."""
    with transaction.atomic():
        _lock(actor, scan.forum, scan.kind)
        _delete_after_commit(scan.file)
        scan.delete()
