"""Ranking a forum's items and fitting them to the budget (forums/workflow/, forums/queries.py).

Bappeda Lampung Tengah sets the year's criteria (urgency 30 %, beneficiaries 25 %, fit with the
regional priorities 25 %, readiness 20 %) and Kecamatan Kalirejo's indicative ceiling; the
kecamatan forum scores, orders and cuts its list, and elects its delegates. The forums' rows
are laid out as the workflow leaves them when the forum below approves; every change then goes
through the workflow's verbs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from forums import workflow as forums_workflow
from forums.models import Ceiling, Criterion, Decision, Delegate, Forum, ForumKind, ForumStatus, Outcome, Score
from forums.queries import decisions_of, ranking
from planning.models import PlanningYear
from proposals.models import EventAction, ProposalEvent, Status
from proposals.workflow import WorkflowError
from regions.models import Level

from .factories import ProposalFactory, attend

CRITERIA = [
    ("Urgensi", 30),
    ("Jumlah penerima manfaat", 25),
    ("Kesesuaian prioritas daerah", 25),
    ("Kesiapan", 20),
]
MILLION = 1_000_000


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def planning_year(db):
    return PlanningYear.objects.get_or_create(year=datetime.date.today().year + 1)[0]


@pytest.fixture
def forum_with(ladder, pupr, planning_year, village_operator):
    """forum_with({"title": cost in millions, ...}) -> the Kalirejo kecamatan forum holding those items.

    level="desa" gives Desa Kalirejo's forum instead.
    """

    def build(items: dict[str, int], level: str = "kecamatan") -> Forum:
        forum = Forum.objects.create(
            planning_year=planning_year,
            level=Level.KECAMATAN if level == "kecamatan" else Level.DESA,
            region=ladder["18.02.01" if level == "kecamatan" else "18.02.01.2003"],
        )
        for rank, (title, millions) in enumerate(items.items(), start=1):
            proposal = ProposalFactory(
                submitted=True,
                village=ladder["18.02.01.2003"],
                level=forum.level,
                title=title,
                estimated_cost=millions * MILLION,
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


def titles_in_order(forum: Forum) -> list[str]:
    return [d.proposal.title for d in decisions_of(forum)]


def item(forum: Forum, title: str) -> Decision:
    return Decision.objects.select_related("proposal", "forum").get(forum=forum, proposal__title=title)


def accept_all(forum: Forum, actor) -> None:
    for decision in decisions_of(forum):
        forums_workflow.decide(actor=actor, decision=decision, outcome=Outcome.ACCEPTED)


def get_ready(forum: Forum, actor, delegates=(("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Ketut Wirawan", "L"))):
    forums_workflow.update_forum(
        actor=actor, forum=forum, held_on=datetime.date(2026, 2, 10), place="Aula Kantor Camat", chair_name="Camat"
    )
    attend(actor, forum)
    for name, gender in delegates:
        forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)


def refusal(verb, **kwargs) -> str:
    with pytest.raises(WorkflowError) as refused:
        verb(**kwargs)
    return str(refused.value)


# --- criteria --------------------------------------------------------------------------------------


def test_bappeda_sets_the_years_criteria_and_their_weights(criteria, ladder, planning_year):
    assert list(Criterion.objects.values_list("region__code", "planning_year", "name", "weight", "position")) == [
        ("18.02", planning_year.pk, name, weight, position) for position, (name, weight) in enumerate(CRITERIA)
    ]


def test_new_criteria_replace_the_old_ones_until_an_item_is_scored(criteria, bappeda_kabupaten, planning_year):
    forums_workflow.set_criteria(
        actor=bappeda_kabupaten, planning_year=planning_year, criteria=[("Urgensi", 60), ("Kesiapan", 40)]
    )
    assert list(Criterion.objects.values_list("name", "weight")) == [("Urgensi", 60), ("Kesiapan", 40)]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([30, 25, 25, 10], "The weights must add up to 100 %; they add up to 90 %."),
        ([30, 25, 25, 30], "The weights must add up to 100 %; they add up to 110 %."),
        ([50, 25, 25, 0], "Each weight must be a whole number from 1 to 100."),
        ([120, -20, 0, 0], "Each weight must be a whole number from 1 to 100."),
    ],
)
def test_criteria_whose_weights_do_not_add_up_to_100_are_refused(
    criteria, bappeda_kabupaten, planning_year, weights, message
):
    before = list(Criterion.objects.values_list("pk", "name", "weight"))
    proposed = [(name, weight) for (name, _old), weight in zip(CRITERIA, weights, strict=True)]
    assert refusal(
        forums_workflow.set_criteria, actor=bappeda_kabupaten, planning_year=planning_year, criteria=proposed
    ) == (message)
    assert list(Criterion.objects.values_list("pk", "name", "weight")) == before


@pytest.mark.parametrize(
    "proposed", [[("Urgensi", 50), ("Urgensi", 50)], [("Urgensi", 50), ("  ", 50)], []], ids=["twice", "blank", "none"]
)
def test_criteria_need_distinct_names(bappeda_kabupaten, planning_year, proposed):
    message = refusal(
        forums_workflow.set_criteria, actor=bappeda_kabupaten, planning_year=planning_year, criteria=proposed
    )
    assert message == "Give each criterion a different name."
    assert Criterion.objects.count() == 0


@pytest.mark.parametrize("persona", ["kecamatan_operator", "agency_officer", "village_operator"])
def test_only_bappeda_sets_criteria(request, planning_year, persona):
    actor = request.getfixturevalue(persona)
    message = refusal(forums_workflow.set_criteria, actor=actor, planning_year=planning_year, criteria=CRITERIA)
    assert message == "Only Bappeda sets the ranking criteria."
    assert Criterion.objects.count() == 0


def test_criteria_cannot_change_once_an_item_is_scored(
    forum_with, criteria, kecamatan_operator, bappeda_kabupaten, planning_year
):
    forum = forum_with({"Jalan": 100})
    forums_workflow.score(actor=kecamatan_operator, decision=item(forum, "Jalan"), values={criteria[0]: 4})
    before = list(Criterion.objects.values_list("pk", "name", "weight"))

    message = refusal(
        forums_workflow.set_criteria,
        actor=bappeda_kabupaten,
        planning_year=planning_year,
        criteria=[("Urgensi", 50), ("Kesiapan", 50)],
    )

    assert message == "Items have already been scored with these criteria; they can no longer change."
    assert list(Criterion.objects.values_list("pk", "name", "weight")) == before


# --- scores ----------------------------------------------------------------------------------------


def test_an_items_weighted_score_follows_the_criteria_weights(forum_with, criteria, kecamatan_operator):
    forum = forum_with({"Jalan": 100, "Talud": 100})
    # Scored from the forum's list, as the ranking page shows it.
    jalan = decisions_of(forum)[0]

    forums_workflow.score(
        actor=kecamatan_operator, decision=jalan, values=dict(zip(criteria, [5, 4, 3, 2], strict=True))
    )

    # (5 x 30 + 4 x 25 + 3 x 25 + 2 x 20) / 100
    assert item(forum, "Jalan").score == Decimal("3.65")
    assert item(forum, "Talud").score is None
    assert sorted(Score.objects.values_list("criterion__name", "value")) == sorted(
        zip([name for name, _w in CRITERIA], [5, 4, 3, 2], strict=True)
    )
    assert list(ProposalEvent.objects.values_list("action", "note", "forum")) == [
        (
            EventAction.SCORED,
            "Urgensi 5; Jumlah penerima manfaat 4; Kesesuaian prioritas daerah 3; Kesiapan 2 → 3.65",
            forum.pk,
        )
    ]


def test_scoring_again_replaces_that_criterions_score_and_recomputes(forum_with, criteria, kecamatan_operator):
    forum = forum_with({"Jalan": 100})
    forums_workflow.score(
        actor=kecamatan_operator, decision=item(forum, "Jalan"), values=dict(zip(criteria, [5, 4, 3, 2], strict=True))
    )

    forums_workflow.score(actor=kecamatan_operator, decision=decisions_of(forum)[0], values={criteria[0]: 1})

    # (1 x 30 + 4 x 25 + 3 x 25 + 2 x 20) / 100
    assert item(forum, "Jalan").score == Decimal("2.45")
    assert Score.objects.get(criterion=criteria[0]).value == 1
    assert Score.objects.count() == 4


def test_a_criterion_not_yet_scored_counts_as_nothing(forum_with, criteria, kecamatan_operator):
    forum = forum_with({"Jalan": 100})
    forums_workflow.score(actor=kecamatan_operator, decision=item(forum, "Jalan"), values={criteria[0]: 5})
    assert item(forum, "Jalan").score == Decimal("1.50")


def test_a_kabupaten_without_criteria_of_its_own_ranks_by_the_provinces(
    forum_with, bappeda_provinsi, kecamatan_operator, planning_year
):
    provincial = forums_workflow.set_criteria(
        actor=bappeda_provinsi, planning_year=planning_year, criteria=[("Urgensi", 70), ("Kesiapan", 30)]
    )
    forum = forum_with({"Jalan": 100})
    forums_workflow.score(actor=kecamatan_operator, decision=item(forum, "Jalan"), values=dict.fromkeys(provincial, 4))
    assert item(forum, "Jalan").score == Decimal("4.00")


@pytest.mark.parametrize("value", [0, 6, None])
def test_a_score_outside_one_to_five_is_refused(forum_with, criteria, kecamatan_operator, value):
    forum = forum_with({"Jalan": 100})
    message = refusal(
        forums_workflow.score,
        actor=kecamatan_operator,
        decision=item(forum, "Jalan"),
        values={criteria[0]: 4, criteria[1]: value},
    )
    assert message == "Each score must be a whole number from 1 to 5."
    assert (Score.objects.count(), item(forum, "Jalan").score, ProposalEvent.objects.count()) == (0, None, 0)


def test_a_criterion_of_another_kabupaten_is_refused(
    forum_with, criteria, kecamatan_operator, other_bappeda_kabupaten, planning_year
):
    foreign = forums_workflow.set_criteria(
        actor=other_bappeda_kabupaten, planning_year=planning_year, criteria=CRITERIA
    )
    forum = forum_with({"Jalan": 100})
    message = refusal(
        forums_workflow.score, actor=kecamatan_operator, decision=item(forum, "Jalan"), values={foreign[0]: 4}
    )
    assert message == "That criterion does not apply to this forum."
    assert Score.objects.count() == 0


def test_scoring_without_criteria_is_refused(forum_with, kecamatan_operator):
    forum = forum_with({"Jalan": 100})
    message = refusal(forums_workflow.score, actor=kecamatan_operator, decision=item(forum, "Jalan"), values={})
    assert message == "No ranking criteria have been set for this planning year."
    assert item(forum, "Jalan").score is None


# --- order -----------------------------------------------------------------------------------------


def test_ordering_by_score_puts_the_highest_first_and_unscored_items_last(forum_with, criteria, kecamatan_operator):
    forum = forum_with({"Sumur": 50, "Jalan": 100, "Talud": 80, "Posyandu": 40, "Gapura": 30})
    for title, value in (("Jalan", 5), ("Talud", 3), ("Posyandu", 5), ("Gapura", 4)):
        forums_workflow.score(
            actor=kecamatan_operator, decision=item(forum, title), values=dict.fromkeys(criteria, value)
        )

    forums_workflow.order_by_score(actor=kecamatan_operator, forum=forum)

    # Equal scores keep the order they had.
    assert titles_in_order(forum) == ["Jalan", "Posyandu", "Gapura", "Talud", "Sumur"]
    assert [d.rank for d in decisions_of(forum)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("title", "up", "order"),
    [
        ("Talud", True, ["Talud", "Jalan", "Sumur"]),
        ("Talud", False, ["Jalan", "Sumur", "Talud"]),
        ("Jalan", True, ["Jalan", "Talud", "Sumur"]),
        ("Sumur", False, ["Jalan", "Talud", "Sumur"]),
    ],
    ids=["up", "down", "first-up-stays", "last-down-stays"],
)
def test_the_forum_moves_an_item_one_place_up_or_down(forum_with, kecamatan_operator, title, up, order):
    forum = forum_with({"Jalan": 100, "Talud": 80, "Sumur": 50})
    forums_workflow.move(actor=kecamatan_operator, decision=item(forum, title), up=up)
    assert titles_in_order(forum) == order
    assert [d.rank for d in decisions_of(forum)] == [1, 2, 3]


# --- the ceiling and the cut line -------------------------------------------------------------------


@pytest.fixture
def cut(forum_with, bappeda_kabupaten, kecamatan_operator, ladder, planning_year):
    """Five items in order; the fourth is not agreed. Ceiling Rp400 million unless told otherwise."""

    def build(amount: int = 400 * MILLION, max_items: int | None = None) -> Forum:
        forums_workflow.set_ceiling(
            actor=bappeda_kabupaten,
            planning_year=planning_year,
            kecamatan=ladder["18.02.01"],
            amount=amount,
            max_items=max_items,
        )
        forum = forum_with({"Jalan": 200, "Talud": 100, "Jembatan": 150, "Gapura": 70, "Sumur": 50})
        accept_all(forum, kecamatan_operator)
        forums_workflow.decide(
            actor=kecamatan_operator, decision=item(forum, "Gapura"), outcome=Outcome.REJECTED, reason="-"
        )
        return forum

    return build


def table(forum: Forum) -> list[tuple]:
    return [
        (row.decision.proposal.title, row.running_total, row.position, row.below_line) for row in ranking(forum).rows
    ]


def test_the_cut_line_falls_where_the_running_total_passes_the_ceiling_and_stays_there(cut):
    forum = cut()
    assert table(forum) == [
        ("Jalan", 200 * MILLION, 1, False),
        ("Talud", 300 * MILLION, 2, False),
        ("Jembatan", 450 * MILLION, 3, True),
        ("Gapura", None, None, False),
        # Rp50 million would still fit beside the first two; the line is strict.
        ("Sumur", 500 * MILLION, 4, True),
    ]
    result = ranking(forum)
    assert (result.agreed_total, result.agreed_count, result.fits) == (500 * MILLION, 4, False)
    assert [d.proposal.title for d in result.below_line] == ["Jembatan", "Sumur"]


def test_the_running_total_counts_an_items_agreed_cost_when_the_forum_changed_it(cut, kecamatan_operator):
    forum = cut()
    forums_workflow.decide(
        actor=kecamatan_operator,
        decision=item(forum, "Jembatan"),
        outcome=Outcome.ACCEPTED_CHANGED,
        reason="Bentang dikurangi.",
        adjusted_volume=Decimal("40"),
        adjusted_cost=100 * MILLION,
    )
    assert [(title, total, below) for title, total, _pos, below in table(forum)] == [
        ("Jalan", 200 * MILLION, False),
        ("Talud", 300 * MILLION, False),
        ("Jembatan", 400 * MILLION, False),
        ("Gapura", None, False),
        ("Sumur", 450 * MILLION, True),
    ]


def test_an_item_exactly_at_the_ceiling_is_above_the_line(cut):
    forum = cut(amount=300 * MILLION)
    # Jalan and Talud come to Rp300 million exactly.
    assert [title for title, _total, _pos, below in table(forum) if below] == ["Jembatan", "Sumur"]


def test_the_cut_line_falls_after_the_item_limit(cut):
    forum = cut(amount=10_000 * MILLION, max_items=2)
    assert [(title, below) for title, _total, _pos, below in table(forum)] == [
        ("Jalan", False),
        ("Talud", False),
        ("Jembatan", True),
        ("Gapura", False),
        ("Sumur", True),
    ]


def test_a_forum_without_a_ceiling_has_no_cut_line(forum_with, kecamatan_operator):
    forum = forum_with({"Jalan": 200, "Talud": 100})
    accept_all(forum, kecamatan_operator)
    result = ranking(forum)
    assert (result.ceiling, result.agreed_total, result.below_line) == (None, 300 * MILLION, [])


def test_rejecting_below_the_line_marks_exactly_those_items_with_the_reason(cut, kecamatan_operator):
    forum = cut()

    count = forums_workflow.reject_below_line(actor=kecamatan_operator, forum=forum, reason="Melebihi pagu indikatif.")

    assert count == 2
    assert {d.proposal.title: (d.outcome, d.reason) for d in decisions_of(forum)} == {
        "Jalan": (Outcome.ACCEPTED, ""),
        "Talud": (Outcome.ACCEPTED, ""),
        "Jembatan": (Outcome.REJECTED, "Melebihi pagu indikatif."),
        "Gapura": (Outcome.REJECTED, "-"),
        "Sumur": (Outcome.REJECTED, "Melebihi pagu indikatif."),
    }
    assert ranking(forum).fits
    assert ranking(forum).agreed_total == 300 * MILLION


def test_rejecting_below_the_line_without_a_reason_gives_the_standard_one_in_indonesian(cut, kecamatan_operator):
    forum = cut()
    # The reason goes into the minutes, so it is Indonesian even for an officer reading in English.
    with translation.override("en"):
        forums_workflow.reject_below_line(actor=kecamatan_operator, forum=forum, reason=" ")
    assert {d.reason for d in decisions_of(forum) if d.proposal.title in ("Jembatan", "Sumur")} == {
        "Melebihi pagu indikatif kewilayahan kecamatan."
    }


def test_approval_is_refused_while_the_agreed_total_exceeds_the_ceiling(cut, kecamatan_operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forum = cut()
    get_ready(forum, kecamatan_operator)

    message = refusal(forums_workflow.approve_forum, actor=kecamatan_operator, forum=forum)

    assert message == (
        "The agreed items total Rp500.000.000 over 4 item(s), beyond the ceiling of Rp400.000.000. Mark the items "
        "below the line as not agreed, or record the forum's reason for exceeding it."
    )
    assert Forum.objects.get(pk=forum.pk).status == ForumStatus.IN_SESSION
    assert Forum.objects.count() == 1


def test_approval_names_the_item_limit_when_there_is_one(cut, kecamatan_operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forum = cut(amount=10_000 * MILLION, max_items=2)
    get_ready(forum, kecamatan_operator)
    assert refusal(forums_workflow.approve_forum, actor=kecamatan_operator, forum=forum) == (
        "The agreed items total Rp500.000.000 over 4 item(s), beyond the ceiling of Rp10.000.000.000 or the limit "
        "of 2 items. Mark the items below the line as not agreed, or record the forum's reason for exceeding it."
    )


def test_with_a_recorded_reason_the_forum_forwards_items_beyond_the_ceiling(
    cut, kecamatan_operator, pupr, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    forum = cut()
    get_ready(forum, kecamatan_operator)
    forums_workflow.update_forum(
        actor=kecamatan_operator, forum=forum, override_reason="Jembatan putus; disepakati seluruh peserta."
    )

    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)

    assert Forum.objects.get(pk=forum.pk).status == ForumStatus.APPROVED
    agency = Forum.objects.get(kind=ForumKind.AGENCY, agency=pupr)
    assert titles_in_order(agency) == ["Jalan", "Talud", "Jembatan", "Sumur"]
    assert {d.proposal.title: (d.proposal.status, d.proposal.level) for d in decisions_of(forum)} == {
        "Jalan": (Status.SUBMITTED, Level.KABUPATEN),
        "Talud": (Status.SUBMITTED, Level.KABUPATEN),
        "Jembatan": (Status.SUBMITTED, Level.KABUPATEN),
        "Gapura": (Status.REJECTED, Level.KECAMATAN),
        "Sumur": (Status.SUBMITTED, Level.KABUPATEN),
    }


# --- delegates -------------------------------------------------------------------------------------

WOMAN, MAN = "P", "L"


def delegates(*genders: str) -> list[tuple[str, str]]:
    return [(f"Delegasi {i}", gender) for i, gender in enumerate(genders, start=1)]


@pytest.mark.parametrize("level", ["desa", "kecamatan"])
@pytest.mark.parametrize(
    ("elected", "message"),
    [
        ((), "The forum must elect 3 to 5 delegates; it has 0."),
        ((WOMAN, MAN), "The forum must elect 3 to 5 delegates; it has 2."),
        ((MAN, MAN, MAN), "At least one delegate must be a woman."),
        ((MAN, MAN, MAN, MAN, MAN), "At least one delegate must be a woman."),
    ],
    ids=["none", "two", "three-men", "five-men"],
)
def test_approval_is_refused_unless_three_to_five_delegates_include_a_woman(
    forum_with, request, settings, tmp_path, level, elected, message
):
    settings.MEDIA_ROOT = tmp_path
    actor = request.getfixturevalue("kecamatan_operator" if level == "kecamatan" else "village_operator")
    forum = forum_with({"Jalan": 100}, level=level)
    accept_all(forum, actor)
    get_ready(forum, actor, delegates(*elected))

    assert refusal(forums_workflow.approve_forum, actor=actor, forum=forum) == message
    assert (Forum.objects.get(pk=forum.pk).status, Forum.objects.count()) == (ForumStatus.IN_SESSION, 1)


@pytest.mark.parametrize("level", ["desa", "kecamatan"])
@pytest.mark.parametrize("elected", [(WOMAN, MAN, MAN), (MAN, MAN, MAN, MAN, WOMAN), (WOMAN, WOMAN, WOMAN)])
def test_a_forum_with_three_to_five_delegates_including_a_woman_is_approved(
    forum_with, request, settings, tmp_path, level, elected
):
    settings.MEDIA_ROOT = tmp_path
    actor = request.getfixturevalue("kecamatan_operator" if level == "kecamatan" else "village_operator")
    forum = forum_with({"Jalan": 100}, level=level)
    accept_all(forum, actor)
    get_ready(forum, actor, delegates(*elected))

    forums_workflow.approve_forum(actor=actor, forum=forum)

    assert Forum.objects.get(pk=forum.pk).status == ForumStatus.APPROVED
    assert list(Delegate.objects.filter(forum=forum).values_list("gender", flat=True)) == list(elected)
    assert item(forum, "Jalan").proposal.level == (Level.KABUPATEN if level == "kecamatan" else Level.KECAMATAN)


@pytest.mark.parametrize("level", ["desa", "kecamatan"])
def test_the_sixth_delegate_is_refused(forum_with, request, level):
    actor = request.getfixturevalue("kecamatan_operator" if level == "kecamatan" else "village_operator")
    forum = forum_with({"Jalan": 100}, level=level)
    for name, gender in delegates(WOMAN, MAN, MAN, MAN, MAN):
        forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)

    message = refusal(forums_workflow.add_delegate, actor=actor, forum=forum, name="Delegasi 6", gender=WOMAN)

    assert message == "A forum elects at most 5 delegates."
    assert list(Delegate.objects.filter(forum=forum).values_list("name", flat=True)) == [
        f"Delegasi {i}" for i in range(1, 6)
    ]


# --- who sets the ceiling ------------------------------------------------------------------------------


def test_the_kabupatens_bappeda_sets_and_then_changes_a_ceiling(bappeda_kabupaten, ladder, planning_year):
    kalirejo = ladder["18.02.01"]
    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten, planning_year=planning_year, kecamatan=kalirejo, amount=400 * MILLION
    )
    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten, planning_year=planning_year, kecamatan=kalirejo, amount=450 * MILLION, max_items=6
    )
    assert list(Ceiling.objects.values_list("region__code", "amount", "max_items")) == [("18.02.01", 450 * MILLION, 6)]


@pytest.mark.parametrize(
    ("persona", "kecamatan"),
    [
        ("other_bappeda_kabupaten", "18.02.01"),
        ("bappeda_provinsi", "18.02.01"),
        ("kecamatan_operator", "18.02.01"),
        ("agency_officer", "18.02.01"),
        ("admin_user", "18.02.01"),
        ("bappeda_kabupaten", "18.01.01"),
        ("bappeda_kabupaten", "18.02"),
    ],
    ids=[
        "another-kabupatens-bappeda",
        "province-bappeda",
        "kecamatan-operator",
        "agency-officer",
        "administrator",
        "a-kecamatan-of-another-kabupaten",
        "not-a-kecamatan",
    ],
)
def test_only_its_own_kabupatens_bappeda_sets_a_kecamatans_ceiling(request, ladder, planning_year, persona, kecamatan):
    message = refusal(
        forums_workflow.set_ceiling,
        actor=request.getfixturevalue(persona),
        planning_year=planning_year,
        kecamatan=ladder[kecamatan],
        amount=400 * MILLION,
    )
    assert message == "Only the Bappeda of its kabupaten/kota sets a district's ceiling."
    assert Ceiling.objects.count() == 0


def test_a_negative_ceiling_is_refused(bappeda_kabupaten, ladder, planning_year):
    message = refusal(
        forums_workflow.set_ceiling,
        actor=bappeda_kabupaten,
        planning_year=planning_year,
        kecamatan=ladder["18.02.01"],
        amount=-1,
    )
    assert message == "The ceiling cannot be negative."
    assert Ceiling.objects.count() == 0


def test_a_ceiling_cannot_change_once_the_kecamatan_forum_is_approved(
    cut, kecamatan_operator, bappeda_kabupaten, ladder, planning_year, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    forum = cut()
    forums_workflow.reject_below_line(actor=kecamatan_operator, forum=forum, reason="Melebihi pagu.")
    get_ready(forum, kecamatan_operator)
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)

    message = refusal(
        forums_workflow.set_ceiling,
        actor=bappeda_kabupaten,
        planning_year=planning_year,
        kecamatan=ladder["18.02.01"],
        amount=900 * MILLION,
    )

    assert message == "This district's forum has been approved; its ceiling can no longer change."
    assert list(Ceiling.objects.values_list("amount", flat=True)) == [400 * MILLION]
