"""The national data set (`manage.py seed_national`) and the benchmark (`manage.py bench`), at a
tiny size: the rows are what intake and forums would have written, every page family is
measured beside the Django admin, and the load mode really serves them through gunicorn.
Speed itself is the benchmark's to show, on 2 million proposals, never a test's."""

from __future__ import annotations

import hashlib
import io
import re
import socket
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from benchmarks import bench
from benchmarks.seed import SeedError, seed
from forums import attendance as forum_attendance
from forums import queries as forum_queries
from forums.models import AGREED, Ceiling, Decision, Forum, MinutesDocument
from forums.workflow.minutes import seal
from planning.models import PlanningYear
from proposals.models import Proposal, ProposalEvent, ProposalTally
from proposals.search import search
from regions.models import Agency

pytestmark = pytest.mark.django_db

YEAR = 2031
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def quiet(*_args):
    pass


@pytest.fixture
def queue(settings, tmp_path):
    # The production queue: the seed's render tasks wait in it, as approval leaves them.
    settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def seeded(ladder):
    """Intake only: every proposal waits in its village forum."""
    return seed(proposals=60, year=YEAR, approved_province=None, log=quiet)


@pytest.fixture
def approved(ladder, queue):
    """Lampung's forums approved up to the kecamatan; Bengkulu's still waiting."""
    return seed(proposals=60, year=YEAR, approved_province="18", log=quiet)


def test_the_seed_writes_submitted_proposals_with_their_ancestors_and_tracking_codes(seeded, ladder):
    proposals = list(Proposal.objects.filter(planning_year__year=YEAR).select_related("village__parent__parent"))

    assert len(proposals) == seeded.proposals == 60
    assert {(p.status, p.level) for p in proposals} == {("submitted", 4)}
    for p in proposals:
        assert (p.kecamatan_id, p.kabupaten_id, p.provinsi_id) == (
            p.village.parent_id,
            p.village.parent.parent_id,
            p.village.parent.parent.parent_id,
        )
        assert p.submitted_at > p.created_at
        assert p.current_agency_id == p.target_agency_id
    codes = [p.tracking_code for p in proposals]
    assert len(set(codes)) == 60
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code) for code in codes)
    # Every village of the ladder got some: the five of them hold all sixty.
    assert sum(Counter(p.village.code for p in proposals).values()) == 60
    assert seeded.villages == len({p.village_id for p in proposals})


def test_each_seeded_proposal_waits_in_its_village_forum_with_its_history(seeded):
    forums = {f.region_id: f for f in Forum.objects.filter(planning_year__year=YEAR)}
    assert len(forums) == seeded.forums == seeded.villages
    assert {(f.level, f.kind, f.status) for f in forums.values()} == {(4, "musrenbang", "preparing")}
    for p in Proposal.objects.filter(planning_year__year=YEAR):
        events = list(p.events.order_by("at").values_list("action", "from_status", "to_status", "forum_id"))
        assert events == [
            ("created", "draft", "draft", None),
            ("submitted", "draft", "submitted", forums[p.village_id].pk),
        ]
        [decision] = p.decisions.all()
        assert (decision.forum_id, decision.outcome, decision.incoming_cost) == (
            forums[p.village_id].pk,
            "",
            p.estimated_cost,
        )
    assert ProposalEvent.objects.filter(proposal__planning_year__year=YEAR).count() == seeded.events == 120
    # Ranks run 1..n in each forum, in the order the items arrived.
    for forum in forums.values():
        rows = list(forum.decisions.order_by("rank").values_list("rank", "proposal__submitted_at"))
        assert [rank for rank, _at in rows] == list(range(1, len(rows) + 1))
        assert [at for _rank, at in rows] == sorted(at for _rank, at in rows)


def test_seeded_agencies_are_the_kabupatens_own_and_carry_the_items_sector(seeded):
    proposals = list(Proposal.objects.filter(planning_year__year=YEAR).select_related("target_agency", "sector"))
    for p in proposals:
        assert p.target_agency.region_id == p.kabupaten_id
        assert p.target_agency.code.startswith(p.sector.code + ".")
    # One PUPR in each kabupaten with proposals, none elsewhere.
    assert Agency.objects.filter(code="1.03.01").count() == len({p.kabupaten_id for p in proposals})


