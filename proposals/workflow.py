"""The one door for every change to a proposal.

Each public verb checks who is acting and whether the intake window is open, changes the
proposal inside one transaction, and writes a ProposalEvent. Moves between statuses go through
_transition, which checks them against ALLOWED and locks the row first. A refused change raises
WorkflowError with a message for the user; views show it and redirect.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from regions.models import Level

from . import access
from .models import Attachment, EventAction, Proposal, ProposalEvent, StageWindow, Status


class WorkflowError(Exception):
    """A change the rules refuse; str(error) is the message for the user."""


# (from status, action) -> to status. Anything not listed is refused.
ALLOWED: dict[tuple[str, str], str] = {
    (Status.DRAFT, EventAction.SUBMITTED): Status.SUBMITTED,
}

# Unambiguous characters only: no 0/O, 1/I/L, so a code read aloud or copied by hand survives.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class NewFile:
    kind: str
    upload: UploadedFile
    content_type: str


def intake_open_window(village) -> StageWindow:
    """The open desa intake window for this village, or a WorkflowError saying when it opens or closed."""
    window, other = StageWindow.objects.intake_for(village, Level.DESA)
    if window:
        return window
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


def _record(proposal: Proposal, actor, action: str, *, note: str = "", from_status: str = "") -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=proposal.status,
        from_level=proposal.level,
        to_level=proposal.level,
        note=note,
    )


def _store_files(proposal: Proposal, new_files: list[NewFile], remove: list[Attachment]) -> None:
    for attachment in remove:
        attachment.file.delete(save=False)
        attachment.delete()
    for new in new_files:
        if new.kind != "photo":
            # A new document of a kind replaces the old one.
            for old in proposal.attachments.filter(kind=new.kind):
                old.file.delete(save=False)
                old.delete()
        Attachment.objects.create(
            proposal=proposal,
            kind=new.kind,
            file=new.upload,
            original_name=new.upload.name[:255],
            content_type=new.content_type,
            size=new.upload.size,
        )


def create_proposal(*, actor, proposal: Proposal, new_files: list[NewFile] = ()) -> Proposal:
    """Save a new draft for the actor's own village, with its attachments.

    Side effects: the proposal's planning year is the one whose desa window is open; its
    kecamatan, kabupaten and provinsi are copied from the village; a "created" event.
    """
    if not access.can_create(actor):
        raise WorkflowError(_("Only a village operator can enter proposals."))
    village = actor.region
    window = intake_open_window(village)
    kecamatan = village.parent
    proposal.planning_year = window.planning_year
    proposal.village = village
    proposal.kecamatan = kecamatan
    proposal.kabupaten = kecamatan.parent
    proposal.provinsi = kecamatan.parent.parent
    proposal.status = Status.DRAFT
    proposal.level = Level.DESA
    proposal.created_by = actor
    with transaction.atomic():
        proposal.save()
        _store_files(proposal, list(new_files), [])
        _record(proposal, actor, EventAction.CREATED)
    return proposal


def update_proposal(
    *, actor, proposal: Proposal, new_files: list[NewFile] = (), remove: list[Attachment] = ()
) -> Proposal:
    """Save the edits to a draft and its attachments; records an "edited" event."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not access.can_edit(actor, locked):
            raise WorkflowError(_("This proposal can no longer be changed."))
        intake_open_window(locked.village)
        proposal.save()
        _store_files(proposal, list(new_files), list(remove))
        _record(proposal, actor, EventAction.EDITED)
    return proposal


def _new_tracking_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _transition(proposal: Proposal, *, actor, action: str, allowed: bool, note: str = "", **changes) -> Proposal:
    """Move a proposal to its next status: check the move and the actor, lock, save, record.

    The caller passes `allowed`, its own verdict on the actor's right, so that the check uses
    the locked, current row rather than what the view read earlier.
    """
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        target = ALLOWED.get((locked.status, action))
        if target is None:
            raise WorkflowError(
                _("A proposal that is %(status)s cannot be %(action)s.")
                % {"status": locked.get_status_display().lower(), "action": EventAction(action).label.lower()}
            )
        if not allowed(locked):
            raise WorkflowError(_("You may not do this to this proposal."))
        from_status = locked.status
        locked.status = target
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=["status", "updated_at", *changes])
        _record(locked, actor, action, note=note, from_status=from_status)
    return locked


def submit_proposal(*, actor, proposal: Proposal) -> Proposal:
    """Submit a draft to the village forum.

    Side effects: a public tracking code is assigned, the proposal becomes read-only to the
    village and visible to the kecamatan and the levels above; a "submitted" event.
    Refused outside the intake window.
    """
    intake_open_window(proposal.village)
    for _attempt in range(5):
        try:
            return _transition(
                proposal,
                actor=actor,
                action=EventAction.SUBMITTED,
                allowed=lambda p: access.can_submit(actor, p),
                tracking_code=_new_tracking_code(),
                submitted_at=timezone.now(),
            )
        except IntegrityError:  # the one-in-a-trillion clash of two random codes: draw again
            continue
    raise WorkflowError(_("Could not assign a tracking code; please try again."))


def delete_proposal(*, actor, proposal: Proposal) -> None:
    """Delete a draft and its files. A submitted proposal is part of the record and cannot be deleted."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Status.DRAFT:
            raise WorkflowError(_("A submitted proposal cannot be deleted."))
        if not access.can_delete(actor, locked):
            raise WorkflowError(_("You may not do this to this proposal."))
        files = [a.file for a in locked.attachments.all()]
        locked.delete()
    # Files go only once the rows are gone for good.
    for f in files:
        f.delete(save=False)
