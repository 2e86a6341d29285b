"""Pokir DPRD: the one door for what a DPRD member and the Setwan do to pokok-pikiran.

A member enters an item with the recess meeting it came from and that meeting's evidence, edits
it while it is a draft or returned, and submits it to the Setwan; the Setwan verifies it, which
puts it on the Forum Perangkat Daerah of its agency (the kabupaten's Musrenbang when the agency is
not the kabupaten's), where it follows the same decisions, ranking and approval as any forwarded
item, or returns it to the member with the reason. Every status move goes through
proposals.transitions.transition(), and the forum is reached through proposals.seams, as a
village's submission reaches its village forum. A refused change raises WorkflowError.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CouncilSeat
from musrenbang.errors import WorkflowError
from musrenbang.files import delete_after_commit, files_follow
from planning.models import PlanningYear, StageWindow
from proposals.codes import new_tracking_code
from proposals.models import Channel, EventAction, Proposal, ProposalEvent, ProposerType, Status
from proposals.seams import deliberation
from proposals.transitions import lock, record, transition
from proposals.workflow import NewFile, store_files
from regions.models import Level

from . import access
from .models import Recess


def pokir_year(kabupaten) -> PlanningYear:
    """The plan year a member's pokok-pikiran go to: the one whose village intake has opened and
    whose kabupaten forums (their stage window, where one is set) have not yet closed. Pokir must
    reach the agencies' forums before those forums meet."""
    today = timezone.localdate()
    closing = {w.planning_year_id: w for w in StageWindow.objects.applicable(kabupaten, Level.KABUPATEN)}
    for window in reversed(StageWindow.objects.applicable(kabupaten, Level.DESA)):
        close = closing.get(window.planning_year_id)
        if window.opens_on <= today and (close is None or today <= close.closes_on):
            return window.planning_year
    raise WorkflowError(
        _(
            "No Pokir intake is open for %(region)s: pokok-pikiran are entered from the opening of village "
            "intake until the regency's forums close."
        )
        % {"region": kabupaten.display_name}
    )


def enter_item(
    *, actor, proposal: Proposal, recess: Recess, new_files: list[NewFile] = (), entry_token=None
) -> Proposal:
    """Save a member's new pokok-pikiran as a draft, with its recess meeting and evidence.

    Side effects: the plan year is pokir_year()'s; the item is placed in the village the member
    chose (its kecamatan, kabupaten and province copied), at the kabupaten level, proposed by the
    member (SIPD's profile "Pokir DPRD"); the recess keeps the member's dapil and faction; a
    "created" event. The same form sent twice makes one draft.
    """
    if not access.is_member(actor):
        raise WorkflowError(_("Only a DPRD member can enter pokok-pikiran."))
    if entry_token:
        earlier = Proposal.objects.filter(entry_token=entry_token, created_by=actor).first()
        if earlier is not None:
            earlier.created = False
            return earlier
    village = proposal.village
    if village.parent.parent_id != actor.region_id:
        raise WorkflowError(_("Place the work in a village of your own regency/city."))
    seat = CouncilSeat.objects.filter(user=actor).first()
    proposal.planning_year = pokir_year(actor.region)
    proposal.kecamatan = village.parent
    proposal.kabupaten = village.parent.parent
    proposal.provinsi = proposal.kabupaten.parent
    proposal.channel, proposal.status, proposal.level = Channel.POKIR, Status.DRAFT, Level.KABUPATEN
    proposal.proposer_type = ProposerType.DPRD
    proposal.proposer_name = actor.get_full_name() or actor.username
    proposal.created_by, proposal.entry_token = actor, entry_token
    recess.member = actor
    recess.dapil, recess.faction = (seat.dapil, seat.faction) if seat else ("", "")
    with files_follow() as kept:
        proposal.save()
        recess.proposal = proposal
        recess.save()
        store_files(proposal, list(new_files), [], kept)
        record(proposal, actor=actor, action=EventAction.CREATED)
    proposal.created = True
    return proposal


