"""The minutes (berita acara): numbering one issue, rendering and sealing it in the background
worker, and a revision of an approved forum's minutes. Issued documents never change; a
correction is a new revision."""

from __future__ import annotations

import datetime
import hashlib
import os
import stat

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models import F, Max
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from proposals.codes import random_code

from .. import access, chain
from ..models import RENDER_ATTEMPTS, Forum, ForumStatus, MinutesCounter, MinutesDocument
from ..pdf import render_minutes
from .meeting import FORUM_DETAILS


def next_number(forum: Forum, issued_at) -> str:
    """The minutes number from settings.MINUTES_NUMBER_PATTERN, its running number taken under lock.

    The year is the meeting's: minutes of a forum held on 1 February 2023 and recorded in 2026
    (a late entry) are numbered in 2023's series, as their paper original would have been."""
    year = forum.held_on.year if forum.held_on else timezone.localtime(issued_at).year
    counter, _created = MinutesCounter.objects.get_or_create(region=forum.region, year=year)
    counter = MinutesCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return settings.MINUTES_NUMBER_PATTERN.format(
        seq=counter.last, unit=forum.region.code.replace(".", ""), year=year, forum=forum.pk
    )


def issue(forum: Forum, actor, *, revision: int = 0, reason: str = "") -> MinutesDocument:
    """Number the minutes and queue their rendering, in the caller's transaction.

    The queue is a table in the same database, so the row and its task commit (or roll back)
    together, and the worker sees neither before the approval is final. What the PDF prints
    is frozen by then: the decisions by approval, the details until this document is sealed
    (revise_minutes waits for it).
    """
    document = MinutesDocument.objects.create(
        forum=forum,
        revision=revision,
        number=next_number(forum, timezone.now()),
        issued_at=timezone.now(),
        issued_by=actor,
        reason=reason,
        # Chosen before rendering: the PDF prints it, as a QR code of its public verification page.
        verify_code=random_code(10),
    )
    render_document.enqueue(document.pk)
    # With a backend that runs tasks at once (the tests'), the document is sealed by now.
    document.refresh_from_db()
    return document


@task
def render_document(document_id: int, attempt: int = 1) -> str:
    """The worker's job: render, store and seal one issued document; retried with growing pauses."""
    try:
        return seal(document_id)
    except Exception as error:
        MinutesDocument.objects.filter(pk=document_id, rendered_at__isnull=True).update(
            attempts=attempt, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        if attempt < RENDER_ATTEMPTS:
            retry = render_document
            if retry.get_backend().supports_defer:
                retry = retry.using(run_after=timezone.now() + datetime.timedelta(seconds=30 * attempt * attempt))
            retry.enqueue(document_id, attempt + 1)
        raise


def seal(document_id: int) -> str:
    """Render the document's PDF, store it and record its SHA-256, once.

    Idempotent: a document already sealed is left alone, and of two workers racing on the
    same document the second to finish deletes its own file. The rendering (seconds) runs
    outside any transaction; the seal is one UPDATE of a row that is still unsealed, with the
    document's link of the public chain (forums/chain.py) in the same transaction.
    """
    document = MinutesDocument.objects.select_related("forum__region", "forum__agency", "forum__planning_year").get(
        pk=document_id
    )
    if document.is_ready:
        return document.sha256
    anchor = chain.head()
    pdf = render_minutes(
        document.forum,
        number=document.number,
        issued_at=document.issued_at,
        revision=document.revision,
        reason=document.reason,
        verify_code=document.verify_code,
        chain_anchor=anchor,
    )
    digest = hashlib.sha256(pdf).hexdigest()
    document.pdf.save(
        f"berita-acara-{document.forum_id}-r{document.revision}-{digest[:12]}.pdf", ContentFile(pdf), save=False
    )
    stored = document.pdf.name
    _read_only(document.pdf.storage, stored)
    try:
        with transaction.atomic():
            document.sha256, document.size, document.rendered_at = digest, len(pdf), timezone.now()
            sealed = MinutesDocument.objects.filter(pk=document_id, rendered_at__isnull=True).update(
                pdf=stored,
                sha256=digest,
                size=len(pdf),
                rendered_at=document.rendered_at,
                attempts=F("attempts") + 1,
                last_error="",
            )
            if sealed:
                chain.append(document, anchor=anchor)
    except BaseException:
        document.pdf.storage.delete(stored)  # no row points at this file: it must not stay behind
        raise
    if not sealed:  # another worker sealed it first: its file stands, this one goes
        document.pdf.storage.delete(stored)
        return MinutesDocument.objects.values_list("sha256", flat=True).get(pk=document_id)
    return digest


def _read_only(storage, name: str) -> None:
    """An issued file is written once: on a local disk it is made read-only for everyone, the app's
    own user included (an object store keeps it by its own rules: versioning, object lock)."""
    if isinstance(storage, FileSystemStorage):
        os.chmod(storage.path(name), stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def queue_unsealed(*, older_than: datetime.timedelta) -> int:
    """Queue again every document not sealed after `older_than`: after a worker died mid-task, or
    once the cause of repeated failures is fixed. Harmless twice: sealing is idempotent."""
    stale = MinutesDocument.objects.filter(rendered_at__isnull=True, issued_at__lt=timezone.now() - older_than)
    ids = list(stale.values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            MinutesDocument.objects.filter(pk=pk).update(attempts=0, last_error="")
            render_document.enqueue(pk)
    return len(ids)


def revise_minutes(*, actor, forum: Forum, reason: str, **fields) -> MinutesDocument:
    """Correct an approved forum's minutes: a new numbered revision; the earlier ones stay as issued.

    Only the forum's details (date, place, chair, considerations, decisions text) can be
    corrected; its decisions and their order stay frozen.
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for the revision."))
    with transaction.atomic():
        locked = (
            Forum.objects.select_for_update(of=("self",))
            .select_related("region", "agency", "planning_year")
            .get(pk=forum.pk)
        )
        if locked.status != ForumStatus.APPROVED:
            raise WorkflowError(_("Only the minutes of an approved forum can be revised."))
        if not access.can_run_forum(actor, locked):
            raise WorkflowError(_("Only the officers who run this forum can change it."))
        # The worker renders a document from the forum as it stands: its details must not move
        # before the PDF that prints them is sealed.
        if locked.documents.filter(rendered_at__isnull=True).exists():
            raise WorkflowError(_("The berita acara is still being prepared. Revise it once it is ready."))
        for name, value in fields.items():
            if name not in FORUM_DETAILS:
                raise ValueError(f"not a correctable detail: {name}")
            setattr(locked, name, value)
        if fields:
            locked.save(update_fields=sorted(fields))
        revision = (locked.documents.aggregate(last=Max("revision"))["last"] or 0) + 1
        return issue(locked, actor, revision=revision, reason=reason)
