"""Deciding on items: what each kind of forum may decide (OUTCOMES_AT), the decision on one
item with its immediate effects (returned to the village, handed to another agency), and the
item's place in the regional priorities and the budget nomenclature (classify)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from planning.models import RegionalPriority
from proposals.models import EventAction, Proposal, SpendingType, Status
from proposals.transitions import lock, record, transition
from regions.models import Agency, Level

from .. import access, queries
from ..models import NEEDS_REASON, Decision, Forum, ForumKind, Outcome
from .ladder import ensure_open, enter, forum_for, lock_forum
from .weighing import weigh

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
        forum = lock_forum(actor, decision.forum)
        decision = Decision.objects.select_for_update().select_related("proposal").get(pk=decision.pk)
        proposal = lock(decision.proposal)
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

        if outcome == Outcome.RETURNED:
            transition(
                [proposal],
                actor=actor,
                action=EventAction.RETURNED,
                to_status=Status.RETURNED,
                note=reason,
                forum=forum,
            )
        elif outcome == Outcome.HANDED_OVER:
            target = forum_for(forum.planning_year, Level.KABUPATEN, forum.region, agency=handed_to)
            ensure_open(target)
            enter(target, [proposal], {proposal.pk: (decision.incoming_volume, decision.incoming_cost)})
            record(
                proposal,
                actor=actor,
                action=EventAction.HANDED_OVER,
                # Names and the reason only: the history is read in every officer's language.
                note=f"{forum.agency} → {handed_to}: {reason}",
                forum=forum,
                changes={"current_agency": handed_to},
            )
        else:
            # The outcome as a code and the officer's reason: the label is worded when read, in the
            # reader's language (ProposalEvent.display_note), not in the deciding officer's.
            record(
                proposal,
                actor=actor,
                action=EventAction.DECIDED,
                note=reason,
                forum=forum,
                outcome=outcome,
                volume=adjusted_volume,
                cost=adjusted_cost,
            )
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
    the proposal's fields; an "edited" event naming what changed (none when nothing changed); an
    item already scored whose priority changed is weighed again (weighing.py: the criterion
    "supports a regional priority").
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
        forum = lock_forum(actor, decision.forum)
        if not access.can_classify(actor, forum):
            raise WorkflowError(_("Items are classified from the district forum onwards."))
        decision = Decision.objects.select_for_update().get(pk=decision.pk, forum=forum)
        proposal = lock(decision.proposal)
        decision.proposal = proposal  # the locked row, read afresh
        if decision.has_left:
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

        def shown(name: str) -> str:
            label = Proposal._meta.get_field(name).verbose_name
            if name == "regional_priority":
                value = priority.name if priority else ""
            elif name == "spending_type":
                value = proposal.get_spending_type_display() if spending_type else ""
            else:
                value = wanted[name]
            return f"{label} “{value}”" if value else _("%(field)s emptied") % {"field": label}

        if "regional_priority" in changed:
            _reweigh(forum, decision)
        ordered = [name for name in CLASSIFICATION_FIELDS if name in changed]
        record(
            proposal,
            actor=actor,
            action=EventAction.EDITED,
            note=_("Classification: %(changes)s") % {"changes": "; ".join(shown(name) for name in ordered)},
            forum=forum,
            changes={name: getattr(proposal, name) for name in changed},
        )
    return proposal


def _reweigh(forum: Forum, decision: Decision) -> None:
    """Weigh a scored item again after its priority changed, if an automatic criterion applies."""
    criteria = queries.criteria_for(forum)
    if any(c.is_automatic for c in criteria) and decision.scores.exists():
        weigh(decision, criteria)
