"""Long forums are paged, 100 items a page: the forum page, the ranking and the approval page.
Totals, positions and the cut line stay those of the whole list; a moved item is shown on the
page where it now stands."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import workflow as forums_workflow
from forums.models import Forum, ForumStatus
from regions.models import Level

from .test_forum_pages import messages_of, prepare, submit

ITEMS = 105


@pytest.fixture
def forum(village_operator, intake, pupr):
    for n in range(ITEMS):
        submit(village_operator, f"Usulan nomor {n + 1:03d}", 1_000_000 + n, target_agency=pupr)
    return Forum.objects.get(level=Level.DESA, region=village_operator.region)


@pytest.fixture
def english(client, village_operator):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(village_operator)
    return client


def ranks(response) -> list[int]:
    return [
        int(n)
        for n in re.findall(
            # The forum page's rows start with the tick box of the bulk decision.
            r'<tr id="item-\d+"[^>]*>\s*(?:<td class="pick">.*?</td>\s*)?<td class="num">(\d+)</td>',
            response.content.decode(),
        )
    ]


@pytest.mark.parametrize("page", ["", "peringkat/"])
def test_a_long_forum_shows_100_items_a_page_with_positions_of_the_whole_list(english, forum, page):
    first = english.get(f"/musyawarah/{forum.pk}/{page}")
    second = english.get(f"/musyawarah/{forum.pk}/{page}?page=2")

    assert ranks(first) == list(range(1, 101))
    assert ranks(second) == list(range(101, ITEMS + 1))
    assert "items 101–105 of 105" in second.content.decode()
    assert 'href="?page=2' in first.content.decode() and 'rel="next"' in first.content.decode()
    # Out of range or not a number: the last page, or the first; never an error.
    assert ranks(english.get(f"/musyawarah/{forum.pk}/{page}?page=99")) == ranks(second)
    assert ranks(english.get(f"/musyawarah/{forum.pk}/{page}?page=dua")) == ranks(first)


@pytest.mark.parametrize("page", ["", "peringkat/"])
def test_a_forum_counts_every_item_but_reads_only_its_pages_items_whole(english, forum, page):
    # Totals, counts and the cut line come from the items' ids, outcomes and costs; the rows of
    # the page shown are the only ones read as whole decisions with their proposals (the ranking
    # of a 642-item forum: 58 -> 33 ms for its last page).
    with CaptureQueriesContext(connection) as captured:
        second = english.get(f"/musyawarah/{forum.pk}/{page}?page=2")
    decisions = [q["sql"] for q in captured.captured_queries if 'FROM "forums_decision"' in q["sql"]]
    whole = [sql for sql in decisions if '"proposals_proposal"."title"' in sql]

    assert ranks(second) == list(range(101, ITEMS + 1))
    assert len(whole) == 1
    shown = re.search(r'"forums_decision"\."id" IN \(([^)]*)\)', whole[0]).group(1).split(", ")
    assert sorted(int(pk) for pk in shown) == sorted(forum.decisions.filter(rank__gt=100).values_list("pk", flat=True))
    assert f"items 101–105 of {ITEMS}" in second.content.decode()


def test_the_ranking_keeps_its_move_buttons_across_page_edges(english, forum):
    page = english.get(f"/musyawarah/{forum.pk}/peringkat/").content.decode()
    last_on_page = forum.decisions.get(rank=100)

    # The 100th item can still go down (onto page 2); the first cannot go up.
    row = page[page.index(f'id="item-{last_on_page.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'value="up"' in row and 'value="down"' in row
    first_row = page[page.index('<tr id="item-') :]
    first_row = first_row[: first_row.index("</tr>")]
    assert 'value="up"' not in first_row and 'value="down"' in first_row

    response = english.post(f"/musyawarah/{forum.pk}/peringkat/{last_on_page.pk}/geser/", {"direction": "down"})

    last_on_page.refresh_from_db()
    assert last_on_page.rank == 101
    assert response["Location"] == f"/musyawarah/{forum.pk}/peringkat/?page=2#item-{last_on_page.pk}"
    assert ranks(english.get(response["Location"]))[0] == 101
    assert messages_of(response) == []


def test_the_approval_page_pages_the_agreed_items_and_the_rest_apart(english, forum, village_operator):
    from forums import workflow

    for decision in forum.decisions.order_by("rank")[:103]:
        workflow.decide(actor=village_operator, decision=decision, outcome="accepted")
    for decision in forum.decisions.filter(outcome=""):
        workflow.decide(actor=village_operator, decision=decision, outcome="rejected", reason="Bukan kewenangan desa")

    page = english.get(f"/musyawarah/{forum.pk}/setujui/?page=2").content.decode()

    agreed = re.findall(r'<td class="num">(\d+)</td>\s*<td>Usulan nomor', page)
    assert agreed == ["101", "102", "103"]
    assert page.count("Bukan kewenangan desa") == 2
    assert "items 101–103 of 103" in page
    assert Forum.objects.get(pk=forum.pk).status != ForumStatus.APPROVED


def test_the_public_results_page_each_forums_agreed_items(client, forum, village_operator):
    prepare(forum, village_operator)
    forums_workflow.approve_forum(actor=village_operator, forum=forum)
    address = f"/hasil/{forum.region.code}/{forum.planning_year.year}/"

    first = client.get(address).content.decode()
    with CaptureQueriesContext(connection) as captured:
        second = client.get(f"{address}?hal1=2").content.decode()

    def positions(page):
        return [
            int(n)
            for n in re.findall(r'<td class="num">(\d+)</td>\s*<td>(?:<a href="/lacak/[^"]+/">)?Usulan nomor', page)
        ]

    assert positions(first) == list(range(1, 101))
    assert positions(second) == list(range(101, ITEMS + 1))
    # Positions and the total come from every item's id, outcome and cost; only the page's five
    # items are read whole with their proposals (a forum of 313 agreed items: 54 -> 32 ms).
    [whole] = [q["sql"] for q in captured.captured_queries if '"proposals_proposal"."title"' in q["sql"]]
    shown = re.search(r'"forums_decision"\."id" IN \(([^)]*)\)', whole).group(1).split(", ")
    assert sorted(int(pk) for pk in shown) == sorted(forum.decisions.filter(rank__gt=100).values_list("pk", flat=True))
    assert 'href="?hal1=2"' in first
    # The total is the forum's, not the page's.
    assert "Jumlah, 105 usulan" in first