def test_seeded_text_is_found_by_the_apps_search(seeded):
    proposals = Proposal.objects.filter(planning_year__year=YEAR)
    # A word that starts with "jalan", as the search reads it ("berjalan" is not one).
    roads = [p.pk for p in proposals if re.search(r"\bjalan", f"{p.title} {p.problem} {p.proposed_work}".lower())]

    assert roads  # sixty items always hold a road
    assert sorted(search(proposals, "jalan").values_list("pk", flat=True)) == sorted(roads)


def test_the_same_seed_gives_the_same_proposals(ladder, queue):
    seed(proposals=40, year=YEAR, log=quiet)
    seed(proposals=40, year=YEAR + 1, log=quiet)

    def rows(year):
        return list(
            Proposal.objects.filter(planning_year__year=year)
            .order_by("village__code", "submitted_at")
            .values_list("village__code", "title", "estimated_cost", "volume")
        )

    assert rows(YEAR) == rows(YEAR + 1)


def test_a_year_that_already_holds_proposals_is_refused_and_nothing_is_added(seeded):
    with pytest.raises(SeedError, match=f"RKPD {YEAR} already holds proposals"):
        seed(proposals=10, year=YEAR, log=quiet)
    assert Proposal.objects.count() == 60


def test_the_command_says_when_there_are_no_regions(db):
    with pytest.raises(CommandError, match="run `manage.py import_regions` first"):
        call_command("seed_national", "--proposals", "5", stdout=io.StringIO())
    assert PlanningYear.objects.filter(proposals__isnull=False).count() == 0


def test_the_command_reports_what_it_wrote(ladder, queue):
    out = io.StringIO()
    call_command("seed_national", "--proposals", "25", "--year", str(YEAR), stdout=out)
    summary = r"Seeded RKPD 2031: 25 proposals in \d villages, 50 events, \d forums, 25 decisions, (\d) forums approved"
    approved = re.search(summary, out.getvalue())
    assert approved
    assert Decision.objects.filter(forum__level=4).count() == 25
    # By default the smallest province's forums are approved: Bengkulu's, one village (and its
    # kecamatan, if the village agreed on anything).
    forums = Forum.objects.filter(status="approved").values_list("region__code", flat=True)
    assert int(approved.group(1)) == len(forums) > 0
    assert set(forums) <= {"17.01.01", "17.01.01.2001"}


def test_the_command_can_leave_every_forum_open(ladder):
    call_command("seed_national", "--proposals", "25", "--approved-province", "none", stdout=io.StringIO())
    assert Forum.objects.exclude(status="preparing").count() == 0
    assert MinutesDocument.objects.count() == 0


def test_a_province_without_seeded_villages_cannot_be_approved(ladder):
    with pytest.raises(SeedError, match="Province 19 holds no seeded village"):
        seed(proposals=10, year=YEAR, approved_province="19", log=quiet)
    assert Proposal.objects.count() == 0


# --- one province's forums approved -------------------------------------------------------------

# The events an item of the approved province has, by where it ended.
CLIMBS = {
    ("village_budget", 4): ["created", "submitted", "decided", "closed"],
    ("rejected", 4): ["created", "submitted", "decided", "closed"],
    ("rejected", 3): ["created", "submitted", "decided", "forwarded", "decided", "closed"],
    ("submitted", 2): ["created", "submitted", "decided", "forwarded", "decided", "forwarded"],
}


def test_the_approved_province_climbs_to_the_kabupaten_forums_and_no_other_moves(approved):
    proposals = Proposal.objects.filter(planning_year__year=YEAR).prefetch_related("events", "decisions__forum")
    ends = Counter()
    for p in proposals:
        actions = [e.action for e in sorted(p.events.all(), key=lambda e: (e.at, e.pk))]
        if p.provinsi.code == "17":
            assert ((p.status, p.level), actions) == (("submitted", 4), ["created", "submitted"])
            continue
        ends[p.status, p.level] += 1
        assert actions == CLIMBS[p.status, p.level]
        decisions = sorted(p.decisions.all(), key=lambda d: d.pk)
        assert [(d.forum.level, d.forum.kind) for d in decisions] == [
            (4, "musrenbang"),
            (3, "musrenbang"),
            (2, "agency"),
        ][: {4: 1, 3: 2, 2: 3}[p.level]]
        # Every forum but the last one it reached has decided; the last one is the one it waits in.
        assert [d.outcome for d in decisions[:-1]] == ["accepted"] * (len(decisions) - 1)
        assert (decisions[-1].outcome != "") == (p.status != "submitted")
        assert {(d.incoming_volume, d.incoming_cost) for d in decisions} == {(p.volume, p.estimated_cost)}
        if p.level == 2:
            assert decisions[-1].forum.agency_id == p.current_agency_id
    # Sixty items over four villages of Lampung: every way out is taken.
    assert set(ends) == set(CLIMBS)


