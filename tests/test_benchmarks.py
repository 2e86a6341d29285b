"""The national data set (`manage.py seed_national`) and the benchmark (`manage.py bench`), at a
tiny size: the rows are what intake and forums would have written, and every page family is
measured. Speed itself is the benchmark's to show, on 2 million proposals, never a test's."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from benchmarks import bench
from benchmarks.seed import SeedError, seed
from forums.models import Decision, Forum
from planning.models import PlanningYear
from proposals.models import Proposal, ProposalEvent
from proposals.search import search
from regions.models import Agency

pytestmark = pytest.mark.django_db

YEAR = 2031


def quiet(*_args):
    pass


@pytest.fixture
def seeded(ladder):
    return seed(proposals=60, year=YEAR, log=quiet)


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


def test_the_same_seed_gives_the_same_proposals(ladder):
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


def test_the_command_reports_what_it_wrote(ladder):
    out = io.StringIO()
    call_command("seed_national", "--proposals", "25", "--year", str(YEAR), stdout=out)
    summary = r"Seeded RKPD 2031: 25 proposals in \d villages, 50 events, \d forums, 25 decisions"
    assert re.search(summary, out.getvalue())
    assert Decision.objects.count() == 25


def test_the_benchmark_measures_every_page_family_as_its_officer(seeded):
    results = bench.run(year=YEAR, rounds=2, log=quiet)

    assert [r.page.name for r in results] == [
        "kabupaten list, filtered",
        "kabupaten list, search",
        "national list, no filter",
        "province list",
        "national search",
        "public statistics, national",
        "staff dashboard, national",
        "forum list, administrator",
        "forum list, kecamatan operator",
        "largest forum's ranking",
        "tracking page",
        "public results, kabupaten",
        "kabupaten dashboard",
        "proposal detail",
    ]
    assert {r.status for r in results} == {200}
    assert all(len(r.times) == 2 and r.queries > 0 and r.size > 0 for r in results)


def test_the_bench_command_prints_one_table_row_per_page(seeded):
    out = io.StringIO()
    call_command("bench", "--rounds", "1", "--only", "list", stdout=out)
    lines = out.getvalue().splitlines()

    assert lines[1] == "| page | p50 ms | p95 ms | queries | SQL ms | KB | status |"
    names = [line.split(" | ")[0].lstrip("| ") for line in lines[3:]]
    assert names == [
        "kabupaten list, filtered",
        "kabupaten list, search",
        "national list, no filter",
        "province list",
        "forum list, administrator",
        "forum list, kecamatan operator",
    ]
    assert all(line.endswith("| 200 |") for line in lines[3:])


def test_the_benchmark_says_when_there_is_nothing_to_measure(db):
    with pytest.raises(CommandError, match="run `manage.py seed_national` first"):
        call_command("bench", "--rounds", "1", stdout=io.StringIO())
