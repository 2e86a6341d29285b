"""Deciding and scoring many items in one go, as a forum of 300 items does in a day.

Each bulk verb is one transaction that takes the forum's lock once and then goes item by item
through the same verb a single item uses (decide, score), so every rule and every history
event is the same. An item the rules refuse is left as it was and reported with the reason;
the others are saved (each single verb runs in its own savepoint inside this transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError

from ..models import NEEDS_REASON, Decision, Forum, Outcome
from .decisions import OUTCOMES_AT, decide
from .ladder import lock_forum
from .ranking import score

# The outcomes one reason can carry for many items. The others need something per item (an
# agreed volume and cost, the item it duplicates, the agency it goes to) and are decided one by one.
BULK_OUTCOMES = (Outcome.ACCEPTED, Outcome.REJECTED, Outcome.RETURNED, Outcome.VILLAGE_BUDGET, Outcome.TO_PROVINCE)


def bulk_outcomes(forum: Forum) -> list[Outcome]:
    """The outcomes this forum may give many items at once, in the order the forum offers them."""
    return [o for o in OUTCOMES_AT[(forum.kind, forum.level)] if o in BULK_OUTCOMES]


@dataclass
class BulkResult:
    done: list[Decision] = field(default_factory=list)
    # (item, why it was left as it was)
    refused: list[tuple[Decision, str]] = field(default_factory=list)


def decide_many(*, actor, forum: Forum, decisions: list[Decision], outcome: str, reason: str = "") -> BulkResult:
    """Give the same decision and reason to many items of one forum.

    Refused as a whole (WorkflowError) when the outcome is not one a forum may give many items
    at once, or needs a reason and none is given. Otherwise every item the rules allow is
    decided, with its own "decided" (or "returned") event, and the rest are reported.
    """
    if outcome not in bulk_outcomes(forum):
        raise WorkflowError(_("This decision cannot be given to many items at once; decide them one by one."))
    if outcome in NEEDS_REASON and not (reason or "").strip():
        raise WorkflowError(_("Give the reason for this decision."))  # the same for every item: said once
    result = BulkResult()
    with transaction.atomic():
        lock_forum(actor, forum)
        for decision in decisions:
            if decision.forum_id != forum.pk:
                raise WorkflowError(_("An item of another forum was chosen."))
            try:
                result.done.append(decide(actor=actor, decision=decision, outcome=outcome, reason=reason))
            except WorkflowError as error:
                result.refused.append((decision, str(error)))
    return result


def score_many(*, actor, forum: Forum, values: dict[Decision, dict]) -> BulkResult:
    """Save the scores of many items at once: `values` maps each item to {Criterion: score}.

    One transaction; each item scored gets its "scored" event and its new weighted score.
    """
    result = BulkResult()
    with transaction.atomic():
        lock_forum(actor, forum)
        for decision, scores in values.items():
            if decision.forum_id != forum.pk:
                raise WorkflowError(_("An item of another forum was chosen."))
            try:
                result.done.append(score(actor=actor, decision=decision, values=scores))
            except WorkflowError as error:
                result.refused.append((decision, str(error)))
    return result