def update_item(*, actor, proposal: Proposal, recess: Recess, new_files=(), remove=()) -> Proposal:
    """Save a member's edits to a draft or returned item, its recess and evidence; an "edited" event."""
    with files_follow() as kept:
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not access.can_edit(actor, locked):
            raise WorkflowError(_("This pokok-pikiran can no longer be changed."))
        if proposal.village.parent.parent_id != actor.region_id:
            raise WorkflowError(_("Place the work in a village of your own regency/city."))
        proposal.kecamatan = proposal.village.parent
        proposal.save()
        recess.save()
        store_files(proposal, list(new_files), list(remove), kept)
        record(proposal, actor=actor, action=EventAction.EDITED)
    return proposal


def submit_item(*, actor, proposal: Proposal) -> Proposal:
    """Send a draft (or an item returned to the member) to the Setwan for verification.

    Side effects: a draft gets its public tracking code and submission time, and its target
    agency becomes the current one; the item is read-only to the member and waits for the
    Setwan; a "submitted" (or "resubmitted") event.
    """
    for _attempt in range(5):
        try:
            with transaction.atomic():
                locked = lock(proposal)
                if not access.can_submit(actor, locked):
                    raise WorkflowError(_("Only the member's own draft or returned item can be sent to the Setwan."))
                if locked.status == Status.RETURNED:
                    transition([locked], actor=actor, action=EventAction.RESUBMITTED, to_status=Status.VERIFYING)
                    return locked
                pokir_year(locked.kabupaten)
                transition(
                    [locked],
                    actor=actor,
                    action=EventAction.SUBMITTED,
                    to_status=Status.VERIFYING,
                    changes=lambda p: {
                        "tracking_code": new_tracking_code(),
                        "submitted_at": timezone.now(),
                        "current_agency": p.target_agency,
                    },
                )
                return locked
        except IntegrityError:  # two random codes clashed: draw again
            continue
    raise WorkflowError(_("Could not assign a tracking code; please try again."))


def delete_item(*, actor, proposal: Proposal) -> None:
    """Delete a member's own draft, its recess and its files (once the transaction commits). An
    item sent to the Setwan is part of the record and stays."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not access.can_delete(actor, locked):
            raise WorkflowError(_("Only the member's own draft can be deleted."))
        for attachment in locked.attachments.all():
            attachment.delete()
            delete_after_commit(attachment.file)
        locked.delete()


def _returned_by_forum(proposal: Proposal) -> bool:
    """Whether the item's last return came from a forum (it goes back there) rather than the Setwan."""
    last = proposal.events.filter(action=EventAction.RETURNED).order_by("-at", "-id").first()
    return last is not None and last.forum_id is not None


def verify_item(*, actor, proposal: Proposal) -> Proposal:
    """The Setwan verifies an item: it enters the kabupaten's forums.

    Side effects: the item waits in the Forum Perangkat Daerah of its agency (created if need be;
    the kabupaten's Musrenbang when it has no agency of the kabupaten), pending a decision, as an
    item forwarded from a kecamatan would; an item a forum had returned goes back to that forum's
    pending list instead; it becomes visible to that agency and to Bappeda; a "verified" event in
    that forum. Refused once the forum is approved.
    """
    with transaction.atomic():
        locked = lock(proposal)
        if not access.can_verify(actor, locked):
            raise WorkflowError(_("Only the Setwan of this regency/city verifies its pokok-pikiran, once submitted."))
        if _returned_by_forum(locked):
            forum = deliberation().take_back(locked)
            transition([locked], actor=actor, action=EventAction.VERIFIED, to_status=Status.SUBMITTED, forum=forum)
        else:
            forum = deliberation().forum_for_submission(locked)
            transition([locked], actor=actor, action=EventAction.VERIFIED, to_status=Status.SUBMITTED, forum=forum)
            deliberation().receive(forum, locked)
    return locked


def return_item(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """The Setwan returns an item to its member for revision, with the reason.

    Side effects: the member may edit it and send it again; a "returned" event with the reason
    (who, when, why stay in the item's history).
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for returning the pokok-pikiran."))
    with transaction.atomic():
        locked = lock(proposal)
        if not access.can_verify(actor, locked):
            raise WorkflowError(_("Only the Setwan of this regency/city verifies its pokok-pikiran, once submitted."))
        transition([locked], actor=actor, action=EventAction.RETURNED, to_status=Status.RETURNED, note=reason)
    return locked


def history(proposal: Proposal) -> list[ProposalEvent]:
    """The item's history, oldest first: every submission, verification and return with who, when, why."""
    return list(proposal.events.select_related("actor", "forum").order_by("at", "id"))
