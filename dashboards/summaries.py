"""The national and provincial dashboards read precomputed summaries, refreshed in the background.

Why: at 2 million proposals the whole country's page ran four GROUP BYs over every proposal on
each request (3.7-3.9 s, and /statistik/ is open to anyone). Here the page adds up a few
thousand summary rows instead, and says when they were read ("Data per Selasa, 9 Agustus 2016
pukul 10.15"). A request never reads the proposals table at these levels, whoever makes it.

Where the line is: by level. The country and a province read the summaries: the largest
province holds a tenth of the nation's proposals, and its live page took 124 ms on a data set of
200,000 (the country's 525 ms), so about a second at national scale. A kabupaten/kota (some
4,000 proposals) and everything below it stays live, as does every agency officer's page (the
items of one agency, a filter the summaries do not keep): their GROUP BYs take the scope-leading
proposal indexes and answer in about 50 ms at national scale, and their officers see the
minute's figures, which matter most to them. So the summaries keep the kabupaten grain, the
finest a summarised page lists.

Who may add up which rows: the summaries are kept per status, and a reader adds up the statuses
it may see. The public, and a provincial Bappeda in its province, every status but drafts; an
administrator everything (proposals.queries.scope_filter and public_scope_filter draw the same
lines, and test_dashboard_summaries compares both paths' figures for each reader).

A refresh (refresh()) rebuilds every table in one transaction: readers keep seeing the old rows
until it commits, and a failed refresh leaves them as they were. It reads the proposals once,
into a temporary tally by (year, province, kabupaten, status, sector, level), and derives the
region, sector and level figures from that tally, so all three come from the same moment and
always add up to the same totals (0.4 s for 200,000 proposals). The ceilings' figures come from
the kecamatan Musrenbangs' decisions. Refreshes take turns on a row lock; pages never wait for
it, and a page reads all its figures in one snapshot (one_snapshot), so it never mixes two.

When: a page that finds the summaries older than MAX_AGE, or missing (a fresh install: the page
says "Ringkasan sedang disiapkan"), asks the background worker for one refresh, unless another
page has asked already and that refresh has not run yet; so at most one refresh per MAX_AGE
however many people look, and none while nobody does. `manage.py refresh_summaries` refreshes
at once, for a systemd timer or cron when figures must be fresh at set times (e.g. before office
hours); `manage.py demo` refreshes at its end. Refreshing after each forum approval or
submission instead would need every lower app that moves a figure (status moves, levels, agreed
costs, ceilings) to call up through a seam, and would still miss whatever nobody hooked; the age
rule needs nothing from the layers below and the page tells its reader how old its figures are.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, connections, router, transaction
from django.db.models import Count, Exists, F, OuterRef, Sum
from django.utils import timezone

from accounts.scope import scope_of
from forums.models import AGREED, DECISION_COST, Ceiling, Decision, ForumKind, ForumStatus
from planning.models import PlanningYear
from proposals.models import Proposal, Status
from regions.models import Level, Region

from .models import CeilingFigure, LevelFigure, RegionFigure, SectorFigure, Stamp
from .queries import CeilingRow, Dashboard, Row, child_level, child_rows

# How old the figures may be before the next page to show them asks for a refresh.
MAX_AGE = datetime.timedelta(minutes=10)

EVERY_STATUS = frozenset(Status)
SUBMITTED = EVERY_STATUS - {Status.DRAFT}
FIGURES = (RegionFigure, SectorFigure, LevelFigure, CeilingFigure)
_TALLY = "dashboards_tally"


def covers(region: Region | None) -> bool:
    """Whether a page about this region (None: the country) reads the summaries."""
    return region is None or region.level == Level.PROVINSI


def statuses_for(user) -> frozenset[str] | None:
    """The statuses an officer's dashboard adds up from the summaries; None when the officer's
    pages are counted live (an agency officer's, and any below the province)."""
    scope = scope_of(user)
    if scope.everything:
        return EVERY_STATUS
    if scope.region_id is not None and scope.level == Level.PROVINSI:
        return SUBMITTED
    return None


# --- the refresh --------------------------------------------------------------------------------


def refresh() -> datetime.datetime:
    """Replace every summary row with figures read now; returns that moment. One transaction:
    until it commits readers see the previous figures, and if it fails they keep them."""
    with transaction.atomic():
        # A second refresh waits here until the first commits, then replaces its rows: two
        # running side by side would each delete only the rows it could see, and count twice.
        Stamp.objects.select_for_update().get_or_create(name=Stamp.Name.REFRESHED, defaults={"at": timezone.now()})
        for model in FIGURES:
            # DELETE, not TRUNCATE: TRUNCATE would lock every reader out until the commit.
            model.objects.all().delete()
        read_at = timezone.now()
        with connection.cursor() as cursor:
            _proposal_figures(cursor)
        _ceiling_figures()
        Stamp.objects.filter(name=Stamp.Name.REFRESHED).update(at=read_at)
    return read_at


def _proposal_figures(cursor) -> None:
    """One pass over the proposals into a temporary tally; the three figure tables are sums of it.

    Plain SQL because the ORM cannot INSERT ... SELECT. The temporary table is private to this
    connection and goes with the transaction if the refresh fails."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_TALLY} AS"
        " SELECT planning_year_id, provinsi_id, kabupaten_id, status, sector_id, level,"
        "  COUNT(*) AS n, SUM(estimated_cost) AS cost, COALESCE(SUM(agreed_cost), 0) AS agreed"
        f" FROM {Proposal._meta.db_table}"
        " GROUP BY planning_year_id, provinsi_id, kabupaten_id, status, sector_id, level"
    )
    for model, key in ((RegionFigure, "kabupaten_id"), (SectorFigure, "sector_id"), (LevelFigure, "level")):
        columns = f"planning_year_id, provinsi_id, status, {key}"
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({columns}, count, total, agreed)"
            f" SELECT {columns}, SUM(n), SUM(cost), SUM(agreed) FROM {_TALLY} GROUP BY {columns}"
        )
    cursor.execute(f"DROP TABLE {_TALLY}")


def _ceiling_figures() -> None:
    """Per kabupaten: ceilings added up, and what the approved Musrenbang of its kecamatan with a
    ceiling agreed (the same rule as queries.ceiling_use). Two GROUP BYs; a few hundred rows a year
    cross to Python to be paired."""
    ceilings = (
        Ceiling.objects.order_by()
        .values("planning_year", kabupaten=F("region__parent"), provinsi=F("region__parent__parent"))
        .annotate(amount_sum=Sum("amount"), n=Count("pk"))
    )
    agreed = (
        Decision.objects.filter(
            forum__kind=ForumKind.MUSRENBANG,
            forum__level=Level.KECAMATAN,
            forum__region__ceilings__planning_year=F("forum__planning_year"),
            forum__status=ForumStatus.APPROVED,
            outcome__in=AGREED,
        )
        .order_by()
        .values(year=F("forum__planning_year"), kabupaten=F("forum__region__parent"))
        .annotate(agreed=Sum(DECISION_COST))
    )
    used = {(g["year"], g["kabupaten"]): g["agreed"] for g in agreed}
    CeilingFigure.objects.bulk_create(
        CeilingFigure(
            planning_year_id=g["planning_year"],
            provinsi_id=g["provinsi"],
            kabupaten_id=g["kabupaten"],
            amount=g["amount_sum"],
            kecamatan_count=g["n"],
            used=used.get((g["planning_year"], g["kabupaten"])) or 0,
        )
        for g in ceilings
    )


# --- when to refresh ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamps:
    refreshed: datetime.datetime | None  # when the figures were read; None: never
    requested: datetime.datetime | None  # when a page last asked for a refresh

    def asked_after(self, now: datetime.datetime) -> datetime.datetime:
        """A request made after this moment is still to be served: after the last refresh, and
        recent enough that its job is not presumed lost (a worker that was down)."""
        return max(self.refreshed or now - MAX_AGE, now - MAX_AGE)

    def due(self, now: datetime.datetime) -> bool:
        if self.refreshed is not None and self.refreshed > now - MAX_AGE:
            return False
        return self.requested is None or self.requested <= self.asked_after(now)


def stamps() -> Stamps:
    at = dict(Stamp.objects.values_list("name", "at"))
    return Stamps(refreshed=at.get(Stamp.Name.REFRESHED), requested=at.get(Stamp.Name.REQUESTED))


def ask_if_due(seen: Stamps) -> bool:
    """Ask the worker for a refresh when the figures a page showed are too old (or missing) and
    nobody has asked since; True when this call asked. Of pages asking at once one wins: the
    claim is a conditional UPDATE, and the job is enqueued in the same transaction."""
    now = timezone.now()
    if not seen.due(now):
        return False
    from .tasks import refresh_summaries  # tasks.py imports this module

    with transaction.atomic():
        claimed = Stamp.objects.filter(name=Stamp.Name.REQUESTED, at__lte=seen.asked_after(now)).update(at=now)
        if not claimed:
            _row, claimed = Stamp.objects.get_or_create(name=Stamp.Name.REQUESTED, defaults={"at": now})
        if claimed:
            refresh_summaries.enqueue(asked_at=now.isoformat())
    return bool(claimed)


# --- reading ------------------------------------------------------------------------------------


@contextmanager
def one_snapshot():
    """A page's reads in one read-only REPEATABLE READ transaction on PostgreSQL, so that a
    refresh committing between two of them cannot show half old and half new figures.

    On the database the figures are read from: a read replica when musrenbang/routers.py sends
    this page there (it only looks at the primary's transaction, so the reads still go to the
    replica, which runs such transactions). Not on SQLite (the demo): these settings make its
    transactions take the write lock at BEGIN."""
    alias = router.db_for_read(RegionFigure)
    reader = connections[alias]
    if reader.vendor != "postgresql" or reader.in_atomic_block:
        yield
        return
    with transaction.atomic(using=alias):
        with reader.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def years(statuses: frozenset[str]) -> list[PlanningYear]:
    """The planning years the summaries hold figures of these statuses for, latest first."""
    held = RegionFigure.objects.filter(planning_year=OuterRef("pk"), status__in=statuses)
    return list(PlanningYear.objects.filter(Exists(held)).order_by("-year"))


def _sums(model, where: dict, *keys: str):
    return (
        model.objects.filter(**where)
        .order_by()
        .values(*keys)
        .annotate(n=Sum("count"), cost=Sum("total"), agreed=Sum("agreed"))
    )


def dashboard(year: PlanningYear, region: Region | None, statuses: frozenset[str]) -> Dashboard:
    """The same Dashboard queries.dashboard computes live, from the summaries, for the country
    (region None) or a province: six small queries whatever the number of proposals."""
    where = {"planning_year": year, "status__in": statuses}
    if region is not None:
        where["provinsi"] = region
    by_status = {g["status"]: g for g in _sums(RegionFigure, where, "status")}
    by_level = {g["level"]: g for g in _sums(LevelFigure, where, "level")}
    child = "provinsi" if region is None else "kabupaten"
    by_child = {g[child]: (g["n"], g["cost"], g["agreed"]) for g in _sums(RegionFigure, where, child)}
    sectors = _sums(SectorFigure, where, "sector", "sector__code", "sector__name").order_by("sector__code")
    return Dashboard(
        year=year,
        region=region,
        by_status=[_row(s.value, s.label, by_status[s]) for s in Status if s in by_status],
        by_sector=[_row(g["sector"], g["sector__name"], g) for g in sectors],
        by_level=[_row(lv.value, lv.label, by_level[lv]) for lv in Level if lv in by_level],
        by_region=child_rows(region, by_child),
        ceilings=_ceilings(year, region),
        child_level=child_level(region),
    )


def _row(key, label, group: dict) -> Row:
    # SUM comes back as a Decimal on PostgreSQL; the live rows hold ints.
    return Row(key, str(label), int(group["n"]), int(group["cost"]), int(group["agreed"]))


def _ceilings(year: PlanningYear, region: Region | None) -> list[CeilingRow]:
    up = "provinsi" if region is None else "kabupaten"
    rows = CeilingFigure.objects.filter(planning_year=year)
    if region is not None:
        rows = rows.filter(provinsi=region)
    groups = (
        rows.order_by(f"{up}__code")
        .values(up, f"{up}__code", f"{up}__name", f"{up}__level", f"{up}__kind")
        .annotate(ceiling=Sum("amount"), n=Sum("kecamatan_count"), agreed=Sum("used"))
    )
    return [
        CeilingRow(
            region=Region(
                pk=g[up], code=g[f"{up}__code"], name=g[f"{up}__name"], level=g[f"{up}__level"], kind=g[f"{up}__kind"]
            ),
            ceiling=int(g["ceiling"]),
            used=int(g["agreed"]),
            kecamatan_count=int(g["n"]),
        )
        for g in groups
    ]
