"""The whole of what intake asks of deliberation (proposals.seams.Deliberation): the ladder's
answers (where a submitted proposal waits, which forum takes a returned one back), and what the
village's withdrawal and the history need. forums/apps.py connects it at start-up."""

from __future__ import annotations

from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from proposals.models import Proposal
from regions.models import Level

from ..models import Decision, Forum, ForumKind, ForumStatus, Outcome
from .ladder import IntakeSide

# What the village forum may have said and the village still withdraw the item: nothing yet, or
# "returned for revision" (the village may drop an item rather than revise it; a returned item
# that never comes back would otherwise hold the forum's approval up).
_WITHDRAWABLE = ("", Outcome.RETURNED)


def _village_forum(proposal: Proposal):
    return Forum.objects.filter(
        planning_year_id=proposal.planning_year_id,
        kind=ForumKind.MUSRENBANG,
        level=Level.DESA,
        region_id=proposal.village_id,
    )


class Deliberation(IntakeSide):
    def may_withdraw(self, proposal: Proposal) -> bool:
        return (
            Decision.objects.filter(proposal=proposal, forum__in=_village_forum(proposal), outcome__in=_WITHDRAWABLE)
            .exclude(forum__status=ForumStatus.APPROVED)
            .exists()
        )

    def withdraw(self, proposal: Proposal) -> Forum:
        """The decision row is deleted, scores with it: the forum's list, its pending count, its
        approval and its minutes then know nothing of the item. The item's history keeps the
        withdrawal, in this forum (the caller's event)."""
        forum = (
            _village_forum(proposal)
            .select_for_update(of=("self",))
            .select_related("region", "agency", "planning_year")
            .first()
        )
        # One row at most (one decision per forum and item); order_by(): the default order joins
        # the agency, which PostgreSQL cannot lock on the nullable side of the join.
        decision = (
            Decision.objects.select_for_update().filter(forum=forum, proposal=proposal).order_by().first()
            if forum
            else None
        )
        if decision is None or forum.status == ForumStatus.APPROVED or decision.outcome not in _WITHDRAWABLE:
            raise WorkflowError(
                _("The village forum has already decided on this proposal; it can no longer be withdrawn.")
            )
        if forum.decisions.filter(outcome=Outcome.MERGED, merged_into=proposal).exists():
            raise WorkflowError(
                _(
                    "The forum has merged other proposals into this one; it must decide on them again "
                    "before this proposal can be withdrawn."
                )
            )
        decision.delete()
        return forum

    def outcome_label(self, outcome: str) -> str:
        try:
            return str(Outcome(outcome).label)
        except ValueError:  # a code no longer offered: shown as stored
            return outcome
