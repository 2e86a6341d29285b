"""The one door through which a proposal's status moves, and the history every change leaves.

Intake (proposals/workflow.py) and deliberation (forums/workflow/) both move proposals only
through transition(), which checks each move against MOVES, takes the rows' locks, saves only
what changed and writes one ProposalEvent per proposal, all inside the caller's transaction.
record() writes an event for a change that is not a move (edited, scored, decided, classified),
saving the fields it names. Both hand the events they wrote to whoever listens
(proposals/seams.py: the notifications), inside the same transaction.

Forums sit above proposals: they pass their Forum in as `forum` (the event keeps it, through a
string reference), and this module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError

from . import seams
from .models import EventAction, Proposal, ProposalEvent, Status

# action -> (statuses it may start from, statuses it may lead to). Anything else is refused.
MOVES: dict[str, tuple[set[str], set[str]]] = {
    # A village's item goes to its forum; a DPRD member's to the Setwan first (pokir/workflow.py).
    EventAction.SUBMITTED: ({Status.DRAFT}, {Status.SUBMITTED, Status.VERIFYING}),
    EventAction.RESUBMITTED: ({Status.RETURNED}, {Status.SUBMITTED, Status.VERIFYING}),
    # The Setwan verifies a Pokir item into the forums, or returns it to its member.
    EventAction.VERIFIED: ({Status.VERIFYING}, {Status.SUBMITTED}),
    EventAction.RETURNED: ({Status.SUBMITTED, Status.VERIFYING}, {Status.RETURNED}),
    EventAction.FORWARDED: ({Status.SUBMITTED}, {Status.SUBMITTED}),
    EventAction.MERGED: ({Status.SUBMITTED}, {Status.MERGED}),
    EventAction.CLOSED: (
        {Status.SUBMITTED, Status.RETURNED},
        {Status.REJECTED, Status.VILLAGE_BUDGET, Status.ACCOMMODATED, Status.NOT_ACCOMMODATED},
    ),
    # The village takes its item back before its village forum decides (proposals.workflow).
    EventAction.WITHDRAWN: ({Status.SUBMITTED, Status.RETURNED}, {Status.WITHDRAWN}),
}


def lock(proposal: Proposal) -> Proposal:
    """The proposal's row, locked for the rest of the transaction and read afresh."""
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to current_agency.
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("village", "current_agency").get(pk=proposal.pk)
    )


def _refuse(proposal: Proposal, action: str) -> WorkflowError:
    return WorkflowError(
        _("A proposal that is %(status)s cannot be %(action)s.")
        % {"status": proposal.get_status_display().lower(), "action": EventAction(action).label.lower()}
    )


def transition(
    proposals: Iterable[Proposal],
    *,
    actor,
    action: str,
    to_status: str | Callable[[Proposal], str],
    note: str | Callable[[Proposal], str] = "",
    forum=None,
    to_level: int | None = None,
    changes: Callable[[Proposal], dict] | None = None,
) -> list[Proposal]:
    """Move proposals to a new status: check each move, lock, save only what changed, record an event.

    Runs inside the caller's transaction (or its own, when there is none). The rows are locked
    here and their stored status must still be the one the caller read: a proposal another
    request moved in between is refused rather than moved twice. Many proposals move in one
    call, so that a forum of 1,000 items is a few queries, not thousands.
    """
    sources, targets = MOVES[action]
    proposals = list(proposals)
    with transaction.atomic(savepoint=False):
        stored = dict(
            Proposal.objects.select_for_update(of=("self",))
            .filter(pk__in=[p.pk for p in proposals])
            .values_list("pk", "status")
        )
        moved, events, fields = [], [], {"status", "level", "updated_at"}
        now = timezone.now()
        for proposal in proposals:
            target = to_status(proposal) if callable(to_status) else to_status
            if proposal.status not in sources or target not in targets or stored.get(proposal.pk) != proposal.status:
                raise _refuse(proposal, action)
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
        _save(moved, fields, changes is not None, now)
        ProposalEvent.objects.bulk_create(events, batch_size=500)
        seams.events_written(events)
    return moved


def _save(moved: list[Proposal], fields: set[str], per_row: bool, now) -> None:
    if len(moved) == 1:
        moved[0].save(update_fields=sorted(fields))
    elif per_row:
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


def record(
    proposal: Proposal,
    *,
    actor,
    action: str,
    note: str = "",
    forum=None,
    changes: dict | None = None,
    outcome: str = "",
    volume=None,
    cost: int | None = None,
) -> ProposalEvent:
    """An event that records something without moving the status (created, edited, scored,
    decided, handed over, classified); `changes` are fields saved on the proposal first.

    A decision is kept as data, not words: its `outcome` code, the `volume` and `cost` it agreed
    when it changed them, and the officer's reason as the note (ProposalEvent.display_note)."""
    if changes:
        for name, value in changes.items():
            setattr(proposal, name, value)
        proposal.save(update_fields=[*changes, "updated_at"])
    event = _standing(proposal, actor=actor, action=action, note=note, forum=forum, outcome=outcome)
    event.volume, event.cost = volume, cost
    event.save()
    seams.events_written([event])
    return event


def record_all(
    proposals: Iterable[Proposal], *, actor, action: str, note: Callable[[Proposal], str]
) -> list[ProposalEvent]:
    """record() for many proposals at once whose changes the caller has saved (an import): one
    event each, written together, handed to the listeners."""
    now = timezone.now()
    events = [_standing(proposal, actor=actor, action=action, note=note(proposal), at=now) for proposal in proposals]
    ProposalEvent.objects.bulk_create(events, batch_size=500)
    seams.events_written(events)
    return events


def _standing(proposal: Proposal, *, actor, action: str, note: str, forum=None, outcome: str = "", at=None):
    """An unsaved event that leaves the proposal's status and level as they stand."""
    return ProposalEvent(
        proposal=proposal,
        actor=actor,
        action=action,
        at=at or timezone.now(),
        from_status=proposal.status,
        to_status=proposal.status,
        from_level=proposal.level,
        to_level=proposal.level,
        note=note,
        forum=forum,
        outcome=outcome,
    )
