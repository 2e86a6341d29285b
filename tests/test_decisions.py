"""Every decision a forum may take on an item, and every one it may not (forums/workflow/).

Five forums, one of each kind the ladder has, each holding three submitted items from Desa
Kalirejo aimed at Dinas PUPR:

    desa        Musrenbang Desa Kalirejo (18.02.01.2003)      run by the village operator
    kecamatan   Musrenbang Kecamatan Kalirejo (18.02.01)      run by the kecamatan operator
    agency      Forum Perangkat Daerah Dinas PUPR (18.02)     run by the PUPR officer
    kabupaten   Musrenbang Kabupaten Lampung Tengah (18.02)   run by Bappeda Lampung Tengah
    provinsi    Musrenbang Provinsi Lampung (18)              run by Bappeda Lampung

The rows are laid out as the workflow leaves them when the forum below approves; every change
then goes through the workflow's verbs. Each refused move is checked twice: its exact message
(in English), and a database exactly as it was (decision, proposal, events, forums).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import translation

from forums import access
from forums import workflow as forums_workflow
from forums.models import NEEDS_REASON, Decision, Forum, ForumKind, MinutesDocument, Outcome
from forums.workflow import OUTCOMES_AT
from planning.models import PlanningYear
from proposals import workflow
from proposals.models import EventAction, Proposal, ProposalEvent, Status
from proposals.workflow import WorkflowError
from regions.models import Level

from .factories import AgencyFactory, ProposalFactory, attend

# forum key -> (kind, level, region code, persona who runs it)
FORUMS = {
    "desa": (ForumKind.MUSRENBANG, Level.DESA, "18.02.01.2003", "village_operator"),
    "kecamatan": (ForumKind.MUSRENBANG, Level.KECAMATAN, "18.02.01", "kecamatan_operator"),
    "agency": (ForumKind.AGENCY, Level.KABUPATEN, "18.02", "agency_officer"),
    "kabupaten": (ForumKind.MUSRENBANG, Level.KABUPATEN, "18.02", "bappeda_kabupaten"),
    "provinsi": (ForumKind.MUSRENBANG, Level.PROVINSI, "18", "bappeda_provinsi"),
}
PERSONAS = [
    "village_operator",
    "neighbour_village_operator",
    "kecamatan_operator",
    "other_kecamatan_operator",
    "agency_officer",
    "other_agency_officer",
    "bappeda_kabupaten",
    "other_bappeda_kabupaten",
    "bappeda_provinsi",
    "other_bappeda_provinsi",
    "admin_user",
]
TITLES = ["Rabat beton jalan Dusun Karangsari", "Talud jalan Dusun Sukamaju", "Sumur bor mushola Al-Ikhlas"]


def kind_key(kind, level) -> str:
    return next(key for key, (k, lv, _code, _persona) in FORUMS.items() if (k, lv) == (kind, level))


ALLOWED = [(kind_key(*place), outcome) for place, outcomes in OUTCOMES_AT.items() for outcome in outcomes]
REFUSED = [(key, outcome) for key in FORUMS for outcome in Outcome if (key, outcome) not in ALLOWED]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def planning_year(db):
    return PlanningYear.objects.get_or_create(year=datetime.date.today().year + 1)[0]


@pytest.fixture
def forum_of(ladder, pupr, planning_year, village_operator):
    """forum_of("kecamatan") -> (that forum, its three pending decisions in order)."""

    def build(key: str) -> tuple[Forum, list[Decision]]:
        kind, level, code, _runner = FORUMS[key]
        forum = Forum.objects.create(
            planning_year=planning_year,
            kind=kind,
            level=level,
            region=ladder[code],
            agency=pupr if kind == ForumKind.AGENCY else None,
        )
        decisions = []
        for rank, title in enumerate(TITLES, start=1):
            proposal = ProposalFactory(
                submitted=True,
                village=ladder["18.02.01.2003"],
                title=title,
                level=level,
                target_agency=pupr,
                current_agency=pupr,
                created_by=village_operator,
            )
            decisions.append(Decision.objects.create(forum=forum, proposal=proposal, rank=rank))
        return forum, decisions

    return build


@pytest.fixture
def runner(request):
    """The persona who runs a forum of this key: runner("agency") -> the PUPR officer."""
    return lambda key: request.getfixturevalue(FORUMS[key][3])


def snapshot(decision: Decision) -> dict:
    """Everything a decision may change, read back from the database."""
    row = Decision.objects.get(pk=decision.pk)
    proposal = Proposal.objects.get(pk=row.proposal_id)
    return {
        "outcome": row.outcome,
        "reason": row.reason,
        "adjusted": (row.adjusted_volume, row.adjusted_cost),
        "merged_into": row.merged_into_id,
        "handed_to": row.handed_to_id,
        "decided_by": row.decided_by_id,
        "status": proposal.status,
        "level": proposal.level,
        "current_agency": proposal.current_agency_id,
        "events": ProposalEvent.objects.count(),
        "decisions": Decision.objects.count(),
        "forums": Forum.objects.count(),
    }


def assert_refused(message: str, decision: Decision, **kwargs) -> None:
    """decide(**kwargs) on `decision` fails with exactly `message` and changes nothing."""
    before = snapshot(decision)
    with pytest.raises(WorkflowError) as refused:
        forums_workflow.decide(decision=decision, **kwargs)
    assert str(refused.value) == message
    assert snapshot(decision) == before


def details_for(outcome: str, decisions: list[Decision], dinkes) -> dict:
    """What a valid decision of this outcome carries."""
    return {
        Outcome.ACCEPTED: {},
        Outcome.ACCEPTED_CHANGED: {
            "reason": "Volume disesuaikan dengan survei.",
            "adjusted_volume": Decimal("60"),
            "adjusted_cost": 90_000_000,
        },
        Outcome.MERGED: {"reason": "Ruas jalan yang sama.", "merged_into": decisions[1].proposal},
        Outcome.HANDED_OVER: {"reason": "Urusan kesehatan.", "handed_to": dinkes},
    }.get(outcome, {"reason": "Alasan forum."})


# --- what each forum may and may not decide ----------------------------------------------------


@pytest.mark.parametrize(("key", "outcome"), ALLOWED)
def test_a_forum_records_each_outcome_it_may_take(forum_of, runner, dinkes, key, outcome):
    forum, decisions = forum_of(key)
    details = details_for(outcome, decisions, dinkes)
    events_before = ProposalEvent.objects.count()

    forums_workflow.decide(actor=runner(key), decision=decisions[0], outcome=outcome, **details)

    row = Decision.objects.get(pk=decisions[0].pk)
    proposal = Proposal.objects.get(pk=row.proposal_id)
    assert (row.outcome, row.reason, row.decided_by) == (outcome, details.get("reason", ""), runner(key))
    assert (row.adjusted_volume, row.adjusted_cost) == (details.get("adjusted_volume"), details.get("adjusted_cost"))
    assert row.merged_into == details.get("merged_into")
    assert row.handed_to == details.get("handed_to")
    # Returned and handed over take effect at once; everything else waits for the approval.
    action = {Outcome.RETURNED: EventAction.RETURNED, Outcome.HANDED_OVER: EventAction.HANDED_OVER}.get(
        outcome, EventAction.DECIDED
    )
    assert list(ProposalEvent.objects.filter(proposal=proposal).values_list("action", "forum")) == [(action, forum.pk)]
    assert ProposalEvent.objects.count() == events_before + 1
    assert proposal.status == (Status.RETURNED if outcome == Outcome.RETURNED else Status.SUBMITTED)
    assert proposal.level == FORUMS[key][1]
    if outcome == Outcome.HANDED_OVER:
        assert proposal.current_agency == dinkes
        assert list(Decision.objects.filter(forum__agency=dinkes).values_list("proposal", "outcome")) == [
            (proposal.pk, "")
        ]
    else:
        assert Decision.objects.count() == 3


@pytest.mark.parametrize(("key", "outcome"), REFUSED)
def test_a_forum_is_refused_an_outcome_it_may_not_take(forum_of, runner, dinkes, key, outcome):
    _forum, decisions = forum_of(key)
    assert_refused(
        f"{Outcome(outcome).label} is not a decision this forum can take.",
        decisions[0],
        actor=runner(key),
        outcome=outcome,
        **details_for(outcome, decisions, dinkes),
    )


def test_a_decision_can_change_until_the_forum_is_approved(forum_of, kecamatan_operator):
    _forum, decisions = forum_of("kecamatan")
    forums_workflow.decide(actor=kecamatan_operator, decision=decisions[0], outcome=Outcome.ACCEPTED)
    forums_workflow.decide(
        actor=kecamatan_operator, decision=decisions[0], outcome=Outcome.REJECTED, reason="Bukan prioritas."
    )
    row = snapshot(decisions[0])
    assert (row["outcome"], row["reason"], row["status"]) == (Outcome.REJECTED, "Bukan prioritas.", Status.SUBMITTED)
    # Stored as the outcome's code and the officer's reason; worded when read, in the reader's language.
    events = list(ProposalEvent.objects.order_by("id"))
    assert [(e.action, e.outcome, e.note) for e in events] == [
        (EventAction.DECIDED, Outcome.ACCEPTED, ""),
        (EventAction.DECIDED, Outcome.REJECTED, "Bukan prioritas."),
    ]
    with translation.override("en"):
        assert [e.display_note for e in events] == ["Accepted", "Not agreed: Bukan prioritas."]
    with translation.override("id"):
        assert [e.display_note for e in events] == ["Disepakati", "Tidak disepakati: Bukan prioritas."]


# --- what a decision must carry -----------------------------------------------------------------

# An outcome that needs a reason, at a forum that may take it.
NEEDS_REASON_AT = [
    ("agency" if o == Outcome.HANDED_OVER else "kabupaten" if o == Outcome.TO_PROVINCE else "kecamatan", o)
    for o in Outcome
    if o in NEEDS_REASON
]


@pytest.mark.parametrize(("key", "outcome"), NEEDS_REASON_AT)
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_an_outcome_that_needs_a_reason_is_refused_without_one(forum_of, runner, dinkes, key, outcome, reason):
    _forum, decisions = forum_of(key)
    details = details_for(outcome, decisions, dinkes) | {"reason": reason}
    assert_refused("Give the reason for this decision.", decisions[0], actor=runner(key), outcome=outcome, **details)


@pytest.mark.parametrize(
    ("volume", "cost", "message"),
    [
        (None, 90_000_000, "Give the agreed volume and cost."),
        (Decimal("60"), None, "Give the agreed volume and cost."),
        (None, None, "Give the agreed volume and cost."),
        (Decimal("0"), 90_000_000, "The agreed volume must be above zero and the cost not negative."),
        (Decimal("60"), -1, "The agreed volume must be above zero and the cost not negative."),
    ],
)
def test_accepting_with_changes_needs_the_agreed_volume_and_cost(forum_of, kecamatan_operator, volume, cost, message):
    _forum, decisions = forum_of("kecamatan")
    assert_refused(
        message,
        decisions[0],
        actor=kecamatan_operator,
        outcome=Outcome.ACCEPTED_CHANGED,
        reason="Disesuaikan.",
        adjusted_volume=volume,
        adjusted_cost=cost,
    )


def test_accepting_as_proposed_drops_figures_given_with_it(forum_of, kecamatan_operator):
    _forum, decisions = forum_of("kecamatan")
    forums_workflow.decide(
        actor=kecamatan_operator,
        decision=decisions[0],
        outcome=Outcome.ACCEPTED,
        adjusted_volume=Decimal("60"),
        adjusted_cost=1,
    )
    row = Decision.objects.get(pk=decisions[0].pk)
    assert (row.outcome, row.adjusted_volume, row.adjusted_cost, row.cost) == (
        Outcome.ACCEPTED,
        None,
        None,
        150_000_000,
    )


# --- merging ------------------------------------------------------------------------------------


def test_an_item_is_merged_into_another_item_of_the_same_forum(forum_of, kecamatan_operator):
    _forum, decisions = forum_of("kecamatan")
    survivor = decisions[2].proposal
    forums_workflow.decide(
        actor=kecamatan_operator,
        decision=decisions[0],
        outcome=Outcome.MERGED,
        reason="Ruas yang sama.",
        merged_into=survivor,
    )
    assert (Decision.objects.get(pk=decisions[0].pk).merged_into, snapshot(decisions[2])["outcome"]) == (survivor, "")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nothing", "Choose the item this one duplicates."),
        ("itself", "Choose the item this one duplicates."),
        ("an item of another forum", "An item can only be merged into another item of the same forum."),
        ("an item already merged", "That item is itself merged into another; merge into the surviving one."),
    ],
)
def test_merging_is_refused_unless_the_survivor_is_another_live_item_of_the_forum(
    forum_of, kecamatan_operator, ladder, target, message
):
    _forum, decisions = forum_of("kecamatan")
    if target == "an item already merged":
        forums_workflow.decide(
            actor=kecamatan_operator,
            decision=decisions[1],
            outcome=Outcome.MERGED,
            reason="Duplikat.",
            merged_into=decisions[2].proposal,
        )
    survivor = {
        "nothing": None,
        "itself": decisions[0].proposal,
        "an item of another forum": ProposalFactory(submitted=True, village=ladder["18.02.02.2001"]),
        "an item already merged": decisions[1].proposal,
    }[target]
    assert_refused(
        message,
        decisions[0],
        actor=kecamatan_operator,
        outcome=Outcome.MERGED,
        reason="Duplikat.",
        merged_into=survivor,
    )


# --- handing over -------------------------------------------------------------------------------


@pytest.mark.parametrize("agency", ["none", "the same agency", "another kabupaten's", "the province's"])
def test_an_item_is_handed_only_to_another_agency_of_the_same_kabupaten(forum_of, agency_officer, pupr, ladder, agency):
    _forum, decisions = forum_of("agency")
    handed_to = {
        "none": None,
        "the same agency": pupr,
        "another kabupaten's": AgencyFactory(region=ladder["18.01"], code="1.02.01", short_name="Dinkes Lamsel"),
        "the province's": AgencyFactory(region=ladder["18"], code="1.02.01", short_name="Dinkes Provinsi"),
    }[agency]
    assert_refused(
        "Choose another agency of this kabupaten/kota to hand the item to.",
        decisions[0],
        actor=agency_officer,
        outcome=Outcome.HANDED_OVER,
        reason="Bukan urusan PUPR.",
        handed_to=handed_to,
    )


def test_an_item_cannot_be_handed_back_to_an_agency_that_handed_it_on(
    forum_of, agency_officer, other_agency_officer, pupr, dinkes
):
    _forum, decisions = forum_of("agency")
    forums_workflow.decide(
        actor=agency_officer,
        decision=decisions[0],
        outcome=Outcome.HANDED_OVER,
        reason="Urusan kesehatan.",
        handed_to=dinkes,
    )
    at_dinkes = Decision.objects.get(forum__agency=dinkes)
    assert_refused(
        "This item has already been in the forum of Dinas PUPR; it cannot be handed there again.",
        at_dinkes,
        actor=other_agency_officer,
        outcome=Outcome.HANDED_OVER,
        reason="Tetap urusan PUPR.",
        handed_to=pupr,
    )


# --- who decides, and when ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "persona"), [(key, persona) for key in FORUMS for persona in PERSONAS if persona != FORUMS[key][3]]
)
def test_only_the_officers_who_run_a_forum_decide_in_it(forum_of, request, key, persona):
    _forum, decisions = forum_of(key)
    assert_refused(
        "Only the officers who run this forum can change it.",
        decisions[0],
        actor=request.getfixturevalue(persona),
        outcome=Outcome.ACCEPTED,
    )


@pytest.mark.parametrize("key", ["desa", "kecamatan", "agency", "kabupaten"])
def test_a_returned_item_cannot_be_decided_before_its_village_resubmits_it(forum_of, runner, key):
    _forum, decisions = forum_of(key)
    forums_workflow.decide(actor=runner(key), decision=decisions[0], outcome=Outcome.RETURNED, reason="Lengkapi RAB.")
    assert_refused(
        "This item has left this forum; it can no longer be decided here.",
        decisions[0],
        actor=runner(key),
        outcome=Outcome.ACCEPTED,
    )
    assert snapshot(decisions[0])["status"] == Status.RETURNED


def test_a_handed_over_item_cannot_be_decided_again_by_the_agency_that_handed_it_on(forum_of, agency_officer, dinkes):
    _forum, decisions = forum_of("agency")
    forums_workflow.decide(
        actor=agency_officer, decision=decisions[0], outcome=Outcome.HANDED_OVER, reason="Kesehatan.", handed_to=dinkes
    )
    assert_refused(
        "This item has left this forum; it can no longer be decided here.",
        decisions[0],
        actor=agency_officer,
        outcome=Outcome.ACCEPTED,
    )
    assert snapshot(decisions[0])["outcome"] == Outcome.HANDED_OVER


def test_a_resubmitted_item_is_pending_again_and_can_be_decided(forum_of, kecamatan_operator, village_operator):
    forum, decisions = forum_of("kecamatan")
    forums_workflow.decide(
        actor=kecamatan_operator, decision=decisions[0], outcome=Outcome.RETURNED, reason="Lengkapi RAB."
    )
    workflow.resubmit_proposal(actor=village_operator, proposal=decisions[0].proposal)
    assert snapshot(decisions[0])["outcome"] == ""
    forums_workflow.decide(actor=kecamatan_operator, decision=decisions[0], outcome=Outcome.ACCEPTED)
    assert list(
        ProposalEvent.objects.filter(proposal=decisions[0].proposal).values_list(
            "action", "from_status", "to_status", "forum"
        )
    ) == [
        (EventAction.RETURNED, Status.SUBMITTED, Status.RETURNED, forum.pk),
        (EventAction.RESUBMITTED, Status.RETURNED, Status.SUBMITTED, forum.pk),
        (EventAction.DECIDED, Status.SUBMITTED, Status.SUBMITTED, forum.pk),
    ]


def test_nothing_is_decided_in_an_approved_forum(settings, tmp_path, ladder, intake, village_operator, pupr):
    settings.MEDIA_ROOT = tmp_path
    proposals = [
        workflow.submit_proposal(
            actor=village_operator,
            proposal=ProposalFactory(village=ladder["18.02.01.2003"], target_agency=pupr, created_by=village_operator),
        )
        for _ in range(2)
    ]
    forum = Forum.objects.get(level=Level.DESA)
    for decision in forum.decisions.all():
        forums_workflow.decide(actor=village_operator, decision=decision, outcome=Outcome.ACCEPTED)
    forums_workflow.update_forum(
        actor=village_operator, forum=forum, held_on=datetime.date(2026, 1, 12), place="Balai Desa", chair_name="Kades"
    )
    attend(village_operator, forum)
    for name, gender in (("Siti", "P"), ("Budi", "L"), ("Agus", "L")):
        forums_workflow.add_delegate(actor=village_operator, forum=forum, name=name, gender=gender)
    forums_workflow.approve_forum(actor=village_operator, forum=forum)

    decision = Decision.objects.get(forum=forum, proposal=proposals[0])
    assert_refused(
        f"Musrenbang Desa Kalirejo {forum.planning_year} has been approved; its decisions can no longer change.",
        decision,
        actor=village_operator,
        outcome=Outcome.REJECTED,
        reason="Berubah pikiran.",
    )
    assert snapshot(decision)["outcome"] == Outcome.ACCEPTED
    assert MinutesDocument.objects.filter(forum=forum).count() == 1

    # Nor does a late draft enter it.
    late = ProposalFactory(village=ladder["18.02.01.2003"], target_agency=pupr, created_by=village_operator)
    before = proposal_state(late)
    with pytest.raises(WorkflowError) as refused:
        workflow.submit_proposal(actor=village_operator, proposal=late)
    assert str(refused.value) == (
        f"Musrenbang Desa Kalirejo {forum.planning_year} has been approved; its decisions can no longer change."
    )
    assert proposal_state(late) == before


# --- submitting and resubmitting ----------------------------------------------------------------


def proposal_state(proposal: Proposal) -> tuple:
    row = Proposal.objects.get(pk=proposal.pk)
    return (
        row.status,
        row.level,
        row.tracking_code,
        row.submitted_at,
        ProposalEvent.objects.count(),
        list(Decision.objects.values_list("forum", "proposal", "outcome")),
    )


def test_a_draft_cannot_be_submitted_twice(ladder, intake, village_operator, pupr):
    draft = ProposalFactory(village=ladder["18.02.01.2003"], target_agency=pupr, created_by=village_operator)
    workflow.submit_proposal(actor=village_operator, proposal=draft)
    before = proposal_state(draft)
    assert before[0] == Status.SUBMITTED
    assert len(before[5]) == 1

    with pytest.raises(WorkflowError) as refused:
        workflow.submit_proposal(actor=village_operator, proposal=draft)

    assert str(refused.value) == "A proposal that is submitted cannot be submitted."
    assert proposal_state(draft) == before


def test_a_village_cannot_submit_another_villages_draft(ladder, intake, village_operator, neighbour_village_operator):
    draft = ProposalFactory(village=ladder["18.02.01.2003"], created_by=village_operator)
    before = proposal_state(draft)
    with pytest.raises(WorkflowError) as refused:
        workflow.submit_proposal(actor=neighbour_village_operator, proposal=draft)
    assert str(refused.value) == "You may not do this to this proposal."
    assert proposal_state(draft) == before


@pytest.mark.parametrize("state", ["draft", "submitted", "accepted", "rejected", "returned, by another village"])
def test_only_a_returned_item_is_resubmitted_and_only_by_its_own_village(
    forum_of, kecamatan_operator, village_operator, neighbour_village_operator, ladder, state
):
    _forum, decisions = forum_of("kecamatan")
    proposal = decisions[0].proposal
    actor = village_operator
    match state:
        case "draft":
            proposal = ProposalFactory(village=ladder["18.02.01.2003"], created_by=village_operator)
        case "accepted":
            forums_workflow.decide(actor=kecamatan_operator, decision=decisions[0], outcome=Outcome.ACCEPTED)
        case "rejected":
            forums_workflow.decide(
                actor=kecamatan_operator, decision=decisions[0], outcome=Outcome.REJECTED, reason="Tidak."
            )
        case "returned, by another village":
            forums_workflow.decide(
                actor=kecamatan_operator, decision=decisions[0], outcome=Outcome.RETURNED, reason="RAB."
            )
            actor = neighbour_village_operator
    before = proposal_state(proposal)

    with pytest.raises(WorkflowError) as refused:
        workflow.resubmit_proposal(actor=actor, proposal=proposal)

    assert str(refused.value) == "Only a returned proposal can be submitted again, by its own village."
    assert proposal_state(proposal) == before


# --- who opens each forum ---------------------------------------------------------------------

# persona -> the forums (by key) they open; every other one is a 404. Each sees its own region's
# forums and those below it, and the Musrenbang forums above it; an agency officer its own
# agency's forum and the Musrenbang of its kabupaten/kota and above.
OPENS = {
    "village_operator": {"desa", "kecamatan", "kabupaten", "provinsi"},
    "neighbour_village_operator": {"kecamatan", "kabupaten", "provinsi"},
    "kecamatan_operator": {"desa", "kecamatan", "kabupaten", "provinsi"},
    "other_kecamatan_operator": {"kabupaten", "provinsi"},
    "agency_officer": {"agency", "kabupaten", "provinsi"},
    "other_agency_officer": {"kabupaten", "provinsi"},
    "bappeda_kabupaten": set(FORUMS),
    "other_bappeda_kabupaten": {"provinsi"},
    "bappeda_provinsi": set(FORUMS),
    "other_bappeda_provinsi": set(),
    "admin_user": set(FORUMS),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_officer_opens_exactly_the_forums_their_forum_lists_show(forum_of, request, persona):
    user = request.getfixturevalue(persona)
    forums = {key: forum_of(key)[0] for key in FORUMS}

    def opens(forum) -> bool:
        try:
            return access.get_forum_for_user(user, forum.pk) == forum
        except Http404:
            return False

    # One forum's page decides in Python, the lists filter in SQL: the same rule, on the forum's codes.
    listed = set(Forum.objects.filter(access.forum_scope_filter(user)).values_list("pk", flat=True))
    assert {key for key, forum in forums.items() if opens(forum)} == OPENS[persona]
    assert {key for key, forum in forums.items() if forum.pk in listed} == OPENS[persona]


def test_a_forum_carries_its_regions_code_and_no_forum_is_written_without_it(forum_of, ladder, planning_year):
    """The codes the scope above reads are copied when a forum is made; a path that writes forums
    past save() and forgets them is refused by the database, not left out of every officer's list."""
    forums = [forum_of(key)[0] for key in FORUMS]
    assert {(f.region_code, f.province_code) for f in forums} == {
        (f.region.code, f.region.code.split(".")[0]) for f in forums
    }
    before = Forum.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        Forum.objects.bulk_create(
            [Forum(planning_year=planning_year, level=Level.DESA, region=ladder["18.02.01.2001"])]
        )
    assert Forum.objects.count() == before
