"""A forum of hundreds of items without a page per item (forums/views/items.py, forums/workflow/bulk.py):
one decision for many items, the scoring grid, and moving an item straight to its place.

Kecamatan Kalirejo's forum holds the villages' items; its operator works through them as the
forum agrees in the room.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import workflow as forums_workflow
from forums.models import Ceiling, Decision, Forum, Outcome, Score
from forums.queries import criteria_for
from planning.models import PlanningYear
from proposals.models import EventAction, ProposalEvent, Status
from regions.models import Level

from .factories import ProposalFactory

MILLION = 1_000_000
CRITERIA = [("Urgensi", 40), ("Jumlah penerima manfaat", 35), ("Kesiapan", 25)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def planning_year(db):
    return PlanningYear.objects.get_or_create(year=datetime.date.today().year + 1)[0]


@pytest.fixture
def forum_of(ladder, pupr, planning_year, village_operator):
    """forum_of(n) -> Kecamatan Kalirejo's forum holding n items "Usulan 1".."Usulan n", 10 million each."""

    def build(count: int) -> Forum:
        forum = Forum.objects.create(planning_year=planning_year, level=Level.KECAMATAN, region=ladder["18.02.01"])
        for rank in range(1, count + 1):
            proposal = ProposalFactory(
                submitted=True,
                village=ladder["18.02.01.2003"],
                level=Level.KECAMATAN,
                title=f"Usulan {rank}",
                estimated_cost=10 * MILLION,
                target_agency=pupr,
                current_agency=pupr,
                created_by=village_operator,
            )
            Decision.objects.create(forum=forum, proposal=proposal, rank=rank)
        return forum

    return build


@pytest.fixture
def criteria(bappeda_kabupaten, planning_year):
    return forums_workflow.set_criteria(actor=bappeda_kabupaten, planning_year=planning_year, criteria=CRITERIA)


