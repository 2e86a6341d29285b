"""The ladder: which forum an item waits in, how it gets on a forum's list, and who may change a forum.

Every forum verb starts with lock_forum() (the row locked, still open, the actor runs it).
forum_for() creates a forum on first use with its level's default wording; enter() puts
items on its list; next_forum() says where an agreed item goes on approval. Intake reaches
this module only through the Deliberation below, which forums/apps.py connects to
proposals.seams at start-up.
"""

from __future__ import annotations

from django.db.models import Max
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError
from proposals.models import Proposal
from regions.models import Agency, Level

from .. import access
from ..defaults import default_considerations, default_resolutions
from ..models import Decision, Forum, ForumKind, ForumStatus, Outcome


def forum_for(planning_year, level: int, region, agency: Agency | None = None, *, cache: dict | None = None) -> Forum:
    """The forum of this year, level and region (or agency), created on first use.

    An approval forwards hundreds of items to a handful of forums: `cache` remembers them.
    """
    key = (planning_year.pk, level, getattr(region, "pk", None), agency.pk if agency else None)
    if cache is not None and key in cache:
        return cache[key]
    if agency is not None:
        lookup = {
            "planning_year": planning_year,
            "kind": ForumKind.AGENCY,
            "region_id": agency.region_id,
            "agency": agency,
        }
        fixed = {"level": Level.KABUPATEN}
    else:
        lookup = {"planning_year": planning_year, "kind": ForumKind.MUSRENBANG, "level": level, "region": region}
        fixed = {}
    # Staff start from the usual wording of their level's minutes and edit it. The wording is worked
    # out only when the forum is new (callable defaults), and the row is inserted with it: one
    # INSERT and one audit entry per new forum (a planned season creates hundreds at once).
    unsaved = Forum(**lookup, **fixed)
    forum, _created = Forum.objects.get_or_create(
        **lookup,
        defaults={
            **fixed,
            "considerations": lambda: default_considerations(unsaved),
            "resolutions": lambda: default_resolutions(unsaved),
        },
    )
    if cache is not None:
        cache[key] = forum
    return forum


def enter(forum: Forum, proposals: list[Proposal], carried: dict | None = None) -> None:
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


def ensure_open(forum: Forum) -> None:
    if forum.status == ForumStatus.APPROVED:
        raise WorkflowError(_("%(forum)s has been approved; its decisions can no longer change.") % {"forum": forum})


def lock_forum(actor, forum: Forum) -> Forum:
    """Lock the forum row, then check it is still open and the actor runs it."""
    locked = (
        Forum.objects.select_for_update(of=("self",))
        .select_related("region", "agency", "planning_year")
        .get(pk=forum.pk)
    )
    ensure_open(locked)
    if not access.can_run_forum(actor, locked):
        raise WorkflowError(_("Only the officers who run this forum can change it."))
    return locked


def next_forum(forum: Forum, proposal: Proposal, outcome: str, cache: dict) -> tuple[Forum, int] | None:
    """Where an agreed item goes from this forum, and at which level; None when it stops here."""
    year = forum.planning_year
    if forum.kind == ForumKind.AGENCY:
        return forum_for(year, Level.KABUPATEN, forum.region, cache=cache), Level.KABUPATEN
    match forum.level:
        case Level.DESA:
            return forum_for(year, Level.KECAMATAN, proposal.kecamatan, cache=cache), Level.KECAMATAN
        case Level.KECAMATAN:
            agency = proposal.current_agency
            if agency is not None and agency.region_id == proposal.kabupaten_id:
                return forum_for(year, Level.KABUPATEN, proposal.kabupaten, agency=agency, cache=cache), Level.KABUPATEN
            return forum_for(year, Level.KABUPATEN, proposal.kabupaten, cache=cache), Level.KABUPATEN
        case Level.KABUPATEN if outcome == Outcome.TO_PROVINCE:
            return forum_for(year, Level.PROVINSI, proposal.provinsi, cache=cache), Level.PROVINSI
    return None


class IntakeSide:
    """What intake asks of deliberation (proposals.seams.Deliberation): where a submitted
    proposal waits, and which forum takes a returned one back."""

    def forum_for_submission(self, proposal: Proposal) -> Forum:
        if proposal.is_pokir:
            # Verified pokok-pikiran enter where forwarded items arrive from the kecamatan: the
            # Forum Perangkat Daerah of the agency that would carry them, else the kabupaten's.
            agency = proposal.current_agency
            own = agency is not None and agency.region_id == proposal.kabupaten_id
            forum = forum_for(proposal.planning_year, Level.KABUPATEN, proposal.kabupaten, agency if own else None)
            ensure_open(forum)
            return forum
        forum = forum_for(proposal.planning_year, Level.DESA, proposal.village)
        ensure_open(forum)
        return forum

    def receive(self, forum: Forum, proposal: Proposal) -> None:
        enter(forum, [proposal])

    def take_back(self, proposal: Proposal) -> Forum:
        decision = (
            Decision.objects.select_for_update()
            .select_related("forum")
            .filter(proposal=proposal, outcome=Outcome.RETURNED)
            .order_by("-decided_at")
            .first()
        )
        if decision is None:
            raise WorkflowError(_("The forum has since decided on this proposal; it can no longer be submitted again."))
        ensure_open(decision.forum)
        # The village's revision is what the forum now weighs.
        Decision.objects.filter(pk=decision.pk).update(
            outcome="",
            reason="",
            decided_by=None,
            decided_at=None,
            incoming_volume=proposal.volume,
            incoming_cost=proposal.estimated_cost,
        )
        return decision.forum