def test_every_forum_the_seed_copies_in_carries_its_regions_code(approved):
    """The seed writes forums by COPY, past Forum.save(): each still carries its region's code and
    its province's, which the forum board's order and every officer's scope read."""
    forums = Forum.objects.filter(planning_year__year=YEAR).select_related("region")
    assert {f.level for f in forums} == {2, 3, 4}
    assert [f for f in forums if (f.region_code, f.province_code) != (f.region.code, f.region.code[:2])] == []


def test_the_proposals_tally_follows_the_seeds_copies_and_updates(approved):
    """The seed COPYs proposals in and moves the approved province's statuses with one UPDATE:
    the database's triggers keep the list's tally (proposals/tally.py) equal to the rows."""
    key = ("planning_year_id", "village_id", "kecamatan_id", "status", "channel")
    rows = Proposal.objects.order_by().values(*key).annotate(n=Count("id"))
    tally = ProposalTally.objects.filter(n__gt=0).values(*key, "n")
    assert {tuple(r.values()) for r in tally} == {tuple(r.values()) for r in rows}
    assert {r["status"] for r in rows} > {"submitted"}  # statuses moved, not only written


def test_the_approved_forums_hold_what_approval_asks_and_agree_within_the_ceiling(approved):
    forums = Forum.objects.filter(planning_year__year=YEAR, status="approved").select_related("region")
    assert sorted(f.region.code for f in forums) == [
        "18.01.01", "18.01.01.2001", "18.02.01", "18.02.01.2001", "18.02.01.2003", "18.02.02", "18.02.02.2001",
    ]  # fmt: skip
    for forum in forums:
        delegates = list(forum.delegates.all())
        assert len(delegates) == 3 and "P" in {d.gender for d in delegates}
        assert forum.held_on and forum.place and forum.chair_name and forum.approved_by.region_id == forum.region_id
        assert forum.attendees.count() == 6
        assert forum_attendance.problems(forum) == []  # the attendance rule approval checks
        assert forum.decisions.filter(outcome="").count() == 0
        assert forum.approved_at > max(forum.decisions.values_list("decided_at", flat=True))
        result = forum_queries.ranking(forum)
        assert result.fits
        if forum.level == 3:
            assert result.ceiling.amount >= result.agreed_total > 0
            # The cut is strict: once an item is not agreed, none after it is.
            outcomes = [row.decision.outcome in AGREED for row in result.rows]
            assert outcomes == sorted(outcomes, reverse=True)
    assert Ceiling.objects.count() == 3
    # The kabupaten/kota forums wait for their items, with nothing open below them.
    waiting = Forum.objects.filter(planning_year__year=YEAR, level=2)
    assert {(f.kind, f.status) for f in waiting} == {("agency", "preparing")}
    for forum in waiting:
        assert list(forum_queries.feeding_forums_open(forum)) == []
        assert [d.rank for d in forum.decisions.order_by("rank")] == list(range(1, forum.decisions.count() + 1))


def test_each_approved_forum_has_its_berita_acara_numbered_and_queued_for_the_worker(approved):
    documents = list(MinutesDocument.objects.select_related("forum__region").order_by("forum__region__code"))

    assert len(documents) == approved.approved == 7
    assert {d.forum.status for d in documents} == {"approved"}
    for document in documents:
        unit = document.forum.region.code.replace(".", "")
        assert document.number == f"050/001/{unit}/{YEAR - 1}"
        assert (document.issued_at, document.issued_by_id) == (
            document.forum.approved_at,
            document.forum.approved_by_id,
        )
        assert (document.rendered_at, document.sha256, document.pdf.name) == (None, None, "")
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{10}", document.verify_code)
    assert len({d.verify_code for d in documents}) == 7
    tasks = DBTaskResult.objects.all()
    assert sorted((t.task_path, t.args_kwargs["args"][0], t.status) for t in tasks) == sorted(
        ("forums.workflow.minutes.render_document", d.pk, "READY") for d in documents
    )


