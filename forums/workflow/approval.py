"""Approval: the rules checked, the forum frozen, its minutes issued, and every decision taken
into effect (agreed items forwarded up the ladder or into the plan, the rest closed)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from musrenbang.errors import WorkflowError
from proposals import seams
from proposals.models import EventAction, Proposal, Status
from proposals.transitions import transition
from regions.models import Level

from .. import queries
from ..defaults import forum_title
from ..models import (
    AGREED,
    DECISION_COST,
    DECISION_VOLUME,
    Decision,
    Forum,
    ForumKind,
    ForumStatus,
    MinutesDocument,
    Outcome,
)
from .ladder import ensure_open, enter, lock_forum, next_forum
from .minutes import issue


def approve_forum(*, actor, forum: Forum) -> MinutesDocument:
    """Approve a forum's result.

    Refused unless every item is decided, the agreed total fits the ceiling (or the forum
    recorded why it may exceed it), the delegate rule holds, the minutes' details are filled
    and the forums feeding this one are approved. Then, in one transaction: the forum and its
    decisions freeze; the minutes are numbered, rendered as PDF and stored with their SHA-256;
    every agreed item moves to the next forum (created if needed), or into the plan at the
    top; items not agreed, merged or left to the village end there. One event per item; the
    listeners (proposals/seams.py: notifications) hear of each event and of the approval.
    The forum row is locked first, so two officers approving at once issue one document.
    """
    with transaction.atomic():
        locked = lock_forum(actor, forum)
        decisions = list(queries.decisions_of(locked))
        problems = queries.approval_problems(locked, decisions)
        if problems:
            raise WorkflowError(" ".join(problems))
        locked.status = ForumStatus.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = actor
        locked.save(update_fields=["status", "approved_at", "approved_by"])
        document = issue(locked, actor)
        _apply_decisions(locked, actor, decisions)
        seams.forum_approved(locked, actor)
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
            else next_forum(forum, proposal, decision.outcome, forums)
        )
        if target is None:
            accommodated.append(proposal)
        else:
            destination, level = target
            forward.setdefault((destination.pk, level), (destination, []))[1].append(proposal)
    agreed_figures = {d.proposal_id: (d.volume, d.cost) for d in decisions if d.outcome in AGREED}
    for (_pk, level), (destination, items) in forward.items():
        ensure_open(destination)
        transition(
            items,
            actor=actor,
            action=EventAction.FORWARDED,
            to_status=Status.SUBMITTED,
            to_level=level,
            forum=forum,
            # The next forum by its official name, not str(forum), which is worded in the language
            # of the officer approving.
            note=lambda p, f=destination: forum_title(f),
        )
        enter(destination, items, agreed_figures)
    if accommodated:
        transition(accommodated, actor=actor, action=EventAction.CLOSED, to_status=Status.ACCOMMODATED, forum=forum)
    if agreed_figures:
        _record_agreed_figures(forum, list(agreed_figures))

    rejected = [proposals[d.proposal_id] for d in by_outcome.get(Outcome.REJECTED, [])]
    if rejected:
        transition(
            rejected,
            actor=actor,
            action=EventAction.CLOSED,
            to_status=Status.NOT_ACCOMMODATED if top else Status.REJECTED,
            forum=forum,
            note=lambda p: reasons[p.pk],
        )
    village = [proposals[d.proposal_id] for d in by_outcome.get(Outcome.VILLAGE_BUDGET, [])]
    if village:
        transition(
            village,
            actor=actor,
            action=EventAction.CLOSED,
            to_status=Status.VILLAGE_BUDGET,
            forum=forum,
            note=lambda p: reasons[p.pk],
        )
    merged = {d.proposal_id: d.merged_into for d in by_outcome.get(Outcome.MERGED, [])}
    if merged:
        transition(
            [proposals[pk] for pk in merged],
            actor=actor,
            action=EventAction.MERGED,
            to_status=Status.MERGED,
            forum=forum,
            changes=lambda p: {"merged_into": merged[p.pk]},
            note=lambda p: f"{merged[p.pk].tracking_code} {merged[p.pk].title}: {reasons[p.pk]}",
        )


def _record_agreed_figures(forum: Forum, proposal_ids: list[int]) -> None:
    """Write each agreed item's figures on the proposal (Proposal.agreed_cost, agreed_volume), for
    the lists and the sums that read them there. One UPDATE from the decisions, whatever the
    forum's size: passing them through transition() as per-row changes would make its save a
    CASE per row and field, a quarter of a second more for 300 items. Not a status change, so
    not through transition(); the forwarding or closing event just written tells the history."""
    # One row per item (forum and proposal are unique together): unordered, as the default order
    # would join the forum, its year, region and agency in each item's subquery.
    decision = Decision.objects.filter(forum=forum, proposal=OuterRef("pk")).order_by()
    Proposal.objects.filter(pk__in=proposal_ids).update(
        agreed_cost=Subquery(decision.values(cost=DECISION_COST)[:1]),
        agreed_volume=Subquery(decision.values(volume=DECISION_VOLUME)[:1]),
    )
