"""The officer list's filters and orders are served by indexes (accounts/migrations/0002).

On a small table PostgreSQL would rather scan and sort than use an index, so each page query is
planned with sequential scans and sorts priced out: if no index serves the filter or yields the
order, the plan still scans or sorts, and the test sees it.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(ladder):
    """Three hundred village operators over the ladder's villages, five of them named Sutrisno, and
    fresh statistics, so that the planner knows how few rows a filter keeps."""
    villages = [region for code, region in ladder.items() if code.count(".") == 3]
    names = ["Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko"]
    User.objects.bulk_create(
        User(
            username=f"desa.uji{n:03d}",
            first_name="Sutrisno" if n % 60 == 3 else names[n % len(names)],
            last_name=names[(n // 10) % len(names)] + "wati",
            # One in thirty a kecamatan operator (of the village's kecamatan), as in the field.
            role=Role.KECAMATAN_OPERATOR if n % 30 == 1 else Role.VILLAGE_OPERATOR,
            region=villages[n % len(villages)].parent if n % 30 == 1 else villages[n % len(villages)],
            is_active=n % 50 != 0,
            password="!",
        )
        for n in range(300)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("ANALYZE regions_region")


def page_plan(client, user, query: dict, *, sort: bool = False, bitmap_only: bool = False) -> list[dict]:
    """The plan nodes of the query that fetched the list's rows, with sequential scans and (unless
    allowed) sorts priced out; bitmap_only prices out plain index scans too, so that a table can
    only be read through an index whose condition matches the query's."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/akun/", query).status_code == 200
    [sql] = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "accounts_user"' in q["sql"] and "ORDER BY" in q["sql"] and "LIMIT" in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_sort = {'on' if sort else 'off'}")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"SET LOCAL enable_indexscan = {'off' if bitmap_only else 'on'}")
        cursor.execute(f"SET LOCAL enable_indexonlyscan = {'off' if bitmap_only else 'on'}")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


def index_names(nodes) -> set[str]:
    return {node["Index Name"] for node in nodes if "Index Name" in node}


@pytest.mark.parametrize(
    "query, index",
    [
        ({}, "accounts_user_username_key"),
        ({"urut": "nama"}, "user_name"),
        ({"role": Role.KECAMATAN_OPERATOR, "urut": "pengguna"}, "user_role_username"),
        ({"status": "nonaktif"}, "user_active_username"),
    ],
)
def test_the_national_list_reads_its_rows_in_order_from_an_index(client, officers, admin_user, query, index):
    nodes = page_plan(client, admin_user, query)
    assert [node["Node Type"] for node in nodes if "Sort" in node["Node Type"]] == []
    assert index in index_names(nodes)


def table_scans(nodes) -> list[dict]:
    return [node for node in nodes if node["Node Type"] == "Seq Scan" and node["Relation Name"] == "accounts_user"]


def test_the_national_search_looks_names_and_usernames_up_by_their_trigrams(client, officers, admin_user):
    # A search's few rows may be sorted, but they are found through the trigram indexes: on a
    # table this small a full index scan is cheaper, so only bitmap scans are allowed here.
    nodes = page_plan(client, admin_user, {"q": "trisno"}, sort=True, bitmap_only=True)
    assert {"user_username_trgm", "user_first_name_trgm", "user_last_name_trgm"} <= index_names(nodes)
    assert table_scans(nodes) == []


@pytest.mark.parametrize("query", [{}, {"wilayah": "18.02.01"}, {"q": "trisno"}])
def test_a_bappedas_list_picks_its_areas_accounts_by_the_region_index(client, officers, bappeda_kabupaten, query):
    nodes = page_plan(client, bappeda_kabupaten, query, sort=True, bitmap_only=True)
    # The foreign key's own index or user_region_username: either picks the rows by region.
    assert [name for name in index_names(nodes) if name.startswith(("accounts_user_region_id", "user_region"))]
    assert table_scans(nodes) == []
