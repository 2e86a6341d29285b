"""Intake: the one door for what a village does to its proposals.

A village operator enters, edits, imports, submits, resubmits, withdraws and deletes proposals. Each verb
checks who is acting and when (the desa stage window), changes what it must inside one
transaction, and writes a history event. A status moves only through
proposals.transitions.transition(); where the proposal then waits is deliberation's business,
reached through proposals.seams (forums plug in there). A refused change raises
WorkflowError with a message for the user; views show it and redirect.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from musrenbang.files import delete_after_commit, files_follow
from planning.models import LateEntry, StageWindow
from regions.models import Level

from . import access
from .codes import new_tracking_code
from .models import Attachment, AttachmentKind, EventAction, Proposal, ProposalEvent, Status
from .seams import deliberation
from .transitions import lock, record, transition


@dataclass(frozen=True)
class NewFile:
    kind: str
    upload: UploadedFile
    content_type: str


def intake_open_window(village) -> StageWindow | LateEntry:
    """The open desa intake window for this village (or a late entry naming it), or a
    WorkflowError saying when it opens or closed. Either way, its planning_year is the one filed to."""
    window, other = StageWindow.objects.intake_for(village, Level.DESA)
    if window:
        return window
    late = LateEntry.objects.open_for(village)
    if late:  # a past season recorded after the fact (planning.models.LateEntry)
        return late
    if other is None:
        raise WorkflowError(_("No intake period has been scheduled for this village yet."))
    if other.opens_on > timezone.localdate():
        raise WorkflowError(
            _("Proposal intake for %(year)s opens on %(date)s.")
            % {"year": other.planning_year, "date": formats.date_format(other.opens_on)}
        )
    raise WorkflowError(
        _("Proposal intake for %(year)s closed on %(date)s.")
        % {"year": other.planning_year, "date": formats.date_format(other.closes_on)}
    )


def _check_editing_time(proposal: Proposal) -> None:
    """Drafts follow the intake window; a returned item may be revised until its forum closes."""
    if proposal.status == Status.RETURNED:
        return
    intake_open_window(proposal.village)


def _delete_after_commit(attachment: Attachment) -> None:
    attachment.delete()
    delete_after_commit(attachment.file)


def store_files(proposal: Proposal, new_files: list[NewFile], remove: list[Attachment], kept) -> None:
    """Save the new attachments (each file is written as its row is saved) and drop the removed
    ones; `kept` records every file written, for musrenbang.files.files_follow. Pokir entry
    (pokir/workflow.py) keeps its recess evidence through here too."""
    for attachment in remove:
        _delete_after_commit(attachment)
    for new in new_files:
        if new.kind not in (AttachmentKind.PHOTO, AttachmentKind.RECESS_EVIDENCE):
            # A new document of a kind replaces the old one.
            for old in proposal.attachments.filter(kind=new.kind):
                _delete_after_commit(old)
        attachment = Attachment(
            proposal=proposal,
            kind=new.kind,
            original_name=new.upload.name[:255],
            content_type=new.content_type,
            size=new.upload.size,
        )
        attachment.file.save(new.upload.name, new.upload, save=False)
        kept(attachment.file)
        attachment.save()


def create_proposal(*, actor, proposal: Proposal, new_files: list[NewFile] = (), entry_token=None) -> Proposal:
    """Save a new draft for the actor's own village, with its attachments.

    Side effects: the proposal's planning year is the one whose desa window is open; its
    kecamatan, kabupaten and provinsi are copied from the village; a "created" event. With the
    form's `entry_token`, the same form sent twice (a double tap on a slow line) returns the draft
    the first one made instead of making another: see `proposal.created`.
    """
    if not access.can_create(actor):
        raise WorkflowError(_("Only a village operator can enter proposals."))
    earlier = _entered_with(actor, entry_token)
    if earlier is not None:
        return earlier
    village = actor.region
    _as_new_draft(proposal, actor=actor, village=village, window=intake_open_window(village))
    proposal.entry_token = entry_token
    try:
        with files_follow() as kept:
            proposal.save()
            store_files(proposal, list(new_files), [], kept)
            record(proposal, actor=actor, action=EventAction.CREATED)
    except IntegrityError:
        earlier = _entered_with(actor, entry_token)  # the two sends raced: the other one won
        if earlier is None:
            raise
        return earlier
    proposal.created = True
    return proposal


def _entered_with(actor, entry_token) -> Proposal | None:
    if not entry_token:
        return None
    earlier = Proposal.objects.filter(entry_token=entry_token, created_by=actor).first()
    if earlier is not None:
        earlier.created = False
    return earlier


def _as_new_draft(proposal: Proposal, *, actor, village, window: StageWindow | LateEntry) -> None:
    kecamatan = village.parent
    proposal.planning_year = window.planning_year
    proposal.village = village
    proposal.kecamatan = kecamatan
    proposal.kabupaten = kecamatan.parent
    proposal.provinsi = kecamatan.parent.parent
    proposal.status = Status.DRAFT
    proposal.level = Level.DESA
    proposal.created_by = actor


def import_drafts(*, actor, village, rows: list[Proposal], source_name: str = "") -> list[Proposal]:
    """Save proposals read from a spreadsheet as drafts of the actor's own village: all or none.

    Side effects: each row becomes a draft exactly as create_proposal makes one (the planning
    year of the open intake window, the village's ancestors copied); one "created" event each,
    noting the file it came from. Refused, with nothing saved, to anyone but the village's own
    operator and outside the intake window.
    """
    if not access.can_create(actor) or actor.region_id != village.pk:
        raise WorkflowError(_("Only the village's own operator can import its proposals."))
    window = intake_open_window(village)
    for proposal in rows:
        _as_new_draft(proposal, actor=actor, village=village, window=window)
    # The history is read by everyone above the village: written in the official language.
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Imported from spreadsheet %(name)s") % {"name": source_name}
    now = timezone.now()
    with transaction.atomic():
        # Several statements for a long file: the transaction, not one INSERT, makes it all or none.
        created = Proposal.objects.bulk_create(rows, batch_size=100)
        ProposalEvent.objects.bulk_create(
            [
                ProposalEvent(
                    proposal=proposal,
                    actor=actor,
                    action=EventAction.CREATED,
                    at=now,
                    from_status=proposal.status,
                    to_status=proposal.status,
                    from_level=proposal.level,
                    to_level=proposal.level,
                    note=note.strip(),
                )
                for proposal in created
            ],
            batch_size=500,
        )
    return created


def update_proposal(
    *, actor, proposal: Proposal, new_files: list[NewFile] = (), remove: list[Attachment] = ()
) -> Proposal:
    """Save the edits to a draft (or a returned item) and its attachments; records an "edited" event."""
    with files_follow() as kept:
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not access.can_edit(actor, locked):
            raise WorkflowError(_("This proposal can no longer be changed."))
        _check_editing_time(locked)
        proposal.save()
        store_files(proposal, list(new_files), list(remove), kept)
        record(proposal, actor=actor, action=EventAction.EDITED)
    return proposal


def submit_proposal(*, actor, proposal: Proposal) -> Proposal:
    """Submit a draft to its village's forum (through proposals.seams).

    Side effects: a public tracking code is assigned; the target agency becomes the current
    one; the village's forum of the year is created if needed and the proposal waits there for
    a decision; it becomes read-only to the village and visible above; a "submitted" event.
    Refused outside the intake window.
    """
    intake_open_window(proposal.village)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                locked = lock(proposal)
                if not access.can_edit(actor, locked) and locked.status in (Status.DRAFT, Status.RETURNED):
                    raise WorkflowError(_("You may not do this to this proposal."))
                forum = deliberation().forum_for_submission(locked)
                transition(
                    [locked],
                    actor=actor,
                    action=EventAction.SUBMITTED,
                    to_status=Status.SUBMITTED,
                    forum=forum,
                    changes=lambda p: {
                        "tracking_code": new_tracking_code(),
                        "submitted_at": timezone.now(),
                        "current_agency": p.target_agency,
                    },
                )
                deliberation().receive(forum, locked)
                return locked
        except IntegrityError:  # the one-in-a-trillion clash of two random codes: draw again
            continue
    raise WorkflowError(_("Could not assign a tracking code; please try again."))


def resubmit_proposal(*, actor, proposal: Proposal) -> Proposal:
    """Send a returned proposal, revised by the village, back to the forum that returned it.

    Side effects: that forum's decision on it is pending again; a "resubmitted" event.
    Refused once that forum has been approved.
    """
    with transaction.atomic():
        locked = lock(proposal)
        if not access.can_edit(actor, locked) or locked.status != Status.RETURNED:
            raise WorkflowError(_("Only a returned proposal can be submitted again, by its own village."))
        forum = deliberation().take_back(locked)
        transition([locked], actor=actor, action=EventAction.RESUBMITTED, to_status=Status.SUBMITTED, forum=forum)
    return locked


def withdraw_proposal(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """The village takes back a proposal its village forum has not decided on, giving its reason.

    Allowed to the village's own operator while the item is submitted to its village forum, or
    returned by it for revision, and that forum has neither decided on it nor been approved.
    Side effects: the item leaves the forum's list (deliberation's withdraw, through
    proposals.seams), so the forum no longer waits for it and its minutes do not name it; the
    proposal's status becomes "withdrawn", a final one; a "withdrawn" event in that forum with
    the reason, which the public tracking page shows.
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for withdrawing the proposal."))
    if not access.can_withdraw(actor, proposal):
        raise WorkflowError(_("Only the village's own operator can withdraw a proposal still with its village forum."))
    with transaction.atomic():
        # The forum's row first, then the proposal's: the order decide() and approve_forum() lock in.
        forum = deliberation().withdraw(proposal)
        locked = lock(proposal)
        if not access.can_withdraw(actor, locked):
            raise WorkflowError(
                _("Only the village's own operator can withdraw a proposal still with its village forum.")
            )
        transition(
            [locked], actor=actor, action=EventAction.WITHDRAWN, to_status=Status.WITHDRAWN, note=reason, forum=forum
        )
    return locked


def delete_proposal(*, actor, proposal: Proposal) -> None:
    """Delete a draft and its files. A submitted proposal is part of the record and cannot be deleted."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Status.DRAFT:
            raise WorkflowError(_("A submitted proposal cannot be deleted."))
        if not access.can_delete(actor, locked):
            raise WorkflowError(_("You may not do this to this proposal."))
        for attachment in locked.attachments.all():
            _delete_after_commit(attachment)
        locked.delete()


def submit_drafts(*, actor, proposals: list[Proposal]) -> tuple[list[Proposal], list[tuple[Proposal, str]]]:
    """Submit many drafts at once, as a village does after entering or importing its list.

    One transaction: each draft goes through submit_proposal (its own savepoint, tracking code and
    "submitted" event); a draft the rules refuse is left a draft and returned with the reason.
    Refused as a whole outside the intake window. Returns (submitted, refused).
    """
    if proposals:
        intake_open_window(proposals[0].village)
    submitted, refused = [], []
    with transaction.atomic():
        for proposal in proposals:
            try:
                submitted.append(submit_proposal(actor=actor, proposal=proposal))
            except WorkflowError as error:
                refused.append((proposal, str(error)))
    return submitted, refused
