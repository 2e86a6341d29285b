"""The dashboards' numbers: counts and costs of proposals by status, sector, current level and
child region, and each kecamatan's use of its indicative ceiling.

Every function takes a base queryset the caller has already scoped (a user's
`Proposal.objects.visible_to(user)`, or the public's non-drafts) and adds one planning year and
one region. The proposals are counted in one GROUP BY (the tally), the ceilings in two more, so a
page costs the same few queries for ten proposals or a kabupaten's ten thousand. The country's
and a province's pages do not count live: they read the precomputed figures of
dashboards/summaries.py, which says where the line is and why.

Indexes: the scoped filters are `<kecamatan|kabupaten|provinsi|village>_id = ? AND planning_year_id
= ? AND status ...`, which the proposal_*_scope indexes lead with (proposal_national_scope for the
whole country, proposal_agency_scope / proposal_cur_agency_scope for agency officers); the ceiling
figures use one_ceiling_per_kecamatan_year and the decisions' forum_region_year and
decision_forum_outcome. No new index is needed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce

from forums.models import AGREED, DECISION_COST, Ceiling, Decision, ForumKind, ForumStatus
from planning.models import PlanningYear, Sector
from proposals.models import Proposal, Status
from proposals.queries import COLUMN_AT
from regions.models import Level, Region

# From a kecamatan (a ceiling's region, a kecamatan forum's region) up to its ancestor at a level.
_UP_FROM_KECAMATAN = {
    Level.KECAMATAN: "region",
    Level.KABUPATEN: "region__parent",
    Level.PROVINSI: "region__parent__parent",
}


@dataclass
class Row:
    key: object
    label: str
    count: int
    total: int
    agreed: int = 0  # the agreed cost of those that a forum has agreed to (Proposal.agreed_cost)
    region: Region | None = None
    url: str = ""  # where a region row drills down to; set by the view


@dataclass
class CeilingRow:
    region: Region
    ceiling: int
    used: int
    kecamatan_count: int = 1
    url: str = ""

    @property
    def percent(self) -> float | None:
        """The share of the ceiling the agreed items take, in per cent; None without a ceiling to divide by."""
        return self.used * 100 / self.ceiling if self.ceiling else None

    @property
    def over(self) -> bool:
        return self.used > self.ceiling


@dataclass
class Dashboard:
    year: PlanningYear
    region: Region | None  # None: the whole country
    by_status: list[Row]
    by_sector: list[Row]
    by_level: list[Row]
    by_region: list[Row]
    ceilings: list[CeilingRow]
    child_level: int | None = None  # the level of the by_region rows; None at a village
    count: int = field(init=False)
    total: int = field(init=False)
    agreed: int = field(init=False)

    def __post_init__(self):
        # Every proposal has exactly one status, so the status rows add up to the whole.
        self.count = sum(row.count for row in self.by_status)
        self.total = sum(row.total for row in self.by_status)
        self.agreed = sum(row.agreed for row in self.by_status)


def years_with_proposals(base: QuerySet[Proposal]) -> list[PlanningYear]:
    """The planning years in which the base queryset holds proposals, latest first: one query."""
    return list(PlanningYear.objects.filter(Exists(base.filter(planning_year=OuterRef("pk")))).order_by("-year"))


def in_region(base: QuerySet[Proposal], region: Region | None) -> QuerySet[Proposal]:
    return base if region is None else base.in_region(region)


def _grouped(qs: QuerySet[Proposal], *keys: str):
    return (
        qs.order_by()
        .values(*keys)
        .annotate(count=Count("pk"), total=Coalesce(Sum("estimated_cost"), 0), agreed=Coalesce(Sum("agreed_cost"), 0))
    )


@dataclass
class Tally:
    """The rows counted and summed once by (status, level, sector, child region); each breakdown
    of the page is added up from it. Four GROUP BYs read the largest kabupaten's 20,000 rows four
    times (100-150 ms at 2 M proposals); one reads them once, in a fixed two queries."""

    groups: list[dict]
    child: str | None  # the proposal column that names the child region, if the page lists them

    def total_by(self, key: str) -> dict:
        """key value -> [count, estimated total, agreed total]"""
        found: dict = defaultdict(lambda: [0, 0, 0])
        for group in self.groups:
            figures = found[group[key]]
            figures[0] += group["count"]
            figures[1] += group["total"]
            figures[2] += group["agreed"]
        return found


def tally(qs: QuerySet[Proposal], region: Region | None) -> Tally:
    level = child_level(region)
    child = f"{COLUMN_AT[level]}_id" if level is not None else None
    return Tally(list(_grouped(qs, "status", "level", "sector_id", *([child] if child else []))), child)


def by_status(tallied: Tally) -> list[Row]:
    found = tallied.total_by("status")
    return [Row(s.value, str(s.label), *found[s]) for s in Status if s in found]


def by_level(tallied: Tally) -> list[Row]:
    found = tallied.total_by("level")
    return [Row(lv.value, str(lv.label), *found[lv]) for lv in Level if lv in found]


def by_sector(tallied: Tally) -> list[Row]:
    found = tallied.total_by("sector_id")
    sectors = Sector.objects.filter(pk__in=list(found)).order_by("code") if found else []
    return [Row(sector.pk, sector.name, *found[sector.pk]) for sector in sectors]


def child_level(region: Region | None) -> int | None:
    if region is None:
        return Level.PROVINSI
    return region.level + 1 if region.level < Level.DESA else None


def by_child_region(tallied: Tally, region: Region | None) -> list[Row]:
    """One row per child of the region (every province for the whole country), those without
    proposals included, from the tally of the proposal's stored ancestor id: no tree walk."""
    if tallied.child is None:
        return []
    return child_rows(region, {pk: tuple(figures) for pk, figures in tallied.total_by(tallied.child).items()})