def test_a_seeded_berita_acara_is_sealed_by_the_workers_own_code(approved, queue):
    document = MinutesDocument.objects.get(forum__region__code="18.02.01", forum__level=3)

    digest = seal(document.pk)

    document.refresh_from_db()
    stored = Path(queue.MEDIA_ROOT, document.pdf.name).read_bytes()
    assert document.sha256 == digest == hashlib.sha256(stored).hexdigest()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(stored)).pages)
    assert document.number in text
    assert "MUSRENBANG KECAMATAN" in text and "KALIREJO" in text


# --- the benchmark --------------------------------------------------------------------------------

PAGES = [
    "kabupaten list, filtered",
    "kabupaten list, search",
    "national list, no filter",
    "province list",
    "national search",
    "admin: kabupaten, filtered",
    "admin: kabupaten, search",
    "admin: national, no filter",
    "admin: national, search",
    *(
        f"{scope}, sort={order}"
        for scope in ("national list", "province list")
        # Every order a wide list offers but its default (-created_at), each way.
        for order in ("created_at", "estimated_cost", "-estimated_cost", "tracking_code", "-tracking_code")
    ),
    "public statistics, national",
    "staff dashboard, national",
    "forum list, administrator",
    "forum list, province Bappeda",
    "forum list, kabupaten Bappeda",
    "forum list, kecamatan operator",
    "largest forum's ranking",
    "tracking page",
    "public results, kabupaten",
    "public results, approved kecamatan",
    "kabupaten dashboard",
    "proposal detail",
]


def test_the_benchmark_measures_every_page_family_as_its_officer_and_the_admin_beside_it(approved):
    results = bench.run(year=YEAR, rounds=2, log=quiet)

    assert [r.page.name for r in results] == PAGES
    assert {r.status for r in results} == {200}
    assert all(len(r.times) == 2 and r.queries > 0 and r.size > 0 for r in results)
    # Each page's heaviest read, run again alone: a SELECT, timed twice.
    assert all(r.main_query.startswith("SELECT") and len(r.main_sql) == 2 for r in results)
    by_name = {r.page.name: r for r in results}
    # Which read is heaviest on 60 proposals is noise (the sector list's can win); that the
    # admin's search reads the proposals through icontains (UPPER, for the trigram index) is not.
    search = by_name["admin: kabupaten, search"]
    client = Client()
    client.force_login(bench.personas(PlanningYear.objects.get(year=YEAR))[search.page.persona])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(search.page.url).status_code == 200
    assert any('"proposals_proposal"' in q["sql"] and "UPPER(" in q["sql"] for q in captured.captured_queries)
    admin = by_name["admin: kabupaten, filtered"]
    page = by_name["kabupaten list, filtered"]
    assert page.row(admin)[6] == f"{page.p50 / admin.p50:.2f}"


def test_the_admin_list_shows_the_same_kabupatens_proposals_read_only(approved, client, admin_user):
    client.force_login(admin_user)
    kabupaten = Proposal.objects.filter(kabupaten__code="18.02").first().kabupaten
    response = client.get(f"/admin/proposals/proposal/?kabupaten__id__exact={kabupaten.pk}&q=jalan")

    shown = response.context["cl"].result_list
    expected = Proposal.objects.filter(kabupaten=kabupaten, title__icontains="jalan").order_by("-created_at", "-id")
    assert [p.pk for p in shown] == [p.pk for p in expected[:25]]
    assert response.context["cl"].full_result_count is None  # no second COUNT of the whole table
    assert client.get(f"/admin/proposals/proposal/{shown[0].pk}/change/").context["has_change_permission"] is False
    assert client.get("/admin/proposals/proposal/add/").status_code == 403


