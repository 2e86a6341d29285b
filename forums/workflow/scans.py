"""The signed paper a forum keeps: the scan of its attendance list, signed in the room, and the
scan of its berita acara, signed and stamped after the meeting (models/scans.py).

The files follow the transaction (musrenbang/files.py): a new file is stored before its row is
saved and removed again when the row is not; a replaced or removed file is deleted only once the
transaction has committed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from musrenbang.files import delete_after_commit, files_follow

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
    with files_follow() as kept:
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
            delete_after_commit(scan.file)
        else:
            scan = ForumScan(forum=locked, kind=kind, document=document)
        scan.original_name = upload.name[:255]
        scan.content_type = content_type
        scan.size = upload.size
        scan.uploaded_by = actor
        scan.uploaded_at = timezone.now()
        scan.file.save(upload.name, upload, save=False)
        kept(scan.file)
        scan.save()
    return scan


def remove_scan(*, actor, scan: ForumScan) -> None:
    """Take a scan off the forum; its file is deleted once that is committed."""
    with transaction.atomic():
        _lock(actor, scan.forum, scan.kind)
        delete_after_commit(scan.file)
        scan.delete()
