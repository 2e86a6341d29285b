"""The lists' page queries are served in their order by an index, at every scope.

On a small data set PostgreSQL would rather sort than walk an index, so each query is planned
with sorting priced out (enable_sort = off): if no index yields the order, the plan must still
sort, and the test sees a Sort node over the table. The national figures that follow from these
plans are the benchmark's (manage.py bench), not a test's.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.seed import seed
from proposals.models import Proposal

pytestmark = pytest.mark.django_db

YEAR = 2031


@pytest.fixture
def seeded(ladder):
    return seed(proposals=200, year=YEAR, approved_province=None, log=lambda *_: None)


def page_query(client, user, url: str, table: str) -> str:
    """The SQL of the query that fetched the page's rows of `table` (the one with a LIMIT)."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    [sql] = [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"] and "LIMIT" in q["sql"]]
    return sql


def plan_nodes(sql: str, *, incremental: bool = False) -> list[dict]:
    """The plan's nodes with a full sort priced out (and an incremental one, unless allowed)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"SET LOCAL enable_incremental_sort = {'on' if incremental else 'off'}")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


@pytest.mark.parametrize(
    ("persona", "index"),
    [
        ("admin_user", "proposal_newest"),
        ("bappeda_provinsi", "proposal_prov_newest"),
        ("bappeda_kabupaten", "proposal_kab_newest"),
        ("kecamatan_operator", "proposal_kec_newest"),
    ],
)
def test_the_proposal_list_reads_its_newest_rows_from_an_index_without_sorting(client, seeded, persona, index, request):
    sql = page_query(client, request.getfixturevalue(persona), "/usulan/", "proposals_proposal")
    nodes = plan_nodes(sql)

    assert [n["Node Type"] for n in nodes if "Sort" in n["Node Type"]] == []
    # The scope's own index, or on a data set this small the national one walked with a filter.
    assert {index, "proposal_newest"} & {n.get("Index Name") for n in nodes}


@pytest.mark.parametrize("sort", ["-estimated_cost", "estimated_cost", "-created_at", "tracking_code"])
@pytest.mark.parametrize(
    ("persona", "index"), [("admin_user", "proposal_costliest"), ("bappeda_provinsi", "proposal_prov_costliest")]
)
def test_every_order_a_wide_list_offers_is_read_from_an_index(client, seeded, persona, index, sort, request):
    sql = page_query(client, request.getfixturevalue(persona), f"/usulan/?sort={sort}", "proposals_proposal")
    nodes = plan_nodes(sql)

    assert [n["Node Type"] for n in nodes if "Sort" in n["Node Type"]] == []
    if "estimated_cost" in sort:
        assert {index, "proposal_costliest"} & {n.get("Index Name") for n in nodes}


@pytest.mark.parametrize(
    ("region", "index"),
    [(None, "proposal_newest"), ("kabupaten", "proposal_kab_newest"), ("provinsi", "proposal_prov_newest")],
)
def test_the_admin_list_reads_its_newest_rows_from_an_index_without_sorting(client, seeded, admin_user, region, index):
    # The tuned Django admin that `manage.py bench` compares the app's list with (proposals/admin.py).
    where = ""
    if region:
        pk = Proposal.objects.filter(planning_year__year=YEAR).values_list(f"{region}_id", flat=True).first()
        where = f"?{region}__id__exact={pk}"
    sql = page_query(client, admin_user, f"/admin/proposals/proposal/{where}", "proposals_proposal")
    nodes = plan_nodes(sql)

    assert [n["Node Type"] for n in nodes if "Sort" in n["Node Type"]] == []
    # The region's own index, or on a data set this small the national one walked with a filter.
    assert {index, "proposal_newest"} & {n.get("Index Name") for n in nodes}


def test_the_national_search_walks_the_newest_first_index_too(client, seeded, admin_user):
    sql = page_query(client, admin_user, "/usulan/?q=jalan", "proposals_proposal")
    assert [n["Node Type"] for n in plan_nodes(sql) if "Sort" in n["Node Type"]] == []


@pytest.mark.parametrize(
    ("persona", "index"),
    [
        ("admin_user", "forum_ladder"),
        ("bappeda_provinsi", "forum_province_ladder"),
        ("bappeda_kabupaten", "forum_province_ladder"),
    ],
)
def test_the_forum_board_reads_forums_in_ladder_order_and_stops_at_a_page(request, client, seeded, persona, index):
    user = request.getfixturevalue(persona)
    sql = page_query(client, user, f"/musyawarah/?year={YEAR}", "forums_forum")
    # The forums' own index gives the ladder order, within the officer's province for anyone but
    # the administrator; only the few forums of one region (kind, agency) are sorted among
    # themselves, as they come: an incremental sort, never a sort of every forum.
    nodes = plan_nodes(sql, incremental=True)

    assert index in {n.get("Index Name") for n in nodes}
    assert [n["Node Type"] for n in nodes if "Sort" in n["Node Type"]] in ([], ["Incremental Sort"])
    assert '"regions_region"' not in sql.split(" WHERE ", 1)[1]  # the scope and the order read forums alone


def test_the_forum_board_counts_items_for_the_shown_forums_only(client, seeded, admin_user):
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/musyawarah/?year={YEAR}")
    grouped = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]

    # One grouped query, over the decisions of the page's forums (an IN list), never every forum,
    # and over the decisions alone: the default order's joins (forum, year, region, agency) for
    # each of the page's items were 16 of its 18 ms at 2 M proposals.
    assert len(grouped) == 1
    assert '"forums_decision"."forum_id" IN (' in grouped[0]
    assert "JOIN" not in grouped[0]


def test_a_proposal_and_a_page_of_them_are_read_without_joining_their_regions(client, seeded, bappeda_kabupaten):
    """PostgreSQL takes longer to plan a query that joins the region table twice or more than to
    run it: the list's page (its region names as subqueries), a proposal's page and its public
    tracking page (their regions by id, regions/models.py attach) read the proposals with no
    region joined, and still name the village and kecamatan."""
    newest = (
        Proposal.objects.visible_to(bappeda_kabupaten)
        .select_related("village", "kecamatan")
        .order_by("-created_at", "-id")
        .first()
    )
    client.force_login(bappeda_kabupaten)
    for url in ["/usulan/", newest.get_absolute_url(), f"/lacak/{newest.tracking_code}/"]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "proposals_proposal"')]
        assert reads, url
        assert not [sql for sql in reads if 'JOIN "regions_region"' in sql], url
        text = response.content.decode()
        assert newest.village.name in text and newest.kecamatan.name in text, url


def test_the_lists_region_names_are_read_for_the_page_rows_only(client, seeded, bappeda_kabupaten):
    """A page sorted by title sorts the whole kabupaten; the village and kecamatan names, each a
    subquery by id (proposals/queries.py, for_list), are read after the sort, for the 25 rows it
    keeps, not for every row it sorted."""
    sql = page_query(client, bappeda_kabupaten, "/usulan/?sort=title", "proposals_proposal")
    assert sql.count('FROM "regions_region"') == 2
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def below(node):
        for child in node.get("Plans", []):
            yield child
            yield from below(child)

    [sort] = [node for node in [plan[0]["Plan"], *below(plan[0]["Plan"])] if node["Node Type"] == "Sort"]
    subplans = [node for node in below(plan[0]["Plan"]) if node.get("Parent Relationship") == "SubPlan"]
    assert len(subplans) == 2
    assert not [node for node in below(sort) if node.get("Parent Relationship") == "SubPlan"]


def test_the_public_results_count_approved_forums_by_region_without_joining_their_year_or_agency(client, seeded):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/hasil/?tahun={YEAR}").status_code == 200
    [grouped] = [
        q["sql"] for q in captured.captured_queries if 'FROM "forums_forum"' in q["sql"] and "GROUP BY" in q["sql"]
    ]

    # The region's code is what it groups by; the forums' default order would have added a join
    # to the planning year and a LEFT JOIN to the agency for every approved forum of the country.
    assert 'JOIN "regions_region"' in grouped
    assert "planning_planningyear" not in grouped and "regions_agency" not in grouped
