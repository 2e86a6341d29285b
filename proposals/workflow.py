"""The one door for every change to a proposal and to the forums that decide on it.

Each public verb checks who is acting, changes what it must inside one transaction, and writes
ProposalEvents. A proposal's status moves only through _move, which checks the move against
MOVES and takes the rows locked. A refused change raises WorkflowError with a message for the
user; views show it and redirect.

The ladder: a submitted proposal enters its village's forum. Approving a forum issues its
minutes and sends every agreed item up: desa -> kecamatan -> the Forum Perangkat Daerah of the
item's agency (or straight to the kabupaten's Musrenbang when it has none) -> the kabupaten's
Musrenbang, which takes items into the plan or passes them to the province, whose forum
decides the rest.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from lokal import format_rupiah

from forums import queries as forum_queries
from forums.defaults import default_considerations, default_resolutions
from forums.models import (
    AGREED,
    NEEDS_REASON,
    Attendee,
    Ceiling,
    Criterion,
    Decision,
    Delegate,
    Forum,
    ForumKind,
    ForumStatus,
    MinutesCounter,
    MinutesDocument,
    Outcome,
    RegionalPriority,
    Score,
)
from regions.models import Agency, Level

from . import access
from .models import Attachment, EventAction, Proposal, ProposalEvent, SpendingType, StageWindow, Status


class WorkflowError(Exception):
    """A change the rules refuse; str(error) is the message for the user."""


# action -> (statuses it may start from, statuses it may lead to). Anything else is refused.
MOVES: dict[str, tuple[set[str], set[str]]] = {
    EventAction.SUBMITTED: ({Status.DRAFT}, {Status.SUBMITTED}),
    EventAction.RESUBMITTED: ({Status.RETURNED}, {Status.SUBMITTED}),
    EventAction.RETURNED: ({Status.SUBMITTED}, {Status.RETURNED}),
    EventAction.FORWARDED: ({Status.SUBMITTED}, {Status.SUBMITTED}),
    EventAction.MERGED: ({Status.SUBMITTED}, {Status.MERGED}),
    EventAction.CLOSED: (
        {Status.SUBMITTED, Status.RETURNED},
        {Status.REJECTED, Status.VILLAGE_BUDGET, Status.ACCOMMODATED, Status.NOT_ACCOMMODATED},
    ),
}

# What each kind of forum may decide. Every forum accepts (with or without changes), rejects and
# merges duplicates; below the province it may also return an item for revision.
_EVERY_FORUM = [Outcome.ACCEPTED, Outcome.ACCEPTED_CHANGED, Outcome.RETURNED, Outcome.REJECTED, Outcome.MERGED]
OUTCOMES_AT = {
    (ForumKind.MUSRENBANG, Level.DESA): [*_EVERY_FORUM, Outcome.VILLAGE_BUDGET],
    (ForumKind.MUSRENBANG, Level.KECAMATAN): [*_EVERY_FORUM, Outcome.VILLAGE_BUDGET],
    (ForumKind.AGENCY, Level.KABUPATEN): [*_EVERY_FORUM, Outcome.VILLAGE_BUDGET, Outcome.HANDED_OVER],
    (ForumKind.MUSRENBANG, Level.KABUPATEN): [*_EVERY_FORUM, Outcome.TO_PROVINCE],
    (ForumKind.MUSRENBANG, Level.PROVINSI): [o for o in _EVERY_FORUM if o != Outcome.RETURNED],
}

# Unambiguous characters only: no 0/O, 1/I/L, so a code read aloud or copied by hand survives.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class NewFile:
    kind: str
    upload: UploadedFile
    content_type: str


# ---------------------------------------------------------------------------------------------
# The status move every verb goes through
# ---------------------------------------------------------------------------------------------


def _move(
    proposals: Iterable[Proposal],
    *,
    actor,
    action: str,
    to_status: str | Callable[[Proposal], str],
    note: str | Callable[[Proposal], str] = "",
    forum: Forum | None = None,
    to_level: int | None = None,
    changes: Callable[[Proposal], dict] | None = None,
) -> list[Proposal]:
    """Move proposals to a new status: check each move, save only what changed, record an event.

    The caller holds the transaction and has locked the rows (select_for_update). Many
    proposals move in one call so that a forum of 1,000 items is a few queries, not thousands.
    """
    sources, targets = MOVES[action]
    moved, events, fields = [], [], {"status", "level", "updated_at"}
    now = timezone.now()
    for proposal in proposals:
        target = to_status(proposal) if callable(to_status) else to_status
        if proposal.status not in sources or target not in targets:
            raise WorkflowError(
                _("A proposal that is %(status)s cannot be %(action)s.")
                % {"status": proposal.get_status_display().lower(), "action": EventAction(action).label.lower()}
            )
        from_status, from_level = proposal.status, proposal.level
        proposal.status = target
        if to_level is not None:
            proposal.level = to_level
        for name, value in (changes(proposal) if changes else {}).items():
            setattr(proposal, name, value)
            fields.add(name)
        proposal.updated_at = now
        moved.append(proposal)
        events.append(
            ProposalEvent(
                proposal=proposal,
                actor=actor,
                action=action,
                at=now,
                from_status=from_status,
                to_status=target,
                from_level=from_level,
                to_level=proposal.level,
                note=note(proposal) if callable(note) else note,
                forum=forum,
            )
        )
    if len(moved) == 1:
        moved[0].save(update_fields=sorted(fields))
    elif changes:
        Proposal.objects.bulk_update(moved, sorted(fields), batch_size=500)
    else:
        # Without per-row changes the rows end in a few (status, level) pairs: one UPDATE ... WHERE
        # id IN (...) each. bulk_update would build a CASE per row and field, which takes a
        # forum of 300 items a quarter of a second of Python before the query even runs.
        alike: dict[tuple[str, int], list[int]] = {}
        for proposal in moved:
            alike.setdefault((proposal.status, proposal.level), []).append(proposal.pk)
        for (status, level), ids in alike.items():
            Proposal.objects.filter(pk__in=ids).update(status=status, level=level, updated_at=now)
    ProposalEvent.objects.bulk_create(events, batch_size=500)
    return moved


def _note(proposal: Proposal, actor, action: str, note: str = "", forum: Forum | None = None) -> None:
    """An event that records something without moving the status (scored, decided, edited)."""
    ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor,
        action=action,
        from_status=proposal.status,
        to_status=proposal.status,
        from_level=proposal.level,
        to_level=proposal.level,
        note=note,
        forum=forum,
    )


# ---------------------------------------------------------------------------------------------
# Intake: a village enters, edits, submits
# ---------------------------------------------------------------------------------------------


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


def _check_editing_time(proposal: Proposal) -> None:
    """Drafts follow the intake window; a returned item may be revised until its forum closes."""
    if proposal.status == Status.RETURNED:
        return
    intake_open_window(proposal.village)


def _delete_after_commit(attachment: Attachment) -> None:
    # The file goes only once the row's deletion is committed: should the transaction roll
    # back, the attachment is still there and so is its file.
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _store_files(proposal: Proposal, new_files: list[NewFile], remove: list[Attachment]) -> None:
    for attachment in remove:
        _delete_after_commit(attachment)
    for new in new_files:
        if new.kind != "photo":
            # A new document of a kind replaces the old one.
            for old in proposal.attachments.filter(kind=new.kind):
                _delete_after_commit(old)
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
    _as_new_draft(proposal, actor=actor, village=village, window=intake_open_window(village))
    with transaction.atomic():
        proposal.save()
        _store_files(proposal, list(new_files), [])
        _note(proposal, actor, EventAction.CREATED)
    return proposal


def _as_new_draft(proposal: Proposal, *, actor, village, window: StageWindow) -> None:
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
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not access.can_edit(actor, locked):
            raise WorkflowError(_("This proposal can no longer be changed."))
        _check_editing_time(locked)
        proposal.save()
        _store_files(proposal, list(new_files), list(remove))
        _note(proposal, actor, EventAction.EDITED)
    return proposal


def _random_code(length: int) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def _new_tracking_code() -> str:
    raw = _random_code(8)
    return f"{raw[:4]}-{raw[4:]}"


def _lock(proposal: Proposal) -> Proposal:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to current_agency.
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("village", "current_agency").get(pk=proposal.pk)
    )


def submit_proposal(*, actor, proposal: Proposal) -> Proposal:
    """Submit a draft to its village's forum.

    Side effects: a public tracking code is assigned; the target agency becomes the current
    one; the village's forum of the year is created if needed and the proposal waits there for
    a decision; it becomes read-only to the village and visible above; a "submitted" event.
    Refused outside the intake window.
    """
    intake_open_window(proposal.village)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                locked = _lock(proposal)
                if not access.can_edit(actor, locked) and locked.status in (Status.DRAFT, Status.RETURNED):
                    raise WorkflowError(_("You may not do this to this proposal."))
                forum = _forum_for(locked.planning_year, Level.DESA, locked.village)
                _ensure_open(forum)
                _move(
                    [locked],
                    actor=actor,
                    action=EventAction.SUBMITTED,
                    to_status=Status.SUBMITTED,
                    forum=forum,
                    changes=lambda p: {
                        "tracking_code": _new_tracking_code(),
                        "submitted_at": timezone.now(),
                        "current_agency": p.target_agency,
                    },
                )
                _enter(forum, [locked])
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
        locked = _lock(proposal)
        if not access.can_edit(actor, locked) or locked.status != Status.RETURNED:
            raise WorkflowError(_("Only a returned proposal can be submitted again, by its own village."))
        decision = (
            Decision.objects.select_for_update()
            .select_related("forum")
            .filter(proposal=locked, outcome=Outcome.RETURNED)
            .order_by("-decided_at")
            .first()
        )
        if decision is None:
            raise WorkflowError(_("The forum has since decided on this proposal; it can no longer be submitted again."))
        _ensure_open(decision.forum)
        _move([locked], actor=actor, action=EventAction.RESUBMITTED, to_status=Status.SUBMITTED, forum=decision.forum)
        # The village's revision is what the forum now weighs.
        Decision.objects.filter(pk=decision.pk).update(
            outcome="",
            reason="",
            decided_by=None,
            decided_at=None,
            incoming_volume=locked.volume,
            incoming_cost=locked.estimated_cost,
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


# ---------------------------------------------------------------------------------------------
# Forums: where items wait, and who may change a forum
# ---------------------------------------------------------------------------------------------


def _forum_for(planning_year, level: int, region, agency: Agency | None = None, *, cache: dict | None = None) -> Forum:
    """The forum of this year, level and region (or agency), created on first use.

    An approval forwards hundreds of items to a handful of forums: `cache` remembers them.
    """
    key = (planning_year.pk, level, getattr(region, "pk", None), agency.pk if agency else None)
    if cache is not None and key in cache:
        return cache[key]
    if agency is not None:
        forum, _created = Forum.objects.get_or_create(
            planning_year=planning_year,
            kind=ForumKind.AGENCY,
            region_id=agency.region_id,
            agency=agency,
            defaults={"level": Level.KABUPATEN},
        )
    else:
        forum, _created = Forum.objects.get_or_create(
            planning_year=planning_year, kind=ForumKind.MUSRENBANG, level=level, region=region
        )
    if _created:
        # Staff start from the usual wording of their level's minutes and edit it.
        forum.considerations = default_considerations(forum)
        forum.resolutions = default_resolutions(forum)
        forum.save(update_fields=["considerations", "resolutions"])
    if cache is not None:
        cache[key] = forum
    return forum


def _enter(forum: Forum, proposals: list[Proposal], carried: dict | None = None) -> None:
    """Put proposals on a forum's list, after the items already there, each pending a decision.

    `carried` maps a proposal's pk to the (volume, cost) the forum below agreed; the new forum
    starts from those, not from the village's first estimate.
    """
    carried = carried or {}
    last = forum.decisions.aggregate(last=Max("rank"))["last"] or 0
    Decision.objects.bulk_create(
        [
            Decision(
                forum=forum,
                proposal=p,
                rank=last + i,
                incoming_volume=carried.get(p.pk, (p.volume, p.estimated_cost))[0],
                incoming_cost=carried.get(p.pk, (p.volume, p.estimated_cost))[1],
            )
            for i, p in enumerate(proposals, start=1)
        ],
        batch_size=500,
    )


def _ensure_open(forum: Forum) -> None:
    if forum.status == ForumStatus.APPROVED:
        raise WorkflowError(_("%(forum)s has been approved; its decisions can no longer change.") % {"forum": forum})


def _lock_forum(actor, forum: Forum) -> Forum:
    """Lock the forum row, then check it is still open and the actor runs it."""
    locked = (
        Forum.objects.select_for_update(of=("self",))
        .select_related("region", "agency", "planning_year")
        .get(pk=forum.pk)
    )
    _ensure_open(locked)
    if not access.can_run_forum(actor, locked):
        raise WorkflowError(_("Only the officers who run this forum can change it."))
    return locked


# What the minutes say about the meeting itself; staff may correct these even after approval,
# through a revision. The decisions and their order never change once approved.
FORUM_DETAILS = frozenset(
    {"held_on", "starts_at", "place", "chair_name", "chair_title", "resource_people", "considerations", "resolutions"}
)


def update_forum(*, actor, forum: Forum, **fields) -> Forum:
    """Change a forum's details (date, place, chair, considerations, decisions text, override reason)."""
    unknown = set(fields) - FORUM_DETAILS - {"override_reason"}
    if unknown:
        raise ValueError(f"not forum details: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock_forum(actor, forum)
        for name, value in fields.items():
            setattr(locked, name, value)
        if locked.status == ForumStatus.PREPARING and locked.held_on:
            locked.status = ForumStatus.IN_SESSION
            fields["status"] = locked.status
        locked.save(update_fields=sorted(fields))
    return locked


def add_attendee(*, actor, forum: Forum, **fields) -> Attendee:
    with transaction.atomic():
        locked = _lock_forum(actor, forum)
        return Attendee.objects.create(forum=locked, **fields)


def remove_attendee(*, actor, attendee: Attendee) -> None:
    with transaction.atomic():
        _lock_forum(actor, attendee.forum)
        attendee.delete()


def add_delegate(*, actor, forum: Forum, **fields) -> Delegate:
    """Elect a delegate. At most five: the rule (3 to 5, at least one woman) is checked at approval."""
    with transaction.atomic():
        locked = _lock_forum(actor, forum)
        if locked.delegates.count() >= forum_queries.MAX_DELEGATES:
            raise WorkflowError(_("A forum elects at most %(n)d delegates.") % {"n": forum_queries.MAX_DELEGATES})
        return Delegate.objects.create(forum=locked, **fields)


def remove_delegate(*, actor, delegate: Delegate) -> None:
    with transaction.atomic():
        _lock_forum(actor, delegate.forum)
        delegate.delete()


# ---------------------------------------------------------------------------------------------
# Deciding, scoring and ordering items
# ---------------------------------------------------------------------------------------------


def decide(
    *,
    actor,
    decision: Decision,
    outcome: str,
    reason: str = "",
    adjusted_volume: Decimal | None = None,
    adjusted_cost: int | None = None,
    merged_into: Proposal | None = None,
    handed_to: Agency | None = None,
) -> Decision:
    """Record the forum's decision on one item. It can change until the forum is approved.

    Side effects: "returned" sends the proposal back to its village at once (it can be revised
    and resubmitted to this forum); "handed over" moves it at once to the other agency's forum,
    keeping the first agency on record. Every other outcome takes effect at approval.
    A "decided" (or "returned", "handed over") event.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        forum = _lock_forum(actor, decision.forum)
        decision = Decision.objects.select_for_update().select_related("proposal").get(pk=decision.pk)
        proposal = _lock(decision.proposal)
        # A returned item that never came back may still be closed as not agreed, so that it
        # does not hold the forum's approval up for good.
        closing_returned = (
            proposal.status == Status.RETURNED and decision.outcome == Outcome.RETURNED and outcome == Outcome.REJECTED
        )
        if decision.outcome == Outcome.HANDED_OVER or (proposal.status != Status.SUBMITTED and not closing_returned):
            raise WorkflowError(_("This item has left this forum; it can no longer be decided here."))
        if outcome not in OUTCOMES_AT[(forum.kind, forum.level)]:
            raise WorkflowError(
                _("%(outcome)s is not a decision this forum can take.") % {"outcome": Outcome(outcome).label}
            )
        if outcome in NEEDS_REASON and not reason:
            raise WorkflowError(_("Give the reason for this decision."))
        if outcome == Outcome.ACCEPTED_CHANGED:
            if adjusted_cost is None or adjusted_volume is None:
                raise WorkflowError(_("Give the agreed volume and cost."))
            if adjusted_cost < 0 or adjusted_volume <= 0:
                raise WorkflowError(_("The agreed volume must be above zero and the cost not negative."))
        else:
            adjusted_volume = adjusted_cost = None
        if outcome == Outcome.MERGED:
            _check_merge(forum, proposal, merged_into)
        else:
            merged_into = None
        if outcome == Outcome.HANDED_OVER:
            if handed_to is None or handed_to.region_id != forum.region_id or handed_to.pk == forum.agency_id:
                raise WorkflowError(_("Choose another agency of this kabupaten/kota to hand the item to."))
            # Fix: an item has one row per forum, so handing it back to an agency whose forum already
            # held it crashed on the unique constraint; refuse it with a message instead.
            if Decision.objects.filter(
                proposal=proposal, forum__planning_year=forum.planning_year, forum__agency=handed_to
            ).exists():
                raise WorkflowError(
                    _("This item has already been in the forum of %(agency)s; it cannot be handed there again.")
                    % {"agency": handed_to}
                )
        else:
            handed_to = None

        decision.outcome = outcome
        decision.reason = reason
        decision.adjusted_volume = adjusted_volume
        decision.adjusted_cost = adjusted_cost
        decision.merged_into = merged_into
        decision.handed_to = handed_to
        decision.decided_by = actor
        decision.decided_at = timezone.now()
        decision.save()

        label = Outcome(outcome).label
        if outcome == Outcome.RETURNED:
            _move(
                [proposal],
                actor=actor,
                action=EventAction.RETURNED,
                to_status=Status.RETURNED,
                note=reason,
                forum=forum,
            )
        elif outcome == Outcome.HANDED_OVER:
            target = _forum_for(forum.planning_year, Level.KABUPATEN, forum.region, agency=handed_to)
            _ensure_open(target)
            proposal.current_agency = handed_to
            proposal.save(update_fields=["current_agency", "updated_at"])
            _enter(target, [proposal], {proposal.pk: (decision.incoming_volume, decision.incoming_cost)})
            _note(
                proposal,
                actor,
                EventAction.HANDED_OVER,
                _("%(from)s → %(to)s: %(reason)s") % {"from": forum.agency, "to": handed_to, "reason": reason},
                forum=forum,
            )
        else:
            note = f"{label}: {reason}" if reason else str(label)
            if outcome == Outcome.ACCEPTED_CHANGED:
                note = _("%(label)s (%(volume)s %(unit)s, %(cost)s): %(reason)s") % {
                    "label": label,
                    "volume": formats.number_format(adjusted_volume, decimal_pos=None),
                    "unit": proposal.unit,
                    "cost": format_rupiah(adjusted_cost),
                    "reason": reason,
                }
            _note(proposal, actor, EventAction.DECIDED, note, forum=forum)
    return decision


def _check_merge(forum: Forum, proposal: Proposal, survivor: Proposal | None) -> None:
    if survivor is None or survivor.pk == proposal.pk:
        raise WorkflowError(_("Choose the item this one duplicates."))
    target = forum.decisions.filter(proposal=survivor).first()
    if target is None:
        raise WorkflowError(_("An item can only be merged into another item of the same forum."))
    if target.outcome == Outcome.MERGED:
        raise WorkflowError(_("That item is itself merged into another; merge into the surviving one."))
    if forum.decisions.filter(outcome=Outcome.MERGED, merged_into=proposal).exists():
        raise WorkflowError(_("Other items are merged into this one; it must survive, or merge them elsewhere first."))


def score(*, actor, decision: Decision, values: dict) -> Decision:
    """Score an item on each criterion (1 to 5); its weighted score is kept on the decision.

    `values` maps Criterion -> score. Side effects: a "scored" event with the scores.
    """
    with transaction.atomic():
        forum = _lock_forum(actor, decision.forum)
        criteria = {c.pk: c for c in forum_queries.criteria_for(forum)}
        if not criteria:
            raise WorkflowError(_("No ranking criteria have been set for this planning year."))
        decision = Decision.objects.select_for_update().select_related("proposal").get(pk=decision.pk)
        if decision.outcome == Outcome.HANDED_OVER or decision.proposal.status != Status.SUBMITTED:
            raise WorkflowError(_("This item has left this forum; it can no longer be decided here."))
        cleaned = {}
        for criterion, value in values.items():
            if criterion.pk not in criteria:
                raise WorkflowError(_("That criterion does not apply to this forum."))
            try:
                number = Decimal(str(value))
            except (ArithmeticError, ValueError):
                number = None
            if number is None or not number.is_finite() or number != number.to_integral_value() or not 1 <= number <= 5:
                raise WorkflowError(_("Each score must be a whole number from 1 to 5."))
            cleaned[criterion] = int(number)
        for criterion, value in cleaned.items():
            Score.objects.update_or_create(decision=decision, criterion=criterion, defaults={"value": value})
        # Fix: read the scores back from the table, not decision.scores.all(): a decision taken from
        # forum_queries.decisions_of() carries a prefetched (stale) copy, which gave a wrong score.
        scores = dict(Score.objects.filter(decision=decision).values_list("criterion_id", "value"))
        total_weight = sum(c.weight for c in criteria.values())
        weighted = sum(Decimal(scores.get(pk, 0)) * c.weight for pk, c in criteria.items()) / total_weight
        decision.score = weighted.quantize(Decimal("0.01"))
        decision.save(update_fields=["score"])
        _note(
            decision.proposal,
            actor,
            EventAction.SCORED,
            "; ".join(f"{criteria[pk].name} {value}" for pk, value in sorted(scores.items()))
            + f" → {formats.number_format(decision.score, 2)}",
            forum=forum,
        )
    return decision


def order_by_score(*, actor, forum: Forum) -> None:
    """Put the forum's items in order of weighted score, highest first; unscored items last."""
    with transaction.atomic():
        locked = _lock_forum(actor, forum)
        decisions = list(locked.decisions.select_for_update().order_by(F("score").desc(nulls_last=True), "rank", "id"))
        for position, decision in enumerate(decisions, start=1):
            decision.rank = position
        Decision.objects.bulk_update(decisions, ["rank"], batch_size=500)


def move(*, actor, decision: Decision, up: bool) -> None:
    """Move an item one place up or down the forum's order, as the forum agrees."""
    with transaction.atomic():
        locked = _lock_forum(actor, decision.forum)
        decisions = list(locked.decisions.select_for_update().order_by("rank", "id"))
        index = next(i for i, d in enumerate(decisions) if d.pk == decision.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(decisions):
            return
        decisions[index], decisions[other] = decisions[other], decisions[index]
        for position, item in enumerate(decisions, start=1):
            item.rank = position
        Decision.objects.bulk_update(decisions, ["rank"], batch_size=500)


def reject_below_line(*, actor, forum: Forum, reason: str) -> int:
    """Mark every agreed item below the ceiling's cut line as not agreed, with the reason. Returns how many."""
    if not reason.strip():
        # The reason goes into the minutes, which are written in Indonesian whatever the UI language.
        with translation.override("id"):
            reason = _("Beyond the indicative ceiling of the district.")
    with transaction.atomic():
        locked = _lock_forum(actor, forum)
        below = forum_queries.ranking(locked).below_line
        # Fix: the items are rejected while the forum is still locked; they were rejected after the
        # lock was released, so a reorder in between rejected items no longer below the line, and
        # a refusal halfway left the rest undone.
        for decision in below:
            decide(actor=actor, decision=decision, outcome=Outcome.REJECTED, reason=reason)
    return len(below)


# ---------------------------------------------------------------------------------------------
# Approval: freeze, number, print, forward
# ---------------------------------------------------------------------------------------------


def _next_number(forum: Forum, issued_at) -> str:
    """The minutes number from settings.MINUTES_NUMBER_PATTERN, its running number taken under lock."""
    year = timezone.localtime(issued_at).year
    counter, _created = MinutesCounter.objects.get_or_create(region=forum.region, year=year)
    counter = MinutesCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return settings.MINUTES_NUMBER_PATTERN.format(
        seq=counter.last, unit=forum.region.code.replace(".", ""), year=year, forum=forum.pk
    )


def _issue(forum: Forum, actor, *, revision: int = 0, reason: str = "") -> MinutesDocument:
    from forums.pdf import render_minutes

    issued_at = timezone.now()
    number = _next_number(forum, issued_at)
    # Chosen before rendering: the PDF prints it, as a QR code of its public verification page.
    verify_code = _random_code(10)
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


def _next_forum(forum: Forum, proposal: Proposal, outcome: str, cache: dict) -> tuple[Forum, int] | None:
    """Where an agreed item goes from this forum, and at which level; None when it stops here."""
    year = forum.planning_year
    if forum.kind == ForumKind.AGENCY:
        return _forum_for(year, Level.KABUPATEN, forum.region, cache=cache), Level.KABUPATEN
    match forum.level:
        case Level.DESA:
            return _forum_for(year, Level.KECAMATAN, proposal.kecamatan, cache=cache), Level.KECAMATAN
        case Level.KECAMATAN:
            agency = proposal.current_agency
            if agency is not None and agency.region_id == proposal.kabupaten_id:
                return _forum_for(
                    year, Level.KABUPATEN, proposal.kabupaten, agency=agency, cache=cache
                ), Level.KABUPATEN
            return _forum_for(year, Level.KABUPATEN, proposal.kabupaten, cache=cache), Level.KABUPATEN
        case Level.KABUPATEN if outcome == Outcome.TO_PROVINCE:
            return _forum_for(year, Level.PROVINSI, proposal.provinsi, cache=cache), Level.PROVINSI
    return None


def approve_forum(*, actor, forum: Forum) -> MinutesDocument:
    """Approve a forum's result.

    Refused unless every item is decided, the agreed total fits the ceiling (or the forum
    recorded why it may exceed it), the delegate rule holds, the minutes' details are filled
    and the forums feeding this one are approved. Then, in one transaction: the forum and its
    decisions freeze; the minutes are numbered, rendered as PDF and stored with their SHA-256;
    every agreed item moves to the next forum (created if needed), or into the plan at the
    top; items not agreed, merged or left to the village end there. One event per item.
    The forum row is locked first, so two officers approving at once issue one document.
    """
    with transaction.atomic():
        locked = _lock_forum(actor, forum)
        decisions = list(forum_queries.decisions_of(locked))
        problems = forum_queries.approval_problems(locked, decisions)
        if problems:
            raise WorkflowError(" ".join(problems))
        locked.status = ForumStatus.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = actor
        locked.save(update_fields=["status", "approved_at", "approved_by"])
        document = _issue(locked, actor)
        _apply_decisions(locked, actor, decisions)
    return document


def _apply_decisions(forum: Forum, actor, decisions: list[Decision]) -> None:
    by_outcome: dict[str, list[Decision]] = {}
    for decision in decisions:
        by_outcome.setdefault(decision.outcome, []).append(decision)
    ids = [d.proposal_id for d in decisions if d.outcome not in (Outcome.RETURNED, Outcome.HANDED_OVER)]
    proposals = {
        p.pk: p
        for p in Proposal.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("kecamatan", "kabupaten", "provinsi", "current_agency")
    }
    top = forum.kind == ForumKind.MUSRENBANG and forum.level in (Level.KABUPATEN, Level.PROVINSI)
    reasons = {d.proposal_id: d.reason for d in decisions}

    forward: dict[tuple[int, int], tuple[Forum, list[Proposal]]] = {}
    accommodated, forums = [], {}
    for decision in (d for d in decisions if d.outcome in AGREED):
        proposal = proposals[decision.proposal_id]
        target = (
            None
            if top and decision.outcome != Outcome.TO_PROVINCE
            else _next_forum(forum, proposal, decision.outcome, forums)
        )
        if target is None:
            accommodated.append(proposal)
        else:
            next_forum, level = target
            forward.setdefault((next_forum.pk, level), (next_forum, []))[1].append(proposal)
    agreed_figures = {d.proposal_id: (d.volume, d.cost) for d in decisions if d.outcome in AGREED}
    for (_pk, level), (next_forum, items) in forward.items():
        _ensure_open(next_forum)
        _move(
            items,
            actor=actor,
            action=EventAction.FORWARDED,
            to_status=Status.SUBMITTED,
            to_level=level,
            forum=forum,
            note=lambda p, f=next_forum: str(f),
        )
        _enter(next_forum, items, agreed_figures)
    if accommodated:
        _move(accommodated, actor=actor, action=EventAction.CLOSED, to_status=Status.ACCOMMODATED, forum=forum)

    rejected = [proposals[d.proposal_id] for d in by_outcome.get(Outcome.REJECTED, [])]
    if rejected:
        _move(
            rejected,
            actor=actor,
            action=EventAction.CLOSED,
            to_status=Status.NOT_ACCOMMODATED if top else Status.REJECTED,
            forum=forum,
            note=lambda p: reasons[p.pk],
        )
    village = [proposals[d.proposal_id] for d in by_outcome.get(Outcome.VILLAGE_BUDGET, [])]
    if village:
        _move(
            village,
            actor=actor,
            action=EventAction.CLOSED,
            to_status=Status.VILLAGE_BUDGET,
            forum=forum,
            note=lambda p: reasons[p.pk],
        )
    merged = {d.proposal_id: d.merged_into for d in by_outcome.get(Outcome.MERGED, [])}
    if merged:
        _move(
            [proposals[pk] for pk in merged],
            actor=actor,
            action=EventAction.MERGED,
            to_status=Status.MERGED,
            forum=forum,
            changes=lambda p: {"merged_into": merged[p.pk]},
            note=lambda p: f"{merged[p.pk].tracking_code} {merged[p.pk].title}: {reasons[p.pk]}",
        )


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
        return _issue(locked, actor, revision=revision, reason=reason)


# ---------------------------------------------------------------------------------------------
# What Bappeda sets for a planning year: ranking criteria and the kecamatan ceilings
# ---------------------------------------------------------------------------------------------


def set_criteria(*, actor, planning_year, criteria: list[tuple[str, int]]) -> list[Criterion]:
    """Replace the actor's region's ranking criteria for a year with (name, weight %) pairs.

    The weights must add up to 100. Refused once any forum of that region and year has scored
    an item, so that no two items of one forum are ranked by different rules.
    """
    if not access.can_set_planning(actor):
        raise WorkflowError(_("Only Bappeda sets the ranking criteria."))
    names = [name.strip() for name, _weight in criteria]
    if not criteria or any(not name for name in names) or len(set(names)) != len(names):
        raise WorkflowError(_("Give each criterion a different name."))
    # Fix: a weight of 0 (or over 100) in a list adding up to 100 was refused with "they add up to
    # 100 %"; it gets its own message.
    if any(not 1 <= weight <= 100 for _name, weight in criteria):
        raise WorkflowError(_("Each weight must be a whole number from 1 to 100."))
    if sum(w for _n, w in criteria) != 100:
        raise WorkflowError(
            _("The weights must add up to 100 %%; they add up to %(sum)d %%.") % {"sum": sum(w for _n, w in criteria)}
        )
    with transaction.atomic():
        region = actor.region
        # Any score in the region's forums this year, with its own criteria or inherited ones:
        # changing the rules then would rank one forum's items by two different measures.
        if Score.objects.filter(
            Q(decision__forum__region=region) | Q(decision__forum__region__code__startswith=region.code + "."),
            decision__forum__planning_year=planning_year,
        ).exists():
            raise WorkflowError(_("Items have already been scored with these criteria; they can no longer change."))
        Criterion.objects.filter(planning_year=planning_year, region=region).delete()
        return Criterion.objects.bulk_create(
            [
                Criterion(planning_year=planning_year, region=region, name=name, weight=weight, position=i)
                for i, (name, weight) in enumerate(zip(names, (w for _n, w in criteria), strict=True))
            ]
        )


def set_ceiling(*, actor, planning_year, kecamatan, amount: int, max_items: int | None = None) -> Ceiling:
    """Set a kecamatan's indicative ceiling for a year; only its own kabupaten's Bappeda may.

    Refused once that kecamatan's forum has been approved.
    """
    if (
        not access.can_set_ceilings(actor)
        or kecamatan.parent_id != actor.region_id
        or kecamatan.level != Level.KECAMATAN
    ):
        raise WorkflowError(_("Only the Bappeda of its kabupaten/kota sets a district's ceiling."))
    if amount < 0:
        raise WorkflowError(_("The ceiling cannot be negative."))
    with transaction.atomic():
        if Forum.objects.filter(
            planning_year=planning_year, level=Level.KECAMATAN, region=kecamatan, status=ForumStatus.APPROVED
        ).exists():
            raise WorkflowError(_("This district's forum has been approved; its ceiling can no longer change."))
        ceiling, _created = Ceiling.objects.update_or_create(
            planning_year=planning_year, region=kecamatan, defaults={"amount": amount, "max_items": max_items}
        )
    return ceiling


# ---------------------------------------------------------------------------------------------
# Regional priorities, and where an item fits in them and in the budget nomenclature
# ---------------------------------------------------------------------------------------------


def _priority_text(name: str, target: str) -> tuple[str, str]:
    name, target = (name or "").strip(), (target or "").strip()
    if not name:
        raise WorkflowError(_("Name the regional priority."))
    return name, target


def _check_priority_name(region, planning_year, name: str, *, exclude: int | None = None) -> None:
    # Case-insensitive: "Infrastruktur" and "infrastruktur" are one priority to a reader.
    same = RegionalPriority.objects.filter(planning_year=planning_year, region=region, name__iexact=name)
    if same.exclude(pk=exclude).exists():
        raise WorkflowError(
            _("%(region)s already has the regional priority “%(name)s” for %(year)s.")
            % {"region": region.display_name, "name": name, "year": planning_year}
        )


def _lock_priority(actor, priority: RegionalPriority) -> RegionalPriority:
    if not access.can_set_priorities(actor) or priority.region_id != actor.region_id:
        raise WorkflowError(_("Only the Bappeda of its regency/city changes a regional priority."))
    return RegionalPriority.objects.select_for_update().select_related("planning_year", "region").get(pk=priority.pk)


def add_priority(*, actor, planning_year, name: str, target: str = "") -> RegionalPriority:
    """Add a regional priority (and its target) of the actor's kabupaten/kota for a planning year,
    after the ones already there."""
    if not access.can_set_priorities(actor):
        raise WorkflowError(_("Only the Bappeda of a regency/city keeps its regional priorities."))
    name, target = _priority_text(name, target)
    region = actor.region
    try:
        with transaction.atomic():
            _check_priority_name(region, planning_year, name)
            last = RegionalPriority.objects.filter(planning_year=planning_year, region=region).aggregate(
                last=Max("position")
            )["last"]
            return RegionalPriority.objects.create(
                planning_year=planning_year,
                region=region,
                name=name,
                target=target,
                position=0 if last is None else last + 1,
            )
    except IntegrityError:  # the same name added at the same moment by a colleague
        raise WorkflowError(
            _("%(region)s already has the regional priority “%(name)s” for %(year)s.")
            % {"region": region.display_name, "name": name, "year": planning_year}
        ) from None


def update_priority(*, actor, priority: RegionalPriority, name: str, target: str = "") -> RegionalPriority:
    """Rename a regional priority or change its target. Items classified under it follow it."""
    name, target = _priority_text(name, target)
    try:
        with transaction.atomic():
            locked = _lock_priority(actor, priority)
            _check_priority_name(locked.region, locked.planning_year, name, exclude=locked.pk)
            locked.name, locked.target = name, target
            locked.save(update_fields=["name", "target"])
    except IntegrityError:
        raise WorkflowError(
            _("%(region)s already has the regional priority “%(name)s” for %(year)s.")
            % {"region": priority.region.display_name, "name": name, "year": priority.planning_year}
        ) from None
    return locked


def remove_priority(*, actor, priority: RegionalPriority) -> None:
    """Remove a regional priority; refused while any item is classified under it.

    The row lock makes a classification under it at the same moment wait, then fail cleanly.
    """
    with transaction.atomic():
        locked = _lock_priority(actor, priority)
        used = Proposal.objects.filter(regional_priority=locked).count()
        if used:
            raise WorkflowError(
                _("“%(name)s” is the regional priority of %(n)d item(s); it cannot be removed.")
                % {"name": locked.name, "n": used}
            )
        locked.delete()


# The classification, in the order forms, notes and exports name it.
CLASSIFICATION_FIELDS = ("regional_priority", "program", "activity", "sub_activity", "activity_target", "spending_type")


def classify(
    *,
    actor,
    decision: Decision,
    regional_priority: RegionalPriority | None = None,
    program: str = "",
    activity: str = "",
    sub_activity: str = "",
    activity_target: str = "",
    spending_type: str = "",
) -> Proposal:
    """Place an item in the regional plan and the budget nomenclature: its regional priority,
    programme, activity (kegiatan), sub-activity (sub kegiatan), activity target and spending type.

    Done by the officers who run a forum from the kecamatan up, while the forum is open and the
    item is still on its list (not returned to the village, not handed to another agency). The
    priority must be one of the item's own kabupaten/kota for its planning year. Side effects:
    the proposal's fields; an "edited" event naming what changed (none when nothing changed).
    """
    if spending_type and spending_type not in SpendingType.values:
        raise WorkflowError(_("Choose a spending type from the list."))
    wanted = {
        "program": (program or "").strip(),
        "activity": (activity or "").strip(),
        "sub_activity": (sub_activity or "").strip(),
        "activity_target": (activity_target or "").strip(),
        "spending_type": spending_type or "",
    }
    with transaction.atomic():
        forum = _lock_forum(actor, decision.forum)
        if not access.can_classify(actor, forum):
            raise WorkflowError(_("Items are classified from the district forum onwards."))
        decision = Decision.objects.select_for_update().get(pk=decision.pk, forum=forum)
        proposal = _lock(decision.proposal)
        if decision.outcome == Outcome.HANDED_OVER or proposal.status != Status.SUBMITTED:
            raise WorkflowError(_("This item has left this forum; it can no longer be classified here."))
        priority = None
        if regional_priority is not None:
            # Locked so that the priority cannot be removed between this check and the save.
            priority = (
                RegionalPriority.objects.select_for_update()
                .filter(
                    pk=regional_priority.pk,
                    planning_year_id=proposal.planning_year_id,
                    region_id=proposal.kabupaten_id,
                )
                .first()
            )
            if priority is None:
                raise WorkflowError(_("Choose one of the regional priorities of this item's regency/city and year."))
        changed = [name for name, value in wanted.items() if getattr(proposal, name) != value]
        if proposal.regional_priority_id != (priority.pk if priority else None):
            changed.insert(0, "regional_priority")
        if not changed:
            return proposal
        for name, value in wanted.items():
            setattr(proposal, name, value)
        proposal.regional_priority = priority
        proposal.save(update_fields=[*changed, "updated_at"])

        def shown(name: str) -> str:
            label = Proposal._meta.get_field(name).verbose_name
            if name == "regional_priority":
                value = priority.name if priority else ""
            elif name == "spending_type":
                value = proposal.get_spending_type_display() if spending_type else ""
            else:
                value = wanted[name]
            return f"{label} “{value}”" if value else _("%(field)s emptied") % {"field": label}

        ordered = [name for name in CLASSIFICATION_FIELDS if name in changed]
        _note(
            proposal,
            actor,
            EventAction.EDITED,
            _("Classification: %(changes)s") % {"changes": "; ".join(shown(name) for name in ordered)},
            forum=forum,
        )
    return proposal
