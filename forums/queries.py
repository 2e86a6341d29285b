"""Reusable reads about forums: the forums a user sees, which forum a proposal goes to, the ranking
with its cut line, the criteria and ceilings that apply, and what still blocks an approval."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db.models import Count, Q
from lokal import format_rupiah

from planning.models import LateEntry, StageWindow
from proposals.models import Status
from regions.models import Level, Region

from . import access
from . import attendance as attendance_rule
from .models import AGREED, DECISION_COST, Ceiling, Criterion, Decision, Forum, ForumKind, ForumStatus, Outcome

DELEGATE_LEVELS = {Level.DESA, Level.KECAMATAN}
MIN_DELEGATES, MAX_DELEGATES = 3, 5


def forum_board(user, planning_year, *, level=None) -> tuple[list[Forum], object]:
    """The forums of the user's region and below for one planning year: the ones the user runs,
    and the rest (of one level, if `level` names one) in the list's order.

    The rest is a plain queryset, to be taken a page at a time: counting a page of it, or the
    whole of it for the paginator, touches forums only. Item counts come afterwards, for the
    rows shown (with_item_counts): a nation's 84,000 forums are never all grouped and counted.
    """
    forums = Forum.objects.filter(access.forum_scope_filter(user), planning_year=planning_year).select_related(
        "region", "agency", "planning_year"
    )
    # The forums a user runs sit at their own region or agency: a handful, judged by access.
    if user.agency_id:
        own = forums.filter(agency_id=user.agency_id)
    else:
        own = forums.filter(region_id=user.region_id) if user.region_id else forums.none()
    runs = with_item_counts([f for f in own if access.can_run_forum(user, f)])
    others = forums.exclude(pk__in=[f.pk for f in runs])
    if level in {str(value) for value in Level.values}:
        others = others.filter(level=level)
    # Ladder order (a forum's level is its region's; an agency forum sits at its kabupaten/kota),
    # read in order from the forums' ladder index (Forum.Meta).
    return runs, others.order_by("level", "region_code", "kind", "agency__code")


def with_item_counts(forums) -> list[Forum]:
    """The forums, each with `items` (on its list) and `pending` (not yet decided): one query."""
    forums = list(forums)
    counts = {
        row["forum_id"]: row
        for row in Decision.objects.filter(forum__in=forums)
        .values("forum_id")
        .annotate(items=Count("id"), pending=Count("id", filter=Q(outcome="")))
        # Without it the decisions' default order (by forum: year, region code, agency code) leaves
        # its four joins in the GROUP BY query: 18 ms for a page of 50 forums' 5,449 items, 2 without.
        .order_by()
    }
    for forum in forums:
        row = counts.get(forum.pk, {})
        forum.items, forum.pending = row.get("items", 0), row.get("pending", 0)
    return forums


def decisions_of(forum: Forum, *, scores: bool = True):
    """The forum's items in their agreed order, with what a row on any forum page shows (and
    their scores, unless scores=False).

    The regions and the item merged into come in queries of their own, by id: joined, the
    largest forum's items (300, at 2 M proposals) took 5.1 ms to plan and 3.9 to run, against
    1.3 and 2.3 without them (regions/models.py, attach, says why)."""
    return (
        forum.decisions.select_related(
            "proposal__sector", "proposal__current_agency", "proposal__regional_priority", "handed_to"
        )
        .prefetch_related(*(["scores"] if scores else []), "proposal__village", "proposal__kecamatan", "merged_into")
        .order_by("rank", "id")
    )


def criteria_for(forum: Forum) -> list[Criterion]:
    """The kabupaten's own criteria for the year, else the province's."""
    codes = forum.region.ancestor_codes() + [forum.region.code]
    kabupaten = next((c for c in codes if c.count(".") == 1), None)
    rows = list(
        Criterion.objects.filter(
            planning_year=forum.planning_year, region__code__in=[c for c in (kabupaten, codes[0]) if c]
        ).select_related("region")
    )
    own = [c for c in rows if c.region.code == kabupaten]
    return own or [c for c in rows if c.region.code == codes[0]]


def criteria_set_by(region, planning_year):
    """The criteria a region set itself for a year (criteria_for falls back to the province's)."""
    return Criterion.objects.filter(planning_year=planning_year, region=region)


def kecamatan_ceilings(kabupaten, planning_year) -> tuple[object, dict[int, Ceiling]]:
    """A kabupaten's kecamatan in code order, and the ceilings set for them this year by region id."""
    kecamatans = Region.objects.filter(parent=kabupaten, level=Level.KECAMATAN).order_by("code")
    ceilings = {c.region_id: c for c in Ceiling.objects.filter(planning_year=planning_year, region__in=kecamatans)}
    return kecamatans, ceilings


def ceiling_for(forum: Forum) -> Ceiling | None:
    if forum.level != Level.KECAMATAN or forum.kind != ForumKind.MUSRENBANG:
        return None
    return Ceiling.objects.filter(planning_year=forum.planning_year, region=forum.region).first()


@dataclass(frozen=True)
class Standing:
    """An item as the running total needs it: its id, outcome and cost (Decision.cost)."""

    pk: int
    outcome: str
    cost: int

    @property
    def is_pending(self) -> bool:
        return not self.outcome  # Decision.is_pending


def standings_of(forum: Forum) -> list[Standing]:
    """The forum's items in order, each as a Standing (ranking() takes these as it takes
    decisions): one query and no models, for a page that totals every item but shows a page of
    them. The ranking page of a forum of 642 items spent 40 of its 65 ms building all of them."""
    rows = forum.decisions.order_by("rank", "id").values_list("pk", "outcome", DECISION_COST)
    return [Standing(*row) for row in rows]


def _whole(forum: Forum, pks: list[int], scores: bool = False) -> dict[int, Decision]:
    """The whole decisions (as decisions_of reads them) of a page of items, by id; an item that
    has left the forum since is not among them."""
    return {d.pk: d for d in decisions_of(forum, scores=scores).filter(pk__in=pks)}


def in_full(forum: Forum, pks: list[int], *, scores: bool = False) -> list[Decision]:
    """The whole decisions of a page of items, in the order of their ids."""
    whole = _whole(forum, pks, scores)
    return [whole[pk] for pk in pks if pk in whole]


def rows_in_full(forum: Forum, rows: list[RankedRow]) -> list[RankedRow]:
    """Ranked rows of standings, each with its whole decision in its place."""
    whole = _whole(forum, [row.decision.pk for row in rows])
    return [replace(row, decision=whole[row.decision.pk]) for row in rows if row.decision.pk in whole]


def scorable_ids(forum: Forum) -> list[int]:
    """The ids of the items the forum may still score, in order: Decision.has_left, in SQL."""
    still_here = forum.decisions.exclude(outcome=Outcome.HANDED_OVER).filter(proposal__status=Status.SUBMITTED)
    return list(still_here.order_by("rank", "id").values_list("pk", flat=True))


@dataclass
class RankedRow:
    decision: Decision | Standing
    running_total: int | None  # of agreed items up to and including this one
    position: int | None  # among agreed items
    below_line: bool


@dataclass
class Ranking:
    rows: list[RankedRow]
    ceiling: Ceiling | None
    agreed_total: int
    agreed_count: int
    # Agreed items past the ceiling or the item limit, in rank order.
    below_line: list[Decision] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not self.below_line


def ranking(forum: Forum, decisions=None) -> Ranking:
    """The forum's items in order, the running total of the agreed ones, and where the cut line falls.
    `decisions` may be the forum's decisions (decisions_of, read when not given) or their standings.

    The line is strict: once the running total passes the ceiling (or the count passes the item
    limit), every agreed item after it is below the line, even a cheaper one that would fit.
    """
    decisions = list(decisions if decisions is not None else decisions_of(forum))
    ceiling = ceiling_for(forum)
    rows, total, count, crossed, below = [], 0, 0, False, []
    for decision in decisions:
        if decision.outcome in AGREED:
            total += decision.cost
            count += 1
            if ceiling and not crossed:
                crossed = total > ceiling.amount or (ceiling.max_items is not None and count > ceiling.max_items)
            if crossed:
                below.append(decision)
            rows.append(RankedRow(decision, total, count, crossed))
        else:
            rows.append(RankedRow(decision, None, None, False))
    return Ranking(rows=rows, ceiling=ceiling, agreed_total=total, agreed_count=count, below_line=below)


def earlier_decisions(decision: Decision):
    """The decisions lower forums took on the same item; made in the order it climbs, so the lower
    forums' rows come first."""
    return (
        decision.proposal.decisions.filter(pk__lt=decision.pk)
        .select_related("forum__region", "forum__agency", "forum__planning_year", "merged_into", "handed_to")
        .order_by("id")
    )


def feeding_forums_open(forum: Forum):
    """Forums below this one, in its region and year, that hold items and are not yet approved.

    Items climb only from approved forums, so a forum cannot close before the ones that feed it.
    """
    below = (
        Forum.objects.filter(planning_year=forum.planning_year)
        .exclude(status=ForumStatus.APPROVED)
        .exclude(pk=forum.pk)
    )
    subtree = Q(region__code__startswith=forum.region.code + ".")
    if forum.kind == ForumKind.AGENCY:
        scope = subtree & Q(level__gt=Level.KABUPATEN)
    elif forum.level == Level.KABUPATEN:
        scope = subtree | Q(region=forum.region, kind=ForumKind.AGENCY)
    else:
        scope = subtree
    return below.filter(scope, decisions__isnull=False).distinct().select_related("region", "agency")


def late_entry_reason(forum: Forum) -> str:
    """The reason of the late entry that let this forum meet outside its stage window (what the
    minutes print), or "" when it met inside it or no late entry covers it."""
    entry = LateEntry.objects.covering(forum.region, forum.planning_year).order_by("created_at").first()
    if entry is None:
        return ""
    window = StageWindow.objects.applying(forum.region, forum.level, forum.planning_year)
    inside = window is not None and forum.held_on is not None and window.is_open(forum.held_on)
    return "" if inside else entry.reason


def window_problems(forum: Forum, *, approving: bool = False, today=None) -> list[str]:
    """Why the forum's date (and, when `approving`, an approval today) falls outside the window that
    applies to its level, region and plan year (planning.queries); empty when inside, when the
    forum recorded its reason for being outside, when a late entry covers its region (a past
    season recorded after the fact), or when no window is set for its stage."""
    from django.utils import formats, timezone
    from django.utils.translation import gettext as _

    if forum.outside_window_reason.strip():
        return []
    if LateEntry.objects.covering(forum.region, forum.planning_year).exists():
        return []  # a past season recorded late (planning.models.LateEntry): the dates it was held on
    window = StageWindow.objects.applying(forum.region, forum.level, forum.planning_year)
    if window is None:
        return []
    dates = {
        "forum": forum,
        "opens": formats.date_format(window.opens_on, "j F Y"),
        "closes": formats.date_format(window.closes_on, "j F Y"),
    }
    problems = []
    if forum.held_on and not window.is_open(forum.held_on):
        problems.append(
            _(
                "%(forum)s must be held between %(opens)s and %(closes)s, or record the forum's reason "
                "for meeting outside that window."
            )
            % dates
        )
    if approving and not window.is_open(today or timezone.localdate()):
        problems.append(
            _(
                "%(forum)s may be approved only between %(opens)s and %(closes)s, or record the forum's "
                "reason for approving outside that window."
            )
            % dates
        )
    return problems


def approval_problems(forum: Forum, decisions=None, attendance=None) -> list[str]:
    """Everything that stops this forum from being approved, as messages for the officer.

    Among them the attendance rule (forums/attendance.py, docs/rules.md): an attendance list at
    all, and at the desa/kelurahan and kecamatan a woman and the elements Permendagri 114/2014 and
    86/2017 name. `attendance` is forums.attendance.counts(forum), when the caller has it."""
    from django.utils.translation import gettext as _

    decisions = list(decisions if decisions is not None else decisions_of(forum))
    problems = []
    if forum.is_approved:
        return [_("This forum has already been approved.")]
    pending = [d for d in decisions if d.is_pending]
    if pending:
        problems.append(
            _("%(n)d item(s) still wait for a decision: %(titles)s.")
            % {"n": len(pending), "titles": ", ".join(d.proposal.title for d in pending[:5])}
        )
    returned = [d for d in decisions if d.outcome == Outcome.RETURNED and d.proposal.status == "returned"]
    if returned:
        problems.append(
            _("%(n)d returned item(s) have not come back from the village yet: %(titles)s.")
            % {"n": len(returned), "titles": ", ".join(d.proposal.title for d in returned[:5])}
        )
    outcome_of = {d.proposal_id: d.outcome for d in decisions}
    orphans = [d for d in decisions if d.outcome == Outcome.MERGED and outcome_of.get(d.merged_into_id) not in AGREED]
    if orphans:
        problems.append(
            _("%(n)d item(s) are merged into an item that is not agreed: %(titles)s.")
            % {"n": len(orphans), "titles": ", ".join(d.proposal.title for d in orphans[:5])}
        )
    result = ranking(forum, decisions)
    if result.below_line and not forum.override_reason.strip():
        problems.append(
            _(
                "The agreed items total %(total)s over %(count)d item(s), beyond the ceiling of %(ceiling)s"
                "%(limit)s. Mark the items below the line as not agreed, or record the forum's reason for "
                "exceeding it."
            )
            % {
                "total": format_rupiah(result.agreed_total),
                "count": result.agreed_count,
                "ceiling": format_rupiah(result.ceiling.amount),
                "limit": _(" or the limit of %(n)d items") % {"n": result.ceiling.max_items}
                if result.ceiling.max_items is not None
                else "",
            }
        )
    if forum.kind == ForumKind.MUSRENBANG and forum.level in DELEGATE_LEVELS:
        delegates = list(forum.delegates.all())
        if not MIN_DELEGATES <= len(delegates) <= MAX_DELEGATES:
            problems.append(
                _("The forum must elect %(min)d to %(max)d delegates; it has %(n)d.")
                % {"min": MIN_DELEGATES, "max": MAX_DELEGATES, "n": len(delegates)}
            )
        if delegates and not any(d.gender == "P" for d in delegates):
            problems.append(_("At least one delegate must be a woman."))
    problems.extend(attendance_rule.problems(forum, attendance))
    missing = [
        label
        for label, value in (
            (_("date"), forum.held_on),
            (_("place"), forum.place),
            (_("chair"), forum.chair_name),
        )
        if not value
    ]
    if missing:
        problems.append(_("The minutes need the forum's %(fields)s.") % {"fields": ", ".join(str(m) for m in missing)})
    problems.extend(window_problems(forum, approving=True))
    open_below = list(feeding_forums_open(forum)[:5])
    if open_below:
        problems.append(
            _("Forums below this one are still open: %(forums)s.") % {"forums": ", ".join(str(f) for f in open_below)}
        )
    return problems


def approval_preview(forum: Forum) -> dict:
    """What the approval page shows: what still blocks approval, the ranking, the items agreed and
    not agreed, who attended (counts by gender and element), and who will sign the minutes."""
    decisions = list(decisions_of(forum))
    result = ranking(forum, decisions)
    attendance = attendance_rule.counts(forum)
    return {
        "problems": approval_problems(forum, decisions, attendance),
        "ranking": result,
        "agreed": [row for row in result.rows if row.decision.outcome in AGREED],
        "not_agreed": [d for d in decisions if d.outcome and d.outcome not in AGREED],
        "delegates": forum.delegates.all(),
        "attendee_count": attendance.total,
        "attendance": attendance,
    }