def child_rows(region: Region | None, found: dict[int, tuple[int, int, int]]) -> list[Row]:
    """A row for every child of the region, in code order, with its (count, total, agreed) from `found`
    (a child's id -> figures; a child missing from it has none): one query, for the live page
    and the summarised one alike."""
    if child_level(region) is None:
        return []
    children = Region.objects.filter(parent=region) if region else Region.objects.filter(level=Level.PROVINSI)
    rows = []
    for child in children.order_by("code"):
        count, total, agreed = found.get(child.pk, (0, 0, 0))
        rows.append(Row(child.pk, child.display_name, int(count), int(total), int(agreed), region=child))
    return rows


def ceiling_use(year: PlanningYear, region: Region | None) -> list[CeilingRow]:
    """Each kecamatan's indicative ceiling against the agreed total of its Musrenbang, one row per
    kecamatan when looking at a kabupaten, a kecamatan or a village, else summed per child region.

    "Agreed" is what forums.queries.ranking adds up: the decisions with an AGREED outcome, at the
    cost the forum works with, of approved forums only: until a forum approves, its decisions are
    its working state, not a result (an item agreed in the morning may be cut in the afternoon).
    Only kecamatan with a ceiling count, so a share never mixes in a kecamatan that has none. Two
    GROUP BY queries whatever the number of forums.

    Not narrowed to what one officer may see: ceilings and the agreed totals are in the kecamatan's
    issued berita acara, a public document, and the public statistics show the same figures. The
    running total of a forum in session is on its own ranking page, for those who run it.
    """
    level = child_level(region) if region is None or region.level < Level.KECAMATAN else Level.KECAMATAN
    up = _UP_FROM_KECAMATAN[level]
    ceilings = Ceiling.objects.filter(planning_year=year)
    decisions = Decision.objects.filter(
        forum__kind=ForumKind.MUSRENBANG,
        forum__level=Level.KECAMATAN,
        forum__planning_year=year,
        forum__region__ceilings__planning_year=year,
        forum__status=ForumStatus.APPROVED,
        outcome__in=AGREED,
    )
    if region is not None:
        if region.level == Level.DESA:
            scope = {"region_id": region.parent_id}
        elif region.level == Level.KECAMATAN:
            scope = {"region_id": region.pk}
        elif region.level == Level.KABUPATEN:
            # Its kecamatan by parent: a code prefix was checked forum by forum over every approved
            # kecamatan Musrenbang of the country (7.6 ms at 2 M proposals, against 0.1).
            scope = {"region__parent_id": region.pk}
        else:
            scope = {"region__code__startswith": region.code + "."}
        ceilings = ceilings.filter(**scope)
        decisions = decisions.filter(**{f"forum__{key}": value for key, value in scope.items()})
    used = {
        g["group"]: g["used"]
        for g in decisions.order_by().values(group=F(f"forum__{up}_id")).annotate(used=Sum(DECISION_COST))
    }
    groups = (
        ceilings.order_by(f"{up}__code")
        .values(f"{up}_id", f"{up}__code", f"{up}__name", f"{up}__level", f"{up}__kind")
        .annotate(amount=Sum("amount"), n=Count("pk"))
    )
    return [
        CeilingRow(
            region=Region(
                pk=g[f"{up}_id"],
                code=g[f"{up}__code"],
                name=g[f"{up}__name"],
                level=g[f"{up}__level"],
                kind=g[f"{up}__kind"],
            ),
            ceiling=g["amount"],
            used=used.get(g[f"{up}_id"]) or 0,
            kecamatan_count=g["n"],
        )
        for g in groups
    ]


def dashboard(base: QuerySet[Proposal], year: PlanningYear, region: Region | None) -> Dashboard:
    """Everything a dashboard page shows for one year and one region of an already scoped queryset."""
    tallied = tally(in_region(base.filter(planning_year=year), region), region)
    return Dashboard(
        year=year,
        region=region,
        by_status=by_status(tallied),
        by_sector=by_sector(tallied),
        by_level=by_level(tallied),
        by_region=by_child_region(tallied, region),
        ceilings=ceiling_use(year, region),
        child_level=child_level(region),
    )