def test_the_bench_command_prints_one_table_row_per_page_with_the_ratio_to_the_admin(approved):
    out = io.StringIO()
    call_command("bench", "--rounds", "1", "--only", "kabupaten", stdout=out)
    lines = out.getvalue().splitlines()

    assert lines[1] == "| page | p50 ms | p95 ms | queries | SQL ms | main SQL ms | vs admin | KB | status |"
    rows = {line.split(" | ")[0].lstrip("| "): line.strip("| ").split(" | ") for line in lines[3:]}
    assert list(rows) == [
        "kabupaten list, filtered",
        "kabupaten list, search",
        "admin: kabupaten, filtered",
        "admin: kabupaten, search",
        "forum list, kabupaten Bappeda",
        "public results, kabupaten",
        "kabupaten dashboard",
    ]
    assert all(row[-1] == "200" and float(row[5]) >= 0 for row in rows.values())
    for name, admin in (
        ("kabupaten list, filtered", "admin: kabupaten, filtered"),
        ("kabupaten list, search", "admin: kabupaten, search"),
    ):
        # The ratio is of the unrounded p50s; the table prints them rounded to a millisecond.
        page, stock = float(rows[name][1]), float(rows[admin][1])
        low, high = (page - 0.5) / (stock + 0.5), (page + 0.5) / max(stock - 0.5, 0.01)
        assert low - 0.01 <= float(rows[name][6]) <= high + 0.01
    assert rows["kabupaten dashboard"][6] == ""  # no admin page shows it


def test_the_bench_command_explains_each_main_query(approved):
    out = io.StringIO()
    call_command("bench", "--rounds", "1", "--only", "tracking", "--explain", stdout=out)
    text = out.getvalue()

    assert "## tracking page" in text
    assert re.search(r"Execution Time: [\d.]+ ms", text)


def test_the_benchmark_says_when_there_is_nothing_to_measure(db):
    with pytest.raises(CommandError, match="run `manage.py seed_national` first"):
        call_command("bench", "--rounds", "1", stdout=io.StringIO())


@pytest.mark.parametrize(
    "arguments", [["--seconds", "0"], ["--concurrency", "0"], ["--workers", "0"], ["--search-share", "1.5"]]
)
def test_the_load_mode_refuses_arguments_it_cannot_run(db, arguments):
    with pytest.raises(CommandError, match="--seconds must be above 0"):
        call_command("bench", "--load", *arguments, stdout=io.StringIO())


# --- the load mode: gunicorn, for real ------------------------------------------------------------


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="gunicorn serves the test database from a process of its own",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_load_mode_serves_the_mix_through_gunicorn_and_counts_every_answer(ladder, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # its collected static files go there
    settings.TASKS = DATABASE_QUEUE
    seed(proposals=60, year=YEAR, approved_province="18", log=quiet)
    out = io.StringIO()

    call_command(
        "bench", "--load", "--seconds", "3", "--concurrency", "2", "--workers", "2", "--warmup", "1",
        "--search-share", "0.5", stdout=out,
    )  # fmt: skip

    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"gunicorn on 127\.0\.0\.1:\d+, 2 workers; 2 clients for 3 s", lines[0])
    assert lines[1] == "| request | requests | req/s | p50 ms | p95 ms | p99 ms | errors |"
    rows = {line.split(" | ")[0].lstrip("| "): line.strip("| ").split(" | ") for line in lines[3:10]}
    assert list(rows) == [
        "kabupaten list",
        "kabupaten search",
        "tracking page",
        "kabupaten dashboard",
        "public statistics",
        "national dashboard",
        "all",
    ]
    assert {name: row[-1] for name, row in rows.items()} == dict.fromkeys(rows, "0")  # no errors at all
    total = int(rows["all"][1])
    assert total == sum(int(row[1]) for name, row in rows.items() if name != "all") > 0
    assert int(rows["kabupaten list"][1]) > 0 and int(rows["tracking page"][1]) > 0
    assert float(rows["all"][2]) > 0 and float(rows["all"][3]) > 0
    assert re.fullmatch(
        r"2 gunicorn workers, 2 clients, 3\.\d s, 50% of the lists searching; the clients took [\d.]+ s of CPU\.",
        lines[11],
    )
    assert lines[12:] == []  # no errors to list
    assert (tmp_path / "bench-static" / "staticfiles.json").exists()
    # And gunicorn is gone.
    port = int(re.search(r":(\d+),", lines[0]).group(1))
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