def outcomes(forum) -> dict[str, tuple[str, str]]:
    return {
        title: (outcome, reason)
        for title, outcome, reason in forum.decisions.order_by("rank").values_list(
            "proposal__title", "outcome", "reason"
        )
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def squashed(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def ids(forum, *titles) -> list[str]:
    return [str(forum.decisions.get(proposal__title=t).pk) for t in titles]


def bulk(client, forum, **data):
    return client.post(f"/musyawarah/{forum.pk}/putuskan/", {f"bulk-{k}": v for k, v in data.items()})


# --- one decision for many items -------------------------------------------------------------------


def test_the_ticked_items_get_one_decision_and_reason_each_with_its_own_event(english, forum_of, kecamatan_operator):
    forum = forum_of(5)
    english.force_login(kecamatan_operator)
    response = bulk(
        english,
        forum,
        scope="selected",
        items=ids(forum, "Usulan 2", "Usulan 4"),
        outcome=Outcome.REJECTED,
        reason="Sudah dibangun tahun lalu",
    )
    assert response.status_code == 302
    assert outcomes(forum) == {
        "Usulan 1": ("", ""),
        "Usulan 2": (Outcome.REJECTED, "Sudah dibangun tahun lalu"),
        "Usulan 3": ("", ""),
        "Usulan 4": (Outcome.REJECTED, "Sudah dibangun tahun lalu"),
        "Usulan 5": ("", ""),
    }
    events = ProposalEvent.objects.filter(action=EventAction.DECIDED).order_by("proposal__title")
    assert [(e.proposal.title, e.actor) for e in events] == [
        ("Usulan 2", kecamatan_operator),
        ("Usulan 4", kecamatan_operator),
    ]
    assert all("Sudah dibangun tahun lalu" in e.note for e in events)
    assert messages_of(response) == ["2 items decided: Not agreed."]


def test_every_item_the_list_shows_across_its_pages_gets_the_decision(english, forum_of, kecamatan_operator):
    forum = forum_of(130)  # two pages of 100
    first = forum.decisions.get(proposal__title="Usulan 1")
    forums_workflow.decide(actor=kecamatan_operator, decision=first, outcome=Outcome.REJECTED, reason="Ganda")
    english.force_login(kecamatan_operator)

    page = english.get(f"/musyawarah/{forum.pk}/?tampil=menunggu")
    assert "All 129 items the list shows" in squashed(page)
    response = bulk(english, forum, scope="shown", show="menunggu", outcome=Outcome.ACCEPTED, reason="")

    assert response.status_code == 302 and response.url.endswith("?tampil=menunggu#items")
    decided = outcomes(forum)
    assert decided.pop("Usulan 1") == (Outcome.REJECTED, "Ganda")  # not shown: left alone
    assert set(decided.values()) == {(Outcome.ACCEPTED, "")} and len(decided) == 129
    assert ProposalEvent.objects.filter(action=EventAction.DECIDED).count() == 130
    assert messages_of(response) == ["129 items decided: Accepted."]


def test_an_item_the_rules_refuse_is_left_and_named_while_the_others_are_decided(english, forum_of, kecamatan_operator):
    forum = forum_of(3)
    returned = forum.decisions.select_related("proposal").get(proposal__title="Usulan 2")
    forums_workflow.decide(actor=kecamatan_operator, decision=returned, outcome=Outcome.RETURNED, reason="Lengkapi RAB")
    english.force_login(kecamatan_operator)

    response = bulk(
        english, forum, scope="selected", items=ids(forum, "Usulan 1", "Usulan 2", "Usulan 3"), outcome=Outcome.ACCEPTED
    )

    assert outcomes(forum) == {
        "Usulan 1": (Outcome.ACCEPTED, ""),
        "Usulan 2": (Outcome.RETURNED, "Lengkapi RAB"),
        "Usulan 3": (Outcome.ACCEPTED, ""),
    }
    assert messages_of(response) == [
        "2 items decided: Accepted.",
        "1 item was left as it was: “Usulan 2”: This item has left this forum; it can no longer be decided here.",
    ]


def test_a_missing_reason_or_selection_saves_nothing_and_keeps_what_was_chosen(english, forum_of, kecamatan_operator):
    forum = forum_of(4)
    english.force_login(kecamatan_operator)
    chosen = ids(forum, "Usulan 1", "Usulan 3")

    response = bulk(english, forum, scope="selected", items=chosen, outcome=Outcome.REJECTED, reason="  ")

    assert response.status_code == 200
    page = squashed(response)
    assert '<a href="#id_bulk-reason">Reason</a>: Give the reason for this decision.' in page
    for pk in chosen:  # the ticks survive the error
        assert f'value="{pk}" id="pick-{pk}" checked' in page
    assert f'<option value="{Outcome.REJECTED}" selected>' in page
    assert set(outcomes(forum).values()) == {("", "")}
    assert not ProposalEvent.objects.filter(action=EventAction.DECIDED).exists()

    response = bulk(english, forum, scope="selected", outcome=Outcome.ACCEPTED)
    assert "Tick at least one item in the list, or choose all the items the list shows." in squashed(response)
    assert set(outcomes(forum).values()) == {("", "")}


def test_a_decision_that_needs_figures_per_item_is_not_offered_in_bulk(english, forum_of, kecamatan_operator):
    forum = forum_of(2)
    english.force_login(kecamatan_operator)
    page = english.get(f"/musyawarah/{forum.pk}/")
    offered = re.findall(r'<option value="(\w+)"', page.content.decode().split('id="bulk-decide"')[1])
    assert offered == [Outcome.ACCEPTED, Outcome.RETURNED, Outcome.REJECTED, Outcome.VILLAGE_BUDGET]

    response = bulk(english, forum, scope="shown", outcome=Outcome.ACCEPTED_CHANGED, reason="Volume dikurangi")
    assert response.status_code == 200
    assert "Choose the decision from the options given." in squashed(response)
    assert set(outcomes(forum).values()) == {("", "")}


def test_the_items_below_the_cut_line_are_listed_and_decided_together(
    english, forum_of, kecamatan_operator, bappeda_kabupaten, planning_year, ladder
):
    forum = forum_of(6)
    Ceiling.objects.create(planning_year=planning_year, region=ladder["18.02.01"], amount=40 * MILLION)
    for decision in forum.decisions.all():
        forums_workflow.decide(actor=kecamatan_operator, decision=decision, outcome=Outcome.ACCEPTED)
    english.force_login(kecamatan_operator)

    page = english.get(f"/musyawarah/{forum.pk}/?tampil=bawah-garis")
    listed = re.findall(r"<a href=\"/musyawarah/\d+/usulan/\d+/\">(Usulan \d+)</a>", page.content.decode())
    assert listed == ["Usulan 5", "Usulan 6"]

    bulk(english, forum, scope="shown", show="bawah-garis", outcome=Outcome.REJECTED, reason="Melebihi pagu")
    assert [o for o, _r in outcomes(forum).values()] == [Outcome.ACCEPTED] * 4 + [Outcome.REJECTED] * 2


def test_only_the_officers_running_the_forum_may_decide_in_bulk(
    english, forum_of, other_kecamatan_operator, village_operator, kecamatan_operator
):
    forum = forum_of(2)
    english.force_login(other_kecamatan_operator)  # another kecamatan: no such forum
    assert bulk(english, forum, scope="shown", outcome=Outcome.ACCEPTED).status_code == 404
    english.force_login(village_operator)  # sees the forum that holds its items, may not change it
    assert bulk(english, forum, scope="shown", outcome=Outcome.ACCEPTED).status_code == 403
    english.logout()
    assert bulk(english, forum, scope="shown", outcome=Outcome.ACCEPTED).status_code == 302  # to the login page
    assert set(outcomes(forum).values()) == {("", "")}
    # A reader of the forum sees the items but no ticks and no bulk form.
    english.force_login(village_operator)
    assert 'name="bulk-items"' not in english.get(f"/musyawarah/{forum.pk}/").content.decode()


def test_the_forum_page_reads_the_same_number_of_queries_for_10_and_120_items(
    english, forum_of, kecamatan_operator, ladder, planning_year
):
    english.force_login(kecamatan_operator)

    def queries_for(forum) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert english.get(f"/musyawarah/{forum.pk}/?tampil=menunggu").status_code == 200
        return len(captured)

    small = forum_of(10)
    few = queries_for(small)
    small.decisions.all().delete()
    small.delete()
    assert queries_for(forum_of(120)) == few


# --- the scoring grid --------------------------------------------------------------------------------


def grid_data(forum, rows: dict[str, tuple]) -> dict[str, str]:
    """{title: (urgensi, penerima, kesiapan)} -> the grid's POST data."""
    order = criteria_for(forum)
    data = {}
    for title, values in rows.items():
        pk = forum.decisions.get(proposal__title=title).pk
        for criterion, value in zip(order, values, strict=True):
            data[f"s{pk}_{criterion.pk}"] = "" if value is None else str(value)
    return data


def test_the_grid_saves_every_scored_row_at_once_with_its_weighted_score(
    english, forum_of, kecamatan_operator, criteria
):
    forum = forum_of(4)
    english.force_login(kecamatan_operator)
    page = english.get(f"/musyawarah/{forum.pk}/skor/")
    assert page.content.decode().count('class="score"') == 4 * 3  # every item x every criterion

    response = english.post(
        f"/musyawarah/{forum.pk}/skor/",
        grid_data(forum, {"Usulan 1": (5, 4, 3), "Usulan 2": (2, 2, 2), "Usulan 3": (None, None, None)}),
    )

    assert response.status_code == 302
    scores = dict(forum.decisions.values_list("proposal__title", "score"))
    assert {t: (str(s) if s is not None else None) for t, s in scores.items()} == {
        "Usulan 1": "4.15",  # (5*40 + 4*35 + 3*25) / 100
        "Usulan 2": "2.00",
        "Usulan 3": None,
        "Usulan 4": None,
    }
    assert Score.objects.count() == 6
    assert ProposalEvent.objects.filter(action=EventAction.SCORED).count() == 2
    assert messages_of(english.get(response.url))[0] == "2 items scored."

    # Saving the same page again changes nothing and writes no event.
    again = english.post(f"/musyawarah/{forum.pk}/skor/", grid_data(forum, {"Usulan 1": (5, 4, 3)}))
    assert messages_of(again) == ["No score changed."]
    assert ProposalEvent.objects.filter(action=EventAction.SCORED).count() == 2


def test_the_grid_leaves_out_an_item_returned_to_its_village(english, forum_of, kecamatan_operator, criteria):
    forum = forum_of(4)
    returned = forum.decisions.get(proposal__title="Usulan 2")
    forums_workflow.decide(actor=kecamatan_operator, decision=returned, outcome=Outcome.RETURNED, reason="Lengkapi RAB")
    english.force_login(kecamatan_operator)

    page = english.get(f"/musyawarah/{forum.pk}/skor/").content.decode()

    assert page.count('class="score"') == 3 * 3  # three items left to score, every criterion
    assert "Usulan 1" in page and "Usulan 3" in page and "Usulan 4" in page and "Usulan 2" not in page


def test_a_row_scored_in_part_or_out_of_range_saves_nothing_and_keeps_the_typing(
    english, forum_of, kecamatan_operator, criteria
):
    forum = forum_of(3)
    english.force_login(kecamatan_operator)
    data = grid_data(forum, {"Usulan 1": (5, 4, 3), "Usulan 2": (4, None, 2), "Usulan 3": (7, 1, 1)})

    response = english.post(f"/musyawarah/{forum.pk}/skor/", data)

    assert response.status_code == 200
    page = squashed(response)
    assert "Score every criterion of this item, or none." in page
    assert "A whole number from 1 to 5." in page
    assert 'value="7"' in page and 'value="5"' in page  # what was typed is still there
    assert "<title>Error: Scores" in page
    assert not Score.objects.exists()
    assert set(forum.decisions.values_list("score", flat=True)) == {None}


def test_the_grid_reads_the_same_number_of_queries_for_5_and_60_items(english, forum_of, kecamatan_operator, criteria):
    english.force_login(kecamatan_operator)

    def queries_for(forum) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert english.get(f"/musyawarah/{forum.pk}/skor/").status_code == 200
        return len(captured)

    small = forum_of(5)
    few = queries_for(small)
    small.decisions.all().delete()
    small.delete()
    assert queries_for(forum_of(60)) == few


def test_the_grid_is_for_the_officers_running_the_forum(english, forum_of, other_kecamatan_operator, criteria):
    forum = forum_of(2)
    english.force_login(other_kecamatan_operator)
    assert english.get(f"/musyawarah/{forum.pk}/skor/").status_code == 404
    assert english.post(f"/musyawarah/{forum.pk}/skor/", grid_data(forum, {"Usulan 1": (5, 5, 5)})).status_code == 404
    assert not Score.objects.exists()


# --- moving an item straight to its place ------------------------------------------------------------


def order_of(forum) -> list[str]:
    return list(forum.decisions.order_by("rank", "id").values_list("proposal__title", flat=True))


def test_an_item_moves_to_the_place_typed_in_one_step(english, forum_of, kecamatan_operator):
    forum = forum_of(150)
    mover = forum.decisions.get(proposal__title="Usulan 148")
    english.force_login(kecamatan_operator)

    response = english.post(f"/musyawarah/{forum.pk}/peringkat/{mover.pk}/pindah/", {"position": "2"})

    assert response.url.endswith(f"/peringkat/#item-{mover.pk}")  # page 1 holds place 2
    order = order_of(forum)
    assert order[:4] == ["Usulan 1", "Usulan 148", "Usulan 2", "Usulan 3"]
    assert order[-3:] == ["Usulan 147", "Usulan 149", "Usulan 150"]
    assert list(forum.decisions.order_by("rank").values_list("rank", flat=True)) == list(range(1, 151))
    assert messages_of(response) == ["“Usulan 148” is now number 2."]

    # Past the end means the end; it lands on the second page.
    response = english.post(f"/musyawarah/{forum.pk}/peringkat/{mover.pk}/pindah/", {"position": "999"})
    assert order_of(forum)[-1] == "Usulan 148" and response.url.endswith(f"?page=2#item-{mover.pk}")


@pytest.mark.parametrize("typed", ["", "abc", "-3", "0", "2.5"])
def test_a_place_that_is_not_a_whole_number_from_1_moves_nothing(english, forum_of, kecamatan_operator, typed):
    forum = forum_of(3)
    mover = forum.decisions.get(proposal__title="Usulan 3")
    english.force_login(kecamatan_operator)
    response = english.post(f"/musyawarah/{forum.pk}/peringkat/{mover.pk}/pindah/", {"position": typed})
    assert response.status_code == 302
    assert messages_of(response) == ["Type the place to move the item to: a whole number from 1."]
    assert order_of(forum) == ["Usulan 1", "Usulan 2", "Usulan 3"]


def test_moving_is_for_the_officers_running_the_forum(english, forum_of, other_kecamatan_operator):
    forum = forum_of(3)
    mover = forum.decisions.get(proposal__title="Usulan 3")
    english.force_login(other_kecamatan_operator)
    assert english.post(f"/musyawarah/{forum.pk}/peringkat/{mover.pk}/pindah/", {"position": "1"}).status_code == 404
    assert order_of(forum) == ["Usulan 1", "Usulan 2", "Usulan 3"]


def test_the_ranking_row_carries_the_place_box_and_the_arrows_in_one_form(english, forum_of, kecamatan_operator):
    forum = forum_of(3)
    english.force_login(kecamatan_operator)
    page = english.get(f"/musyawarah/{forum.pk}/peringkat/").content.decode()
    assert page.count('class="inline move-form"') == 3
    assert page.count('name="position"') == 3
    assert page.count('formaction="/musyawarah/') == 4  # down, up+down, up


def test_a_returned_item_keeps_its_status_through_a_bulk_acceptance(forum_of, kecamatan_operator):
    forum = forum_of(2)
    returned = forum.decisions.get(proposal__title="Usulan 1")
    forums_workflow.decide(actor=kecamatan_operator, decision=returned, outcome=Outcome.RETURNED, reason="RAB")
    result = forums_workflow.decide_many(
        actor=kecamatan_operator, forum=forum, decisions=list(forum.decisions.all()), outcome=Outcome.ACCEPTED
    )
    assert [d.proposal.title for d in result.done] == ["Usulan 2"]
    assert [d.proposal.title for d, _why in result.refused] == ["Usulan 1"]
    returned.proposal.refresh_from_db()
    assert returned.proposal.status == Status.RETURNED
