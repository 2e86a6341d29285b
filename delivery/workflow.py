"""The one door for changing what became of an item: filing a report.

A report locks the item's delivery row, checks the reporter may report, saves the new facts,
keeps the report (what changed, before and after, as of which date, with the note) and its photos,
all in one transaction; the photos follow it (musrenbang/files.py).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from musrenbang.files import files_follow
from proposals.enums import Status
from proposals.models import Proposal

from . import access
from .models import FACTS, Delivery, Report, ReportPhoto


def _text(value) -> str:
    return "" if value is None else str(value)


def file_report(
    *, actor, proposal: Proposal, facts: Delivery, as_of, note: str = "", photos=(), public=False
) -> Report:
    """Save the item's facts as `facts` holds them (an unsaved Delivery) and keep the report.

    Refused to anyone who may not report on the item, and for an item the plan did not take in.
    """
    with files_follow() as kept:
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Status.ACCOMMODATED:
            raise WorkflowError(_("Only an item taken into the plan has a delivery to report on."))
        if not access.can_report(actor, locked):
            raise WorkflowError(_("You may not report on this item."))
        before = Delivery.objects.filter(pk=locked.pk).first()
        changes = {
            name: [_text(getattr(before, name, None)) if before else "", _text(getattr(facts, name))]
            for name in FACTS
            if before is None or _text(getattr(before, name)) != _text(getattr(facts, name))
        }
        changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
        facts.proposal = locked
        facts.save(force_insert=before is None)
        report = Report.objects.create(
            delivery=facts,
            as_of=as_of,
            stage=facts.stage,
            progress=facts.progress,
            note=note.strip(),
            changes=changes,
            recorded_by=actor,
        )
        for upload in photos:
            photo = ReportPhoto(report=report, public=public)
            photo.file.save(upload.name, upload, save=True)
            kept(photo.file)
    return report
