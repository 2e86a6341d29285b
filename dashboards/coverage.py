"""How the plan covers a region's targets: for each regional priority of a kabupaten/kota (or a
province) and year, how many items are placed under it and how much agreed money stands behind
them, by where they stand on the ladder and by region (the kecamatan of a kabupaten, the
kabupaten of a province); its indicators with baseline, target and the latest realisation; and
the priorities nothing is placed under ("not addressed").

An item supports a priority once a forum placed it there (Proposal.regional_priority) and while it
is still in the forums or taken into the plan; an item rejected, merged, left to the village
budget, not taken into the plan or withdrawn supports nothing. Its money is what the last approved
forum agreed to (Proposal.agreed_cost): an item whose forum has not approved yet counts with none.

A fixed handful of queries for any number of items: the priorities, their indicators and
realisations (two prefetches), one GROUP BY over the priorities' items (along the index of
Proposal.regional_priority), and the child regions. Counted live: a region's priorities hold
the items of one kabupaten/kota, never the nation's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from planning import figures
from planning.models import PlanningYear, RegionalPriority
from proposals.models import Proposal, Status
from regions.models import Level, Region

IN_FORUMS = (Status.SUBMITTED, Status.RETURNED)
# Where a supporting item stands: (key, label); "plan" is taken into the plan, the others still
# in the forums at that level.
STAGES = [
    ("kecamatan", _("At the district forums")),
    ("kabupaten", _("At the regency/city")),
    ("provinsi", _("At the province")),
    ("plan", _("Taken into the plan")),
]
_STAGE_OF_LEVEL = {Level.DESA: "kecamatan", Level.KECAMATAN: "kecamatan", Level.KABUPATEN: "kabupaten"}
# The proposal column that names a region's children.
_CHILD_COLUMN = {Level.PROVINSI: "kabupaten_id", Level.KABUPATEN: "kecamatan_id"}


@dataclass
class Figures:
    count: int = 0
    agreed: int = 0

    def add(self, count: int, agreed: int) -> None:
        self.count += count
        self.agreed += agreed


@dataclass
class PriorityCoverage:
    priority: RegionalPriority
    indicators: list
    stages: list[tuple[str, str, Figures]]
    by_region: list[tuple[Region, Figures]]
    total: Figures

    @property
    def addressed(self) -> bool:
        return self.total.count > 0


@dataclass
class Coverage:
    region: Region
    year: PlanningYear
    priorities: list[PriorityCoverage]
    children: list[Region]
    not_addressed: list[PriorityCoverage] = field(init=False)
    total: Figures = field(init=False)

    def __post_init__(self):
        self.not_addressed = [p for p in self.priorities if not p.addressed]
        self.total = Figures()
        for row in self.priorities:
            self.total.add(row.total.count, row.total.agreed)

    @property
    def matrix(self) -> list[tuple[Region, list[Figures]]]:
        """One row per child region, one cell per priority: the "by region" table."""
        return [(child, [row.by_region[n][1] for row in self.priorities]) for n, child in enumerate(self.children)]


def years_with_priorities(region: Region) -> list[PlanningYear]:
    """The planning years the region set priorities for, latest first: one query."""
    return list(PlanningYear.objects.filter(priorities__region=region).distinct().order_by("-year"))


def _stage(level: int, status: str) -> str:
    if status == Status.ACCOMMODATED:
        return "plan"
    return _STAGE_OF_LEVEL.get(level, "provinsi")


def coverage(region: Region, year: PlanningYear) -> Coverage:
    """Everything the targets dashboard shows for one kabupaten/kota or province and year."""
    priorities = list(
        RegionalPriority.objects.filter(region=region, planning_year=year)
        .prefetch_related("indicators__values")
        .order_by("position", "id")
    )
    child = _CHILD_COLUMN[region.level]
    groups = (
        Proposal.objects.filter(regional_priority__in=priorities, status__in=[*IN_FORUMS, Status.ACCOMMODATED])
        .order_by()
        .values("regional_priority_id", "level", "status", child)
        .annotate(count=Count("pk"), agreed=Coalesce(Sum("agreed_cost"), 0))
    )
    stages = {p.pk: {key: Figures() for key, _label in STAGES} for p in priorities}
    places: dict[int, dict[int, Figures]] = {p.pk: {} for p in priorities}
    for group in groups:
        stages[group["regional_priority_id"]][_stage(group["level"], group["status"])].add(
            group["count"], group["agreed"]
        )
        places[group["regional_priority_id"]].setdefault(group[child], Figures()).add(group["count"], group["agreed"])
    children = list(Region.objects.filter(parent=region).order_by("code"))
    rows = []
    for priority in priorities:
        total = Figures()
        for figure in stages[priority.pk].values():
            total.add(figure.count, figure.agreed)
        rows.append(
            PriorityCoverage(
                priority=priority,
                indicators=figures.read_out(priority.indicators.all()),
                stages=[(key, label, stages[priority.pk][key]) for key, label in STAGES],
                by_region=[(c, places[priority.pk].get(c.pk, Figures())) for c in children],
                total=total,
            )
        )
    return Coverage(region=region, year=year, priorities=rows, children=children)
