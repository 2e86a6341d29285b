"""`manage.py bench`: every page family the scale issue measured, timed on the current database.

Each page is requested in-process through Django's test client as the officer who would open
it (accounts made once, `bench.*`, bound to the largest regions of the data set), in
interleaved rounds: round 1 requests every page once, then round 2, and so on, so that a
slow moment of the machine falls on every page alike. The first round warms caches and is
not counted. For each page it prints the median and 95th percentile of the wall time, the
queries run and their SQL time (median), the page's heaviest query run again alone on a raw
cursor ("main SQL": the database's share, without Django around it), the ratio to the same
list in the stock Django admin (tuned in proposals/admin.py, requested in the same rounds),
and the size of the HTML. `explain()` shows each main query's plan.

A benchmark, not a test: it asserts nothing about speed; tests run it at a tiny size only to
prove that it works. benchmarks/load.py drives the same pages through gunicorn.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from dashboards import summaries
from forums.models import AGREED, Forum, ForumStatus
from planning.models import PlanningYear
from proposals.models import Proposal
from proposals.tables import ProposalTable
from regions.models import Level, Region

ADMIN_LIST = "/admin/proposals/proposal/"
# The wide lists' orders but their default (-created_at), each way.
WIDE_SORTS = [s for order in sorted(ProposalTable.WIDE_ORDERS) for s in (order, f"-{order}") if s != "-created_at"]
SEARCH_WORD = "jembatan"  # about one title in sixteen (benchmarks/vocabulary.py)


class BenchError(Exception):
    """The benchmark cannot run on this database; str(error) says why."""


@dataclass
class Page:
    name: str
    persona: str | None  # None: anonymous
    url: str
    admin: str = ""  # the name of the admin page showing the same list, if any


@dataclass
class Result:
    page: Page
    times: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    main_sql: list[float] = field(default_factory=list)
    main_query: str = ""  # the heaviest query of the last round, as sent
    queries: int = 0
    size: int = 0
    status: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.times) * 1000

    def row(self, admin: Result | None) -> list[str]:
        times = sorted(self.times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        return [
            self.page.name,
            f"{self.p50:.0f}",
            f"{p95 * 1000:.0f}",
            str(self.queries),
            f"{statistics.median(self.sql):.0f}",
            f"{statistics.median(self.main_sql):.1f}" if self.main_sql else "",
            f"{self.p50 / admin.p50:.2f}" if admin else "",
            f"{self.size / 1024:.0f}",
            str(self.status),
        ]


HEADER = ["page", "p50 ms", "p95 ms", "queries", "SQL ms", "main SQL ms", "vs admin", "KB", "status"]


def personas(year: PlanningYear) -> dict[str, User]:
    """One officer per role the pages need, at the regions with the most proposals of the year."""
    proposals = Proposal.objects.filter(planning_year=year)
    largest = {}
    for level, column in (("provinsi", "provinsi"), ("kabupaten", "kabupaten"), ("kecamatan", "kecamatan")):
        top = proposals.values(column).annotate(n=Count("id")).order_by("-n", column).first()
        if top is None:
            raise BenchError(f"RKPD {year.year} holds no proposals: run `manage.py seed_national` first.")
        largest[level] = Region.objects.get(pk=top[column])
    accounts = {
        "admin": (Role.ADMIN, None),
        "provinsi": (Role.BAPPEDA_PROVINSI, largest["provinsi"]),
        "kabupaten": (Role.BAPPEDA_KABUPATEN, largest["kabupaten"]),
        "kecamatan": (Role.KECAMATAN_OPERATOR, largest["kecamatan"]),
    }
    users = {}
    for name, (role, region) in accounts.items():
        # The administrator is a superuser too: the Django admin's list is compared as it would use it.
        user, created = User.objects.update_or_create(
            username=f"bench.{name}",
            defaults={
                "role": role,
                "region": region,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users[name] = user
    return users


def pages(year: PlanningYear, users: dict[str, User]) -> list[Page]:
    kabupaten = users["kabupaten"].region
    proposal = Proposal.objects.filter(planning_year=year, kabupaten=kabupaten).order_by("id").first()
    forum = (
        Forum.objects.filter(planning_year=year, region__code__startswith=kabupaten.code + ".")
        .annotate(n=Count("decisions"))
        .order_by("-n", "id")
        .first()
    )
    # The approved kecamatan forum with the longest agreed list, where the seed approved one.
    approved = (
        Forum.objects.filter(planning_year=year, level=Level.KECAMATAN, status=ForumStatus.APPROVED)
        .annotate(n=Count("decisions", filter=Q(decisions__outcome__in=AGREED)))
        .order_by("-n", "id")
        .select_related("region")
        .first()
    )
    y = f"planning_year={year.pk}"
    admin_kabupaten = f"{ADMIN_LIST}?kabupaten__id__exact={kabupaten.pk}&planning_year__id__exact={year.pk}"
    listed = [
        Page("kabupaten list, filtered", "kabupaten", f"/usulan/?{y}&status=submitted", "admin: kabupaten, filtered"),
        Page("kabupaten list, search", "kabupaten", f"/usulan/?{y}&q={SEARCH_WORD}", "admin: kabupaten, search"),
        Page("national list, no filter", "admin", "/usulan/", "admin: national, no filter"),
        Page("province list", "provinsi", f"/usulan/?{y}"),
        Page("national search", "admin", f"/usulan/?{y}&q={SEARCH_WORD}", "admin: national, search"),
        Page("admin: kabupaten, filtered", "admin", f"{admin_kabupaten}&status__exact=submitted"),
        Page("admin: kabupaten, search", "admin", f"{admin_kabupaten}&q={SEARCH_WORD}"),
        Page("admin: national, no filter", "admin", ADMIN_LIST),
        Page("admin: national, search", "admin", f"{ADMIN_LIST}?planning_year__id__exact={year.pk}&q={SEARCH_WORD}"),
    ]
    # The scale issue's target for a wide list holds in every order it offers, not only the
    # default (newest first): each other one, both ways (ProposalTable.WIDE_ORDERS).
    for name, persona, query in (("national list", "admin", ""), ("province list", "provinsi", f"{y}&")):
        listed += [Page(f"{name}, sort={order}", persona, f"/usulan/?{query}sort={order}") for order in WIDE_SORTS]
    others = [
        Page("public statistics, national", None, f"/statistik/?tahun={year.year}"),
        Page("staff dashboard, national", "admin", f"/dasbor/?tahun={year.year}"),
        Page("forum list, administrator", "admin", f"/musyawarah/?year={year.year}"),
        Page("forum list, province Bappeda", "provinsi", f"/musyawarah/?year={year.year}"),
        Page("forum list, kabupaten Bappeda", "kabupaten", f"/musyawarah/?year={year.year}"),
        Page("forum list, kecamatan operator", "kecamatan", f"/musyawarah/?year={year.year}"),
        Page("largest forum's ranking", "kabupaten", f"/musyawarah/{forum.pk}/peringkat/"),
        Page("tracking page", None, f"/lacak/{proposal.tracking_code}/"),
        Page("public results, kabupaten", None, reverse("public:region", args=[kabupaten.code, year.year])),
    ]
    if approved is not None:
        url = reverse("public:region", args=[approved.region.code, year.year])
        others.append(Page("public results, approved kecamatan", None, url))
    others += [
        Page("kabupaten dashboard", "kabupaten", f"/dasbor/?tahun={year.year}"),
        Page("proposal detail", "kabupaten", f"/usulan/{proposal.pk}/"),
    ]
    return listed + others


def planning_year_to_measure(year: int | None) -> PlanningYear:
    planning_year = (
        PlanningYear.objects.filter(year=year).first()
        if year
        else PlanningYear.objects.annotate(n=Count("proposals")).order_by("-n", "-year").first()
    )
    if planning_year is None:
        raise BenchError("No planning year to measure: run `manage.py seed_national` first.")
    return planning_year


def run(*, year: int | None = None, rounds: int = 7, only: str = "", log=print) -> list[Result]:
    """Measure every page `rounds` times after one warm-up round; returns one Result per page."""
    planning_year = planning_year_to_measure(year)
    # The country's and a province's dashboards read summaries: refresh them first, as the
    # worker would have, so that the pages are timed on current figures (and the refresh too).
    started = time.perf_counter()
    summaries.refresh()
    refreshed_in = time.perf_counter() - started
    users = personas(planning_year)
    results = [Result(page) for page in pages(planning_year, users) if only.lower() in page.name.lower()]
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    clients[None] = Client()
    log(
        f"RKPD {planning_year.year}: {planning_year.proposals.count():,} proposals; {rounds} rounds; "
        f"dashboard summaries refreshed in {refreshed_in:.2f} s"
    )
    for round_number in range(rounds + 1):
        for result in results:
            client = clients[result.page.persona]
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(result.page.url, headers={"accept-language": "id"})
                elapsed = time.perf_counter() - started
            main_query = heaviest(captured.captured_queries)
            main_time = timed(main_query) if main_query else None
            if round_number == 0:  # warm-up
                continue
            result.times.append(elapsed)
            result.sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            if main_time is not None:
                result.main_sql.append(main_time)
                result.main_query = main_query
            result.queries = len(captured.captured_queries)
            result.size = len(response.content)
            result.status = response.status_code
    return results


# The reads every logged-in request makes before the page's own: the session, then the officer.
LOGIN_READS = ('FROM "django_session"', 'FROM "accounts_user" LEFT OUTER JOIN', 'FROM "accounts_user" WHERE')


def heaviest(queries: list[dict]) -> str:
    """The SQL of the slowest of a request's own reads ("" when it ran none)."""
    reads = [
        q
        for q in queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH")) and not any(r in q["sql"] for r in LOGIN_READS)
    ]
    return max(reads, key=lambda q: float(q["time"]))["sql"] if reads else ""


def timed(sql: str) -> float:
    """Milliseconds to run one query and fetch its rows on a raw cursor, with no Django around it."""
    with connection.cursor() as cursor:
        raw = cursor.cursor
        started = time.perf_counter()
        raw.execute(sql)
        raw.fetchall()
        return (time.perf_counter() - started) * 1000


def explain(results: list[Result]) -> str:
    """Each page's main query with its plan, as EXPLAIN (ANALYZE, BUFFERS) gives it."""
    parts = []
    for result in results:
        if not result.main_query:
            continue
        with connection.cursor() as cursor:
            cursor.cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {result.main_query}")
            plan = "\n".join(line for (line,) in cursor.fetchall())
        parts.append(f"## {result.page.name}\n\n{result.main_query}\n\n{plan}\n")
    return "\n".join(parts)


def table(results: list[Result]) -> str:
    """The results as a Markdown table, as the README quotes it."""
    by_name = {r.page.name: r for r in results}
    rows = [HEADER, ["---"] * len(HEADER)] + [r.row(by_name.get(r.page.admin)) for r in results]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)
