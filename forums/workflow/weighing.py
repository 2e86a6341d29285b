"""An item's weighted score, and the criterion no one scores by hand: "supports a regional priority".

Such a criterion (Criterion.kind "priority") scores SUPPORTS when the item is placed under one of
its kabupaten/kota's regional priorities for its year (classification only offers those), and
NOT_PLACED otherwise. Its score is stored like the others (a Score row), so the minutes, the
exports and the rule that criteria freeze once used read it as they read any score; it is written
again whenever the item is scored, and when its classification changes after it was scored.
"""

from __future__ import annotations

from decimal import Decimal

from ..models import Criterion, Decision, Score

SUPPORTS, NOT_PLACED = 5, 1


def automatic_score(criterion: Criterion, decision: Decision) -> int | None:
    """The score an automatic criterion gives this item; None for a criterion the forum scores."""
    if not criterion.is_automatic:
        return None
    return SUPPORTS if decision.proposal.regional_priority_id else NOT_PLACED


def weigh(decision: Decision, criteria: list[Criterion]) -> dict[int, int]:
    """Write the automatic criteria's scores of a decision (its row locked by the caller) and its
    weighted score over every criterion (a missing score counts 0). Returns criterion id -> score."""
    for criterion in criteria:
        value = automatic_score(criterion, decision)
        if value is not None:
            Score.objects.update_or_create(decision=decision, criterion=criterion, defaults={"value": value})
    scores = dict(Score.objects.filter(decision=decision).values_list("criterion_id", "value"))
    total_weight = sum(c.weight for c in criteria)
    weighted = sum(Decimal(scores.get(c.pk, 0)) * c.weight for c in criteria) / total_weight
    decision.score = weighted.quantize(Decimal("0.01"))
    decision.save(update_fields=["score"])
    return scores
