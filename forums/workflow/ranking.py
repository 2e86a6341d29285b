"""Scoring and ordering a forum's items, and cutting what falls below the ceiling's line."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import formats, translation
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from proposals.models import EventAction
from proposals.transitions import record

from .. import queries
from ..models import Decision, Forum, Outcome, Score
from .decisions import decide
from .ladder import lock_forum
from .weighing import weigh


def score(*, actor, decision: Decision, values: dict) -> Decision:
    """Score an item on each criterion (1 to 5); its weighted score is kept on the decision.

    `values` maps Criterion -> score, for the criteria the forum scores; an automatic one
    (weighing.py) is scored here from the item's priority and refused if given. Side effects: a
    "scored" event with the scores.
    """
    with transaction.atomic():
        forum = lock_forum(actor, decision.forum)
        criteria = {c.pk: c for c in queries.criteria_for(forum)}
        if not criteria:
            raise WorkflowError(_("No ranking criteria have been set for this planning year."))
        decision = Decision.objects.select_for_update().select_related("proposal").get(pk=decision.pk)
        if decision.has_left:
            raise WorkflowError(_("This item has left this forum; it can no longer be decided here."))
        cleaned = {}
        for criterion, value in values.items():
            if criterion.pk not in criteria:
                raise WorkflowError(_("That criterion does not apply to this forum."))
            if criteria[criterion.pk].is_automatic:
                raise WorkflowError(
                    _("“%(name)s” is scored automatically from the item's regional priority.")
                    % {"name": criterion.name}
                )
            try:
                number = Decimal(str(value))
            except (ArithmeticError, ValueError):
                number = None
            if number is None or not number.is_finite() or number != number.to_integral_value() or not 1 <= number <= 5:
                raise WorkflowError(_("Each score must be a whole number from 1 to 5."))
            cleaned[criterion] = int(number)
        for criterion, value in cleaned.items():
            Score.objects.update_or_create(decision=decision, criterion=criterion, defaults={"value": value})
        # Read back from the table inside weigh(), not decision.scores.all(): a decision taken from
        # queries.decisions_of() carries a prefetched (stale) copy, which gave a wrong score.
        scores = weigh(decision, list(criteria.values()))
        record(
            decision.proposal,
            actor=actor,
            action=EventAction.SCORED,
            note="; ".join(f"{criteria[pk].name} {value}" for pk, value in sorted(scores.items()))
            + f" → {formats.number_format(decision.score, 2)}",
            forum=forum,
        )
    return decision


def order_by_score(*, actor, forum: Forum) -> None:
    """Put the forum's items in order of weighted score, highest first; unscored items last."""
    with transaction.atomic():
        locked = lock_forum(actor, forum)
        decisions = list(locked.decisions.select_for_update().order_by(F("score").desc(nulls_last=True), "rank", "id"))
        for position, decision in enumerate(decisions, start=1):
            decision.rank = position
        Decision.objects.bulk_update(decisions, ["rank"], batch_size=500)


def move(*, actor, decision: Decision, up: bool) -> None:
    """Move an item one place up or down the forum's order, as the forum agrees."""
    _reorder(actor, decision, lambda place: place - 1 if up else place + 1)


def move_to(*, actor, decision: Decision, position: int) -> int:
    """Put an item at this place (1 is the top) of the forum's order; the others close up around
    it. A place beyond either end means that end. Returns the place the item took."""
    return _reorder(actor, decision, lambda place: position)


def _reorder(actor, decision: Decision, where) -> int:
    with transaction.atomic():
        locked = lock_forum(actor, decision.forum)
        decisions = list(locked.decisions.select_for_update().order_by("rank", "id"))
        index = next(i for i, d in enumerate(decisions) if d.pk == decision.pk)
        moving = decisions.pop(index)
        position = min(max(int(where(index + 1)), 1), len(decisions) + 1)
        decisions.insert(position - 1, moving)
        changed = []
        for place, item in enumerate(decisions, start=1):
            if item.rank != place:
                item.rank = place
                changed.append(item)
        # Only the rows between the old place and the new one are written: moving one item of a
        # 300-item forum rewrites those, not all 300.
        Decision.objects.bulk_update(changed, ["rank"], batch_size=500)
    return position


def reject_below_line(*, actor, forum: Forum, reason: str) -> int:
    """Mark every agreed item below the ceiling's cut line as not agreed, with the reason. Returns how many."""
    if not reason.strip():
        # The reason goes into the minutes, which are written in Indonesian whatever the UI language.
        with translation.override("id"):
            reason = _("Beyond the indicative ceiling of the district.")
    with transaction.atomic():
        locked = lock_forum(actor, forum)
        below = queries.ranking(locked).below_line
        # Fix: the items are rejected while the forum is still locked; they were rejected after the
        # lock was released, so a reorder in between rejected items no longer below the line, and
        # a refusal halfway left the rest undone.
        for decision in below:
            decide(actor=actor, decision=decision, outcome=Outcome.REJECTED, reason=reason)
    return len(below)
