"""The season board: every forum of one plan year in an officer's area, by level, with its planned
date, place, status, items, agreed total against the ceiling and monitoring team; its calendar.

The board runs the same handful of queries for 3 forums or 3,000: the forums with their region,
agency and team in one query (the status worked out in SQL, so the status filter runs there too),
then one aggregate over their decisions, one over the ceilings and one over the stage windows.

What the board shows of an area: a kabupaten/kota's whole season (its own Musrenbang, its
agencies' forums, its kecamatan and villages), a kecamatan's forum and its villages', a province's
own forum and its kabupaten/kota's (a kabupaten/kota's season one click down), a village its own.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_of
from planning.models import StageWindow
from regions.models import Level, Region

from . import access
from .models import AGREED, DECISION_COST, Ceiling, Decision, Forum, ForumKind, ForumStatus


class SeasonStatus:
    """Where a forum stands in the season, from its status and its date against today."""

    NOT_PLANNED, PLANNED, IN_SESSION, APPROVED, LATE = "not_planned", "planned", "in_session", "approved", "late"
    choices = [
        (NOT_PLANNED, _("Not planned")),
        (PLANNED, _("Planned")),
        (IN_SESSION, _("In session")),
        (LATE, _("Late")),
        (APPROVED, _("Approved")),
    ]
    labels = dict(choices)


def status_expression(today: datetime.date) -> Case:
    """SeasonStatus in SQL: approved; else no date: not planned; a date passed: late (not approved
    after its day); today: in session; a date to come: planned."""
    return Case(
        When(status=ForumStatus.APPROVED, then=Value(SeasonStatus.APPROVED)),
        When(held_on__isnull=True, then=Value(SeasonStatus.NOT_PLANNED)),
        When(held_on__lt=today, then=Value(SeasonStatus.LATE)),
        When(held_on=today, then=Value(SeasonStatus.IN_SESSION)),
        default=Value(SeasonStatus.PLANNED),
        output_field=CharField(),
    )


# The board's groups, top down as the forum list orders them: (level, kind) -> heading.
GROUPS = {
    (Level.PROVINSI, ForumKind.MUSRENBANG): _("Provincial Musrenbang"),
    (Level.KABUPATEN, ForumKind.MUSRENBANG): _("Regency/city Musrenbang"),
    (Level.KABUPATEN, ForumKind.AGENCY): _("Agency forums (Forum Perangkat Daerah)"),
    (Level.KECAMATAN, ForumKind.MUSRENBANG): _("District Musrenbang"),
    (Level.DESA, ForumKind.MUSRENBANG): _("Village Musrenbang"),
}


def levels_shown(area: Region | None) -> list[int]:
    """The levels of forums a board of this area shows (see the module's docstring)."""
    if area is None:
        return [Level.PROVINSI]
    if area.level == Level.PROVINSI:
        return [Level.PROVINSI, Level.KABUPATEN]
    return [level for level in Level.values if level >= area.level]


def area_for(user, code: str | None) -> Region | None:
    """The area asked for (?area=<code>) when it lies in the user's own region, else the user's own
    region; an administrator's default is the nation (None)."""
    own = None if scope_of(user).everything else user.region
    if code and (own is None or code == own.code or code.startswith(own.code + ".")):
        found = Region.objects.coded(code)
        if found is not None:
            return found
    return own


def area_choices(user, area: Region | None) -> list[Region]:
    """Where the area picker leads: the user's own region, the chosen area's ancestors up to it, and
    the regions right under the chosen area (one query)."""
    own = None if scope_of(user).everything else user.region
    codes = [] if area is None else [c for c in area.ancestor_codes() + [area.code]]
    if own is not None:
        codes = [c for c in codes if c == own.code or c.startswith(own.code + ".")]
    under = Q(parent=area) if area is not None else Q(level=Level.PROVINSI)
    if area is not None and area.level >= Level.KECAMATAN:
        under = Q(pk__in=[])  # a kecamatan's board already shows its villages
    return list(Region.objects.filter(Q(code__in=codes) | under).order_by("level", "code"))


@dataclass
class Group:
    key: tuple
    label: str
    rows: list = field(default_factory=list)
    # A folded group lists no rows, only how many forums it holds by status (`folded_counts`).
    folded_counts: Counter | None = None

    @property
    def anchor(self) -> str:
        return f"level-{self.key[0]}-{self.key[1]}"

    @property
    def folded(self) -> bool:
        return self.folded_counts is not None

    @property
    def counts(self) -> Counter:
        if self.folded_counts is not None:
            return self.folded_counts
        return Counter(row.season_status for row in self.rows)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Board:
    area: Region | None
    rows: list[Forum]
    groups: list[Group]
    windows: dict  # level -> StageWindow, for an area of a kabupaten/kota or below
    today: datetime.date


def folded_level(area: Region | None, level=None) -> int | None:
    """The level a board lists only as counts: a kabupaten/kota's some 300 village forums, unless
    the village level is asked for (?level=4) or one kecamatan's board is open."""
    if area is not None and area.level == Level.KABUPATEN and level != str(Level.DESA):
        return Level.DESA
    return None


def season_forums(user, planning_year, area, *, level=None, status=None, team=None, today=None, levels=None):
    """The forums of the board as one queryset: the user's scope, the area's subtree at the levels
    shown (or `levels`), each annotated with `season_status`, in board order; filtered by level,
    status and team (a team's id, or "none" for the forums without one)."""
    today = today or timezone.localdate()
    forums = Forum.objects.filter(access.forum_scope_filter(user), planning_year=planning_year)
    if area is not None:
        forums = forums.filter(Q(region=area) | Q(region__code__startswith=area.code + "."))
    levels = levels or levels_shown(area)
    if level in {str(value) for value in levels}:
        levels = [int(level)]
    forums = forums.filter(level__in=levels).annotate(season_status=status_expression(today))
    if status in SeasonStatus.labels:
        forums = forums.filter(season_status=status)
    if team == "none":
        forums = forums.filter(team__isnull=True)
    elif team and str(team).isdigit():
        forums = forums.filter(team_id=int(team))
    return forums.select_related("region", "agency", "team", "planning_year").order_by(
        "level", "-kind", "region__code", "agency__code"
    )


def with_figures(forums: list[Forum], planning_year) -> list[Forum]:
    """Give each forum `items`, `pending`, `agreed` (the total the forum works with over its agreed
    items, as the ranking page sums them) and `ceiling` (a kecamatan Musrenbang's, else None): two
    queries for any number of forums."""
    counts = {
        row["forum_id"]: row
        for row in Decision.objects.filter(forum__in=[f.pk for f in forums])
        .values("forum_id")
        .annotate(
            items=Count("id"),
            pending=Count("id", filter=Q(outcome="")),
            agreed=Sum(DECISION_COST, filter=Q(outcome__in=AGREED)),
        )
        .order_by()
    }
    kecamatans = [f.region_id for f in forums if f.level == Level.KECAMATAN and f.kind == ForumKind.MUSRENBANG]
    ceilings = dict(
        Ceiling.objects.filter(planning_year=planning_year, region_id__in=kecamatans).values_list("region_id", "amount")
    )
    for forum in forums:
        row = counts.get(forum.pk, {})
        forum.items, forum.pending, forum.agreed = row.get("items", 0), row.get("pending", 0), row.get("agreed") or 0
        is_kecamatan = forum.level == Level.KECAMATAN and forum.kind == ForumKind.MUSRENBANG
        forum.ceiling = ceilings.get(forum.region_id) if is_kecamatan else None
        forum.over_ceiling = forum.ceiling is not None and forum.agreed > forum.ceiling
        forum.season_label = SeasonStatus.labels.get(forum.season_status, "")
    return forums


def windows_for(area: Region | None, planning_year, levels) -> dict:
    """level -> the stage window that applies to the area (its own, else its province's, else the
    nation's), in one query; empty above the kabupaten/kota, whose own windows may each differ."""
    if area is None or area.level < Level.KABUPATEN:
        return {}
    codes = area.ancestor_codes() + [area.code]
    best = {}
    rows = StageWindow.objects.filter(planning_year=planning_year, level__in=levels).filter(
        Q(region__isnull=True) | Q(region__code__in=codes)
    )
    for window in rows.select_related("region"):
        depth = len(window.region.code) if window.region else 0
        current = best.get(window.level)
        if current is None or depth > (len(current.region.code) if current.region else 0):
            best[window.level] = window
    return best


def board(user, planning_year, area, *, level=None, status=None, team=None, today=None) -> Board:
    """The board's rows with their figures, grouped; a folded level (folded_level) only counted,
    in one query more."""
    today = today or timezone.localdate()
    filters = {"level": level, "status": status, "team": team, "today": today}
    folded = folded_level(area, level)
    listed = [value for value in levels_shown(area) if value != folded]
    rows = with_figures(list(season_forums(user, planning_year, area, levels=listed, **filters)), planning_year)
    groups = {key: Group(key, label) for key, label in GROUPS.items()}
    for row in rows:
        groups[(row.level, row.kind)].rows.append(row)
    if folded is not None and not level:
        counted = season_forums(user, planning_year, area, levels=[folded], **filters)
        counts = Counter(dict(counted.order_by().values_list("season_status").annotate(n=Count("id"))))
        if counts:
            groups[(folded, ForumKind.MUSRENBANG)].folded_counts = counts
    return Board(
        area=area,
        rows=rows,
        groups=[g for g in groups.values() if g.rows or g.folded],
        windows=windows_for(area, planning_year, levels_shown(area)),
        today=today,
    )


# --- the calendar ------------------------------------------------------------------------------

MAX_MONTHS = 12


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    forums: list
    is_today: bool
    stages: list  # the labels of the stage windows open that day

    @property
    def late(self) -> bool:
        return any(f.season_status == SeasonStatus.LATE for f in self.forums)


@dataclass
class Month:
    first: datetime.date
    weeks: list[list[Day]]
    count: int  # forums that month


def calendar_months(board: Board) -> list[Month]:
    """Month grids (Monday first) from the first planned date or window opening to the last, each
    day with its forums; a season spread over more than a year keeps only the months with forums."""
    by_day = defaultdict(list)
    for row in board.rows:
        if row.held_on:
            by_day[row.held_on].append(row)
    bounds = list(by_day)
    for window in board.windows.values():
        bounds += [window.opens_on, window.closes_on]
    if not bounds:
        return []
    first, last = min(bounds).replace(day=1), max(bounds)
    months = []
    cursor = first
    while cursor <= last:
        months.append(cursor)
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    if len(months) > MAX_MONTHS:
        months = sorted({d.replace(day=1) for d in by_day})
    grid = calendar.Calendar(firstweekday=0)
    result = []
    for month in months:
        weeks = [
            [
                Day(
                    date=day,
                    in_month=day.month == month.month,
                    forums=by_day.get(day, []) if day.month == month.month else [],
                    is_today=day == board.today and day.month == month.month,
                    stages=[
                        w.get_level_display()
                        for w in board.windows.values()
                        if day.month == month.month and w.is_open(day)
                    ],
                )
                for day in week
            ]
            for week in grid.monthdatescalendar(month.year, month.month)
        ]
        count = sum(len(v) for d, v in by_day.items() if (d.year, d.month) == (month.year, month.month))
        result.append(Month(first=month, weeks=weeks, count=count))
    return result


# Django's own abbreviations, translated in its own catalogue: Monday first.
WEEKDAYS = [WEEKDAYS_ABBR[day] for day in range(7)]
