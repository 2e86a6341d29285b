"""The minutes (berita acara): numbering, rendering and storing one issue, and a revision of an
approved forum's minutes. Issued documents never change; a correction is a new revision."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from proposals.codes import random_code

from .. import access
from ..models import Forum, ForumStatus, MinutesCounter, MinutesDocument
from ..pdf import render_minutes
from .meeting import FORUM_DETAILS


def next_number(forum: Forum, issued_at) -> str:
    """The minutes number from settings.MINUTES_NUMBER_PATTERN, its running number taken under lock."""
    year = timezone.localtime(issued_at).year
    counter, _created = MinutesCounter.objects.get_or_create(region=forum.region, year=year)
    counter = MinutesCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return settings.MINUTES_NUMBER_PATTERN.format(
        seq=counter.last, unit=forum.region.code.replace(".", ""), year=year, forum=forum.pk
    )


def issue(forum: Forum, actor, *, revision: int = 0, reason: str = "") -> MinutesDocument:
    issued_at = timezone.now()
    number = next_number(forum, issued_at)
    # Chosen before rendering: the PDF prints it, as a QR code of its public verification page.
    verify_code = random_code(10)
    pdf = render_minutes(
        forum, number=number, issued_at=issued_at, revision=revision, reason=reason, verify_code=verify_code
    )
    digest = hashlib.sha256(pdf).hexdigest()
    document = MinutesDocument(
        forum=forum,
        revision=revision,
        number=number,
        sha256=digest,
        size=len(pdf),
        issued_at=issued_at,
        issued_by=actor,
        reason=reason,
        verify_code=verify_code,
    )
    document.pdf.save(f"berita-acara-{forum.pk}-r{revision}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


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
        for name, value in fields.items():
            if name not in FORUM_DETAILS:
                raise ValueError(f"not a correctable detail: {name}")
            setattr(locked, name, value)
        if fields:
            locked.save(update_fields=sorted(fields))
        revision = (locked.documents.aggregate(last=Max("revision"))["last"] or 0) + 1
        return issue(locked, actor, revision=revision, reason=reason)
