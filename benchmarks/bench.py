"""`manage.py bench`: every page family the scale issue measured, timed on the current database.

Each page is requested in-process through Django's test client as the officer who would open
it (accounts made once, `bench.*`, bound to the largest regions of the data set), in
interleaved rounds: round 1 requests every page once, then round 2, and so on, so that a
slow moment of the machine falls on every page alike. For each page it prints the median and
95th percentile of the wall time, the queries run and their SQL time (median), and the size
of the HTML. The first round warms caches and is not counted.

A benchmark, not a test: it asserts nothing about speed; tests run it at a tiny size only to
prove that it works.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from forums.models import Forum
from planning.models import PlanningYear
from proposals.models import Proposal
from regions.models import Region


class BenchError(Exception):
    """The benchmark cannot run on this database; str(error) says why."""


@dataclass
class Page:
    name: str
    persona: str | None  # None: anonymous
    url: str


@dataclass
class Result:
    page: Page
    times: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    queries: int = 0
    size: int = 0
    status: int = 0

    def row(self) -> list[str]:
        times = sorted(self.times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        return [
            self.page.name,
            f"{statistics.median(times) * 1000:.0f}",
            f"{p95 * 1000:.0f}",
            str(self.queries),
            f"{statistics.median(self.sql):.0f}",
            f"{self.size / 1024:.0f}",
            str(self.status),
        ]


HEADER = ["page", "p50 ms", "p95 ms", "queries", "SQL ms", "KB", "status"]


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
        user, _created = User.objects.update_or_create(
            username=f"bench.{name}", defaults={"role": role, "region": region, "is_staff": role == Role.ADMIN}
        )
        if _created:
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
    y = f"planning_year={year.pk}"
    return [
        Page("kabupaten list, filtered", "kabupaten", f"/usulan/?{y}&status=submitted"),
        Page("kabupaten list, search", "kabupaten", f"/usulan/?{y}&q=jembatan"),
        Page("national list, no filter", "admin", "/usulan/"),
        Page("province list", "provinsi", f"/usulan/?{y}"),
        Page("national search", "admin", f"/usulan/?{y}&q=jembatan"),
        Page("public statistics, national", None, f"/statistik/?tahun={year.year}"),
        Page("staff dashboard, national", "admin", f"/dasbor/?tahun={year.year}"),
        Page("forum list, administrator", "admin", f"/musyawarah/?year={year.year}"),
        Page("forum list, kecamatan operator", "kecamatan", f"/musyawarah/?year={year.year}"),
        Page("largest forum's ranking", "kabupaten", f"/musyawarah/{forum.pk}/peringkat/"),
        Page("tracking page", None, f"/lacak/{proposal.tracking_code}/"),
        Page("public results, kabupaten", None, reverse("public:region", args=[kabupaten.code, year.year])),
        Page("kabupaten dashboard", "kabupaten", f"/dasbor/?tahun={year.year}"),
        Page("proposal detail", "kabupaten", f"/usulan/{proposal.pk}/"),
    ]


def run(*, year: int | None = None, rounds: int = 7, only: str = "", log=print) -> list[Result]:
    """Measure every page `rounds` times after one warm-up round; returns one Result per page."""
    planning_year = (
        PlanningYear.objects.filter(year=year).first()
        if year
        else PlanningYear.objects.annotate(n=Count("proposals")).order_by("-n", "-year").first()
    )
    if planning_year is None:
        raise BenchError("No planning year to measure: run `manage.py seed_national` first.")
    users = personas(planning_year)
    results = [Result(page) for page in pages(planning_year, users) if only.lower() in page.name.lower()]
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    clients[None] = Client()
    log(f"RKPD {planning_year.year}: {planning_year.proposals.count():,} proposals; {rounds} rounds")
    for round_number in range(rounds + 1):
        for result in results:
            client = clients[result.page.persona]
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(result.page.url, headers={"accept-language": "id"})
                elapsed = time.perf_counter() - started
            if round_number == 0:  # warm-up
                continue
            result.times.append(elapsed)
            result.sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            result.queries = len(captured.captured_queries)
            result.size = len(response.content)
            result.status = response.status_code
    return results


def table(results: list[Result]) -> str:
    """The results as a Markdown table, as the README quotes it."""
    rows = [HEADER, ["---"] * len(HEADER)] + [r.row() for r in results]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)
