"""The forum follow-ups, driven through forums/workflow/ (and the pages at /musyawarah/):

- the figures a forum agrees travel up with the item (Decision.incoming_volume/incoming_cost);
- a returned item that never comes back can be closed as not agreed;
- no merge chains, and no approval while a merged item's survivor is not agreed;
- scores are whole numbers from 1 to 5, and only items still in the forum are scored;
- criteria freeze once any item of the region's forums is scored, with inherited criteria too;
- the Musrenbang forums above a user's region can be read, not changed;
- only a kabupaten's Bappeda sets ceilings.

Items come from Desa Kalirejo (18.02.01.2003) and Sri Way Langsep (18.02.01.2001), both in
Kecamatan Kalirejo of Lampung Tengah, and are aimed at Dinas PUPR unless said otherwise.
Messages are read in English.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from forums import access as forums_access
from forums import workflow as forums_workflow
from forums.models import Ceiling, Criterion, Decision, Forum, ForumKind, ForumStatus, MinutesDocument, Outcome, Score
from forums.queries import ranking
from proposals import workflow
from proposals.models import EventAction, Proposal, ProposalEvent, Status
from proposals.workflow import WorkflowError
from regions.models import Level

from .factories import ProposalFactory, UserFactory, attend, open_intake

BRIDGE = "Jembatan gantung Way Pengubuan"
ROAD = "Rabat beton jalan Dusun Karangsari"
WELL = "Sumur bor mushola Al-Ikhlas"
CANAL = "Saluran irigasi tersier Blok C"

DESA, KEC, KAB, PROV = Level.DESA, Level.KECAMATAN, Level.KABUPATEN, Level.PROVINSI
M = 1_000_000

LEFT_FORUM = "This item has left this forum; it can no longer be decided here."
DECIDED_SINCE = "The forum has since decided on this proposal; it can no longer be submitted again."
MERGE_CHAIN = "Other items are merged into this one; it must survive, or merge them elsewhere first."
ORPHANS = "1 item(s) are merged into an item that is not agreed"
BAD_SCORE = "Each score must be a whole number from 1 to 5."
CRITERIA_FROZEN = "Items have already been scored with these criteria; they can no longer change."

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


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # Approving a forum stores its minutes.
    settings.MEDIA_ROOT = tmp_path


# --- helpers: the officers' moves, through the workflow ----------------------------------------


def submit(operator, title, *, cost=150 * M, volume=Decimal("100"), agency=None) -> Proposal:
    """A draft of the operator's village, submitted into its Musrenbang Desa."""
    draft = ProposalFactory(
        village=operator.region,
        created_by=operator,
        title=title,
        estimated_cost=cost,
        volume=volume,
        target_agency=agency,
    )
    return workflow.submit_proposal(actor=operator, proposal=draft)


def musrenbang(level, region) -> Forum:
    return Forum.objects.get(kind=ForumKind.MUSRENBANG, level=level, region=region)


def agency_forum(agency) -> Forum:
    return Forum.objects.get(kind=ForumKind.AGENCY, agency=agency)


def row(forum: Forum, title: str) -> Decision:
    """The forum's decision on the item of this title, read afresh."""
    return Decision.objects.select_related("proposal").get(forum=forum, proposal__title=title)


def decide(actor, forum: Forum, title: str, outcome: str, **details) -> Decision:
    return forums_workflow.decide(actor=actor, decision=row(forum, title), outcome=outcome, **details)


def approve(actor, forum: Forum) -> MinutesDocument:
    """Fill the minutes' details, elect delegates where the level elects them, and approve."""
    forums_workflow.update_forum(
        actor=actor, forum=forum, held_on=datetime.date(2026, 2, 10), place="Aula", chair_name="Drs. Suparman"
    )
    attend(actor, forum)
    if forum.kind == ForumKind.MUSRENBANG and forum.level in (DESA, KEC):
        for name, gender in (("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Ketut Wirawan", "L")):
            forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)
    return forums_workflow.approve_forum(actor=actor, forum=forum)


def figures(decision: Decision) -> tuple:
    """(incoming volume, incoming cost, volume, cost) of a decision read back from the database."""
    decision = Decision.objects.select_related("proposal").get(pk=decision.pk)
    return decision.incoming_volume, decision.incoming_cost, decision.volume, decision.cost


def snapshot(decision: Decision) -> dict:
    """Everything a refused move must leave as it was."""
    decision = Decision.objects.get(pk=decision.pk)
    proposal = Proposal.objects.get(pk=decision.proposal_id)
    return {
        "outcome": decision.outcome,
        "reason": decision.reason,
        "adjusted": (decision.adjusted_volume, decision.adjusted_cost),
        "incoming": (decision.incoming_volume, decision.incoming_cost),
        "merged_into": decision.merged_into_id,
        "handed_to": decision.handed_to_id,
        "score": decision.score,
        "status": proposal.status,
        "level": proposal.level,
        "current_agency": proposal.current_agency_id,
        "events": ProposalEvent.objects.count(),
        "decisions": Decision.objects.count(),
        "scores": Score.objects.count(),
        "forums": list(Forum.objects.order_by("pk").values_list("pk", "status")),
    }


def refused(message: str, verb, **kwargs) -> None:
    """verb(**kwargs) fails with exactly `message`."""
    with pytest.raises(WorkflowError) as error:
        verb(**kwargs)
    assert str(error.value) == message


def set_criteria(actor, year):
    return forums_workflow.set_criteria(actor=actor, planning_year=year, criteria=[("Urgensi", 60), ("Manfaat", 40)])


def criteria_rows() -> list[tuple]:
    return list(Criterion.objects.order_by("pk").values_list("pk", "region__code", "name", "weight"))


@pytest.fixture
def at_kecamatan(ladder, intake, pupr, village_operator, neighbour_village_operator, kecamatan_operator):
    """ROAD and WELL (Kalirejo) and CANAL (Sri Way Langsep), agreed by their villages, wait in the
    Musrenbang of Kecamatan Kalirejo."""
    for title in (ROAD, WELL):
        submit(village_operator, title, agency=pupr)
    submit(neighbour_village_operator, CANAL, agency=pupr)
    for operator, region in ((village_operator, "18.02.01.2003"), (neighbour_village_operator, "18.02.01.2001")):
        forum = musrenbang(DESA, ladder[region])
        for decision in forum.decisions.all():
            forums_workflow.decide(actor=operator, decision=decision, outcome=Outcome.ACCEPTED)
        approve(operator, forum)
    return musrenbang(KEC, ladder["18.02.01"])


@pytest.fixture
def at_pupr(at_kecamatan, kecamatan_operator, pupr):
    """The three items, agreed by the kecamatan, wait in the Forum Perangkat Daerah of Dinas PUPR."""
    for decision in at_kecamatan.decisions.all():
        forums_workflow.decide(actor=kecamatan_operator, decision=decision, outcome=Outcome.ACCEPTED)
    approve(kecamatan_operator, at_kecamatan)
    return agency_forum(pupr)


# --- 1. agreed figures travel up ---------------------------------------------------------------


def test_the_desa_forum_starts_from_the_village_estimate(ladder, intake, pupr, village_operator):
    submit(village_operator, BRIDGE, cost=400 * M, volume=Decimal("100"), agency=pupr)

    decision = row(musrenbang(DESA, ladder["18.02.01.2003"]), BRIDGE)

    assert figures(decision) == (Decimal("100"), 400 * M, Decimal("100"), 400 * M)


def test_figures_accepted_with_changes_arrive_at_the_next_forum_and_count_in_its_ranking(
    ladder, intake, pupr, village_operator, kecamatan_operator, bappeda_kabupaten
):
    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten, planning_year=intake.planning_year, kecamatan=ladder["18.02.01"], amount=450 * M
    )
    submit(village_operator, BRIDGE, cost=400 * M, volume=Decimal("100"), agency=pupr)
    submit(village_operator, ROAD, cost=100 * M, volume=Decimal("250"), agency=pupr)
    desa = musrenbang(DESA, ladder["18.02.01.2003"])
    decide(
        village_operator,
        desa,
        BRIDGE,
        Outcome.ACCEPTED_CHANGED,
        reason="Bentang disesuaikan hasil survei.",
        adjusted_volume=Decimal("80"),
        adjusted_cost=350 * M,
    )
    decide(village_operator, desa, ROAD, Outcome.ACCEPTED)
    approve(village_operator, desa)

    kecamatan = musrenbang(KEC, ladder["18.02.01"])
    assert figures(row(kecamatan, BRIDGE)) == (Decimal("80"), 350 * M, Decimal("80"), 350 * M)
    assert figures(row(kecamatan, ROAD)) == (Decimal("250"), 100 * M, Decimal("250"), 100 * M)
    # The village's own record keeps its first estimate.
    assert Proposal.objects.filter(title=BRIDGE).values_list("volume", "estimated_cost").get() == (
        Decimal("100"),
        400 * M,
    )

    decide(kecamatan_operator, kecamatan, BRIDGE, Outcome.ACCEPTED)
    decide(kecamatan_operator, kecamatan, ROAD, Outcome.ACCEPTED)
    result = ranking(kecamatan)

    # With the village's estimate the total would be Rp500 million, past the Rp450 million ceiling.
    assert [(r.decision.proposal.title, r.running_total) for r in result.rows] == [
        (BRIDGE, 350 * M),
        (ROAD, 450 * M),
    ]
    assert (result.agreed_total, result.below_line) == (450 * M, [])

    approve(kecamatan_operator, kecamatan)

    # Accepted as they came, the figures climb on unchanged.
    assert figures(row(agency_forum(pupr), BRIDGE)) == (Decimal("80"), 350 * M, Decimal("80"), 350 * M)


def test_a_hand_over_keeps_the_incoming_figures(
    at_kecamatan, ladder, kecamatan_operator, agency_officer, other_agency_officer, pupr, dinkes
):
    decide(
        kecamatan_operator,
        at_kecamatan,
        ROAD,
        Outcome.ACCEPTED_CHANGED,
        reason="Panjang ruas disesuaikan.",
        adjusted_volume=Decimal("80"),
        adjusted_cost=350 * M,
    )
    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.ACCEPTED)
    decide(kecamatan_operator, at_kecamatan, CANAL, Outcome.ACCEPTED)
    approve(kecamatan_operator, at_kecamatan)
    pupr_forum = agency_forum(pupr)
    assert figures(row(pupr_forum, ROAD)) == (Decimal("80"), 350 * M, Decimal("80"), 350 * M)

    decide(agency_officer, pupr_forum, ROAD, Outcome.HANDED_OVER, reason="Urusan kesehatan.", handed_to=dinkes)

    dinkes_forum = agency_forum(dinkes)
    assert figures(row(dinkes_forum, ROAD)) == (Decimal("80"), 350 * M, Decimal("80"), 350 * M)
    assert figures(row(pupr_forum, ROAD)) == (Decimal("80"), 350 * M, Decimal("80"), 350 * M)

    # And on from the agency that took it over to the kabupaten's Musrenbang.
    decide(agency_officer, pupr_forum, WELL, Outcome.ACCEPTED)
    decide(agency_officer, pupr_forum, CANAL, Outcome.ACCEPTED)
    approve(agency_officer, pupr_forum)
    decide(other_agency_officer, dinkes_forum, ROAD, Outcome.ACCEPTED)
    approve(other_agency_officer, dinkes_forum)

    kabupaten = musrenbang(KAB, ladder["18.02"])
    assert figures(row(kabupaten, ROAD)) == (Decimal("80"), 350 * M, Decimal("80"), 350 * M)
    assert figures(row(kabupaten, WELL)) == (Decimal("100"), 150 * M, Decimal("100"), 150 * M)


def test_a_returned_item_revised_and_resubmitted_arrives_with_the_revised_figures(
    ladder, intake, pupr, village_operator, kecamatan_operator
):
    submit(village_operator, BRIDGE, cost=400 * M, volume=Decimal("100"), agency=pupr)
    desa = musrenbang(DESA, ladder["18.02.01.2003"])
    decide(
        village_operator,
        desa,
        BRIDGE,
        Outcome.ACCEPTED_CHANGED,
        reason="Bentang disesuaikan hasil survei.",
        adjusted_volume=Decimal("80"),
        adjusted_cost=350 * M,
    )
    approve(village_operator, desa)
    kecamatan = musrenbang(KEC, ladder["18.02.01"])
    decide(kecamatan_operator, kecamatan, BRIDGE, Outcome.RETURNED, reason="RAB belum dilampirkan.")
    assert figures(row(kecamatan, BRIDGE)) == (Decimal("80"), 350 * M, Decimal("80"), 350 * M)

    revised = Proposal.objects.get(title=BRIDGE)
    revised.estimated_cost = 300 * M
    workflow.update_proposal(actor=village_operator, proposal=revised)
    workflow.resubmit_proposal(actor=village_operator, proposal=revised)

    decision = row(kecamatan, BRIDGE)
    assert (decision.outcome, decision.decided_by, decision.proposal.status) == ("", None, Status.SUBMITTED)
    assert figures(decision) == (Decimal("100"), 300 * M, Decimal("100"), 300 * M)

    decide(kecamatan_operator, kecamatan, BRIDGE, Outcome.ACCEPTED)
    approve(kecamatan_operator, kecamatan)

    assert figures(row(agency_forum(pupr), BRIDGE)) == (Decimal("100"), 300 * M, Decimal("100"), 300 * M)


# --- 2. a returned item that never comes back --------------------------------------------------


def test_a_returned_item_that_never_comes_back_is_closed_as_not_agreed_at_approval(
    at_kecamatan, kecamatan_operator, pupr
):
    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.RETURNED, reason="RAB belum dilampirkan.")

    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.REJECTED, reason="Tidak kembali dari desa.")

    decision = row(at_kecamatan, WELL)
    assert (decision.outcome, decision.reason, decision.decided_by) == (
        Outcome.REJECTED,
        "Tidak kembali dari desa.",
        kecamatan_operator,
    )
    assert decision.proposal.status == Status.RETURNED  # until the forum is approved
    assert ProposalEvent.objects.filter(proposal=decision.proposal).latest("pk").action == EventAction.DECIDED

    decide(kecamatan_operator, at_kecamatan, ROAD, Outcome.ACCEPTED)
    decide(kecamatan_operator, at_kecamatan, CANAL, Outcome.ACCEPTED)
    approve(kecamatan_operator, at_kecamatan)

    well = Proposal.objects.get(title=WELL)
    assert (well.status, well.level) == (Status.REJECTED, KEC)
    closed = ProposalEvent.objects.filter(proposal=well).latest("pk")
    assert (closed.action, closed.from_status, closed.to_status, closed.forum_id, closed.note) == (
        EventAction.CLOSED,
        Status.RETURNED,
        Status.REJECTED,
        at_kecamatan.pk,
        "Tidak kembali dari desa.",
    )
    assert Forum.objects.get(pk=at_kecamatan.pk).status == ForumStatus.APPROVED
    assert set(agency_forum(pupr).decisions.values_list("proposal__title", flat=True)) == {ROAD, CANAL}


@pytest.mark.parametrize(
    ("outcome", "details"),
    [
        (Outcome.ACCEPTED, {}),
        (
            Outcome.ACCEPTED_CHANGED,
            {"reason": "Disesuaikan.", "adjusted_volume": Decimal("50"), "adjusted_cost": 90 * M},
        ),
        (Outcome.RETURNED, {"reason": "Sekali lagi."}),
        (Outcome.MERGED, {"reason": "Sama.", "merged_into": "ROAD"}),
        (Outcome.VILLAGE_BUDGET, {"reason": "Skala desa."}),
    ],
)
def test_a_returned_item_takes_no_outcome_but_not_agreed(at_kecamatan, kecamatan_operator, outcome, details):
    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.RETURNED, reason="RAB belum dilampirkan.")
    if details.get("merged_into") == "ROAD":
        details = {**details, "merged_into": Proposal.objects.get(title=ROAD)}
    decision = row(at_kecamatan, WELL)
    before = snapshot(decision)

    refused(LEFT_FORUM, forums_workflow.decide, actor=kecamatan_operator, decision=decision, outcome=outcome, **details)

    assert snapshot(decision) == before


@pytest.mark.parametrize(
    ("outcome", "reason"), [(Outcome.ACCEPTED, ""), (Outcome.REJECTED, "Lain kali."), (Outcome.RETURNED, "Lagi.")]
)
def test_a_returned_item_closed_as_not_agreed_takes_no_further_outcome(
    at_kecamatan, kecamatan_operator, outcome, reason
):
    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.RETURNED, reason="RAB belum dilampirkan.")
    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.REJECTED, reason="Tidak kembali dari desa.")
    decision = row(at_kecamatan, WELL)
    before = snapshot(decision)

    refused(
        LEFT_FORUM, forums_workflow.decide, actor=kecamatan_operator, decision=decision, outcome=outcome, reason=reason
    )

    assert snapshot(decision) == before


def test_a_returned_item_closed_as_not_agreed_cannot_be_resubmitted_by_its_village(
    at_kecamatan, kecamatan_operator, village_operator
):
    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.RETURNED, reason="RAB belum dilampirkan.")
    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.REJECTED, reason="Tidak kembali dari desa.")
    decision = row(at_kecamatan, WELL)
    before = snapshot(decision)

    refused(DECIDED_SINCE, workflow.resubmit_proposal, actor=village_operator, proposal=decision.proposal)

    assert snapshot(decision) == before
    assert not ProposalEvent.objects.filter(proposal=decision.proposal, action=EventAction.RESUBMITTED).exists()


# --- 3. merge chains ---------------------------------------------------------------------------


def test_an_item_others_are_merged_into_cannot_itself_be_merged(at_kecamatan, kecamatan_operator):
    road, canal = Proposal.objects.get(title=ROAD), Proposal.objects.get(title=CANAL)
    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.MERGED, reason="Lokasi sama.", merged_into=road)
    decision = row(at_kecamatan, ROAD)
    before = snapshot(decision)

    refused(
        MERGE_CHAIN,
        forums_workflow.decide,
        actor=kecamatan_operator,
        decision=decision,
        outcome=Outcome.MERGED,
        reason="Ruas yang sama.",
        merged_into=canal,
    )

    assert snapshot(decision) == before
    assert row(at_kecamatan, WELL).merged_into == road


@pytest.mark.parametrize(
    ("outcome", "reason"), [(Outcome.REJECTED, "Bukan prioritas."), (Outcome.VILLAGE_BUDGET, "Skala desa.")]
)
def test_approval_is_refused_while_a_merged_items_survivor_is_not_agreed(
    at_kecamatan, ladder, kecamatan_operator, outcome, reason
):
    road = Proposal.objects.get(title=ROAD)
    decide(kecamatan_operator, at_kecamatan, WELL, Outcome.MERGED, reason="Lokasi sama.", merged_into=road)
    decide(kecamatan_operator, at_kecamatan, ROAD, outcome, reason=reason)
    decide(kecamatan_operator, at_kecamatan, CANAL, Outcome.ACCEPTED)
    forums_before = Forum.objects.count()

    with pytest.raises(WorkflowError) as error:
        approve(kecamatan_operator, at_kecamatan)

    assert str(error.value).startswith(f"{ORPHANS}: {WELL}.")
    assert Forum.objects.get(pk=at_kecamatan.pk).status != ForumStatus.APPROVED
    assert Forum.objects.count() == forums_before
    assert not MinutesDocument.objects.filter(forum=at_kecamatan).exists()
    assert set(Proposal.objects.filter(level=KEC).values_list("title", "status")) == {
        (ROAD, Status.SUBMITTED),
        (WELL, Status.SUBMITTED),
        (CANAL, Status.SUBMITTED),
    }

    # Once the survivor is agreed, the forum closes and the merged item ends merged into it.
    decide(kecamatan_operator, at_kecamatan, ROAD, Outcome.ACCEPTED)
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=at_kecamatan)

    well = Proposal.objects.get(title=WELL)
    assert (well.status, well.merged_into) == (Status.MERGED, road)


# --- 4. scoring --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [3.7, "abc", 0, 6, -1, None, Decimal("2.5"), "4,5"])
def test_a_score_that_is_not_a_whole_number_from_1_to_5_is_refused(
    at_kecamatan, kecamatan_operator, bappeda_kabupaten, intake, value
):
    urgency, benefit = set_criteria(bappeda_kabupaten, intake.planning_year)
    decision = row(at_kecamatan, ROAD)
    before = snapshot(decision)

    refused(
        BAD_SCORE,
        forums_workflow.score,
        actor=kecamatan_operator,
        decision=decision,
        values={urgency: 4, benefit: value},
    )

    assert snapshot(decision) == before
    assert not Score.objects.exists()
    assert not ProposalEvent.objects.filter(action=EventAction.SCORED).exists()


def test_whole_scores_given_as_text_or_decimals_are_stored_as_numbers(
    at_kecamatan, kecamatan_operator, bappeda_kabupaten, intake
):
    urgency, benefit = set_criteria(bappeda_kabupaten, intake.planning_year)

    forums_workflow.score(
        actor=kecamatan_operator, decision=row(at_kecamatan, ROAD), values={urgency: "4", benefit: Decimal("3.0")}
    )

    assert set(Score.objects.values_list("criterion__name", "value")) == {("Urgensi", 4), ("Manfaat", 3)}
    assert row(at_kecamatan, ROAD).score == Decimal("3.60")


def test_a_returned_item_cannot_be_scored(at_kecamatan, kecamatan_operator, bappeda_kabupaten, intake):
    urgency, benefit = set_criteria(bappeda_kabupaten, intake.planning_year)
    decide(kecamatan_operator, at_kecamatan, ROAD, Outcome.RETURNED, reason="RAB belum dilampirkan.")
    decision = row(at_kecamatan, ROAD)
    before = snapshot(decision)

    refused(
        LEFT_FORUM, forums_workflow.score, actor=kecamatan_operator, decision=decision, values={urgency: 4, benefit: 3}
    )

    assert snapshot(decision) == before
    assert not Score.objects.exists()


def test_a_handed_over_item_cannot_be_scored_by_the_forum_that_handed_it_over(
    at_pupr, agency_officer, other_agency_officer, bappeda_kabupaten, intake, dinkes
):
    urgency, benefit = set_criteria(bappeda_kabupaten, intake.planning_year)
    decide(agency_officer, at_pupr, ROAD, Outcome.HANDED_OVER, reason="Urusan kesehatan.", handed_to=dinkes)
    decision = row(at_pupr, ROAD)
    before = snapshot(decision)

    refused(LEFT_FORUM, forums_workflow.score, actor=agency_officer, decision=decision, values={urgency: 4, benefit: 3})

    assert snapshot(decision) == before
    assert not Score.objects.exists()

    # The agency that took it over scores it in its own forum.
    forums_workflow.score(
        actor=other_agency_officer, decision=row(agency_forum(dinkes), ROAD), values={urgency: 5, benefit: 5}
    )
    assert list(Score.objects.values_list("decision__forum__agency", flat=True).distinct()) == [dinkes.pk]


# --- 5. criteria freeze once scored -------------------------------------------------------------


def test_a_kabupaten_cannot_replace_the_province_criteria_its_forums_have_scored_with(
    at_kecamatan, kecamatan_operator, bappeda_kabupaten, bappeda_provinsi, intake
):
    year = intake.planning_year
    urgency, benefit = set_criteria(bappeda_provinsi, year)
    forums_workflow.score(actor=kecamatan_operator, decision=row(at_kecamatan, ROAD), values={urgency: 4, benefit: 3})
    before = criteria_rows()
    assert [code for _pk, code, _name, _weight in before] == ["18", "18"]

    refused(
        CRITERIA_FROZEN,
        forums_workflow.set_criteria,
        actor=bappeda_kabupaten,
        planning_year=year,
        criteria=[("Kemiskinan", 50), ("Dampak", 50)],
    )

    assert criteria_rows() == before
    assert Score.objects.count() == 2


def test_the_province_cannot_change_criteria_a_kecamatan_forum_has_scored_with(
    at_kecamatan, kecamatan_operator, bappeda_provinsi, intake
):
    year = intake.planning_year
    urgency, benefit = set_criteria(bappeda_provinsi, year)
    forums_workflow.score(actor=kecamatan_operator, decision=row(at_kecamatan, ROAD), values={urgency: 4, benefit: 3})
    before = criteria_rows()

    refused(
        CRITERIA_FROZEN,
        forums_workflow.set_criteria,
        actor=bappeda_provinsi,
        planning_year=year,
        criteria=[("Kemiskinan", 50), ("Dampak", 50)],
    )

    assert criteria_rows() == before


def test_a_kabupaten_sets_its_criteria_until_an_item_of_its_forums_is_scored(
    at_kecamatan, kecamatan_operator, bappeda_kabupaten, bappeda_provinsi, intake
):
    year = intake.planning_year
    set_criteria(bappeda_provinsi, year)
    set_criteria(bappeda_kabupaten, year)
    forums_workflow.set_criteria(
        actor=bappeda_kabupaten, planning_year=year, criteria=[("Kemiskinan", 70), ("Dampak", 30)]
    )
    poverty, impact = Criterion.objects.filter(region__code="18.02").order_by("position")
    forums_workflow.score(actor=kecamatan_operator, decision=row(at_kecamatan, ROAD), values={poverty: 4, impact: 3})
    before = criteria_rows()

    refused(
        CRITERIA_FROZEN,
        forums_workflow.set_criteria,
        actor=bappeda_kabupaten,
        planning_year=year,
        criteria=[("Urgensi", 60), ("Manfaat", 40)],
    )

    assert criteria_rows() == before
    assert [(name, weight) for _pk, code, name, weight in before if code == "18.02"] == [
        ("Kemiskinan", 70),
        ("Dampak", 30),
    ]


def test_a_score_in_another_kabupaten_does_not_freeze_the_criteria(ladder, intake, bappeda_kabupaten, bappeda_provinsi):
    year = intake.planning_year
    urgency, benefit = set_criteria(bappeda_provinsi, year)
    open_intake(ladder["18.01"])
    natar_operator = UserFactory(username="desa.merakbatin", role=Role.VILLAGE_OPERATOR, region=ladder["18.01.01.2001"])
    submit(natar_operator, ROAD)
    desa = musrenbang(DESA, ladder["18.01.01.2001"])
    forums_workflow.score(actor=natar_operator, decision=row(desa, ROAD), values={urgency: 4, benefit: 3})

    set_criteria(bappeda_kabupaten, year)

    assert sorted(code for _pk, code, _name, _weight in criteria_rows()) == ["18", "18", "18.02", "18.02"]


# --- 6. forums above a user's region: read, never change ----------------------------------------


@pytest.fixture
def walked(
    ladder, intake, pupr, village_operator, kecamatan_operator, agency_officer, bappeda_kabupaten, bappeda_provinsi
):
    """ROAD climbs from Desa Kalirejo to the province's Musrenbang; every forum on the way is approved.
    Beside it: the Musrenbang of the neighbouring village and of the neighbouring kecamatan."""
    submit(village_operator, ROAD, agency=pupr)
    steps = [
        (village_operator, lambda: musrenbang(DESA, ladder["18.02.01.2003"]), Outcome.ACCEPTED, ""),
        (kecamatan_operator, lambda: musrenbang(KEC, ladder["18.02.01"]), Outcome.ACCEPTED, ""),
        (agency_officer, lambda: agency_forum(pupr), Outcome.ACCEPTED, ""),
        (bappeda_kabupaten, lambda: musrenbang(KAB, ladder["18.02"]), Outcome.TO_PROVINCE, "Kewenangan provinsi."),
        (bappeda_provinsi, lambda: musrenbang(PROV, ladder["18"]), Outcome.ACCEPTED, ""),
    ]
    for actor, forum_of, outcome, reason in steps:
        forum = forum_of()
        decide(actor, forum, ROAD, outcome, reason=reason)
        approve(actor, forum)
    assert Proposal.objects.get(title=ROAD).status == Status.ACCOMMODATED
    year = intake.planning_year
    for level, code in ((DESA, "18.02.01.2001"), (KEC, "18.02.02")):
        Forum.objects.create(planning_year=year, kind=ForumKind.MUSRENBANG, level=level, region=ladder[code])
    return {
        "kecamatan": musrenbang(KEC, ladder["18.02.01"]),
        "kabupaten": musrenbang(KAB, ladder["18.02"]),
        "provinsi": musrenbang(PROV, ladder["18"]),
        "agency": agency_forum(pupr),
        "sibling village": musrenbang(DESA, ladder["18.02.01.2001"]),
        "sibling kecamatan": musrenbang(KEC, ladder["18.02.02"]),
    }


def document_url(forum: Forum) -> str:
    return reverse("forums:document", args=[forum.pk, forum.documents.get().pk])


@pytest.mark.parametrize("above", ["kecamatan", "kabupaten", "provinsi"])
def test_a_village_operator_reads_the_musrenbang_forums_above_its_village(client, walked, village_operator, above):
    forum = walked[above]
    client.force_login(village_operator)

    page = client.get(reverse("forums:detail", args=[forum.pk]))
    ranking_page = client.get(reverse("forums:ranking", args=[forum.pk]))
    download = client.get(document_url(forum) + "?download=1")

    assert (page.status_code, ranking_page.status_code, download.status_code) == (200, 200, 200)
    assert download["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == forum.documents.get().sha256


@pytest.mark.parametrize("above", ["kecamatan", "kabupaten", "provinsi"])
def test_a_village_operator_may_not_change_the_forums_above_its_village(client, walked, village_operator, above):
    forum = walked[above]
    client.force_login(village_operator)
    before = Forum.objects.filter(pk=forum.pk).values().get()
    delegates = forum.delegates.count()

    edit = client.post(
        reverse("forums:edit", args=[forum.pk]), {"held_on": "2026-05-01", "place": "Balai Desa", "chair_name": "X"}
    )
    elect = client.post(reverse("forums:delegates", args=[forum.pk]), {"name": "Siti", "gender": "P"})

    assert (client.get(reverse("forums:edit", args=[forum.pk])).status_code, edit.status_code) == (403, 403)
    assert elect.status_code == 403
    assert Forum.objects.filter(pk=forum.pk).values().get() == before
    assert forum.delegates.count() == delegates


def test_a_village_operator_may_not_decide_in_the_open_kecamatan_forum_above_it(client, at_kecamatan, village_operator):
    decision = row(at_kecamatan, ROAD)
    before = snapshot(decision)
    client.force_login(village_operator)

    assert client.get(reverse("forums:detail", args=[at_kecamatan.pk])).status_code == 200
    response = client.post(reverse("forums:decision", args=[at_kecamatan.pk, decision.pk]), {"outcome": "accepted"})
    edit = client.post(reverse("forums:edit", args=[at_kecamatan.pk]), {"place": "Balai Desa"})

    assert (response.status_code, edit.status_code) == (403, 403)
    assert snapshot(decision) == before
    assert Forum.objects.get(pk=at_kecamatan.pk).place == ""


@pytest.mark.parametrize("outside", ["sibling kecamatan", "sibling village", "agency"])
def test_a_village_operator_does_not_see_a_sibling_or_agency_forum(client, walked, village_operator, outside):
    forum = walked[outside]
    client.force_login(village_operator)

    assert client.get(reverse("forums:detail", args=[forum.pk])).status_code == 404
    assert client.get(reverse("forums:ranking", args=[forum.pk])).status_code == 404
    if forum.documents.exists():
        assert client.get(document_url(forum)).status_code == 404


def test_an_agency_officer_reads_its_province_musrenbang_forum(client, walked, agency_officer):
    forum = walked["provinsi"]
    client.force_login(agency_officer)

    assert client.get(reverse("forums:detail", args=[forum.pk])).status_code == 200
    assert client.get(document_url(forum)).status_code == 200
    assert client.post(reverse("forums:edit", args=[forum.pk]), {"place": "Dinas"}).status_code == 403
    # Still not the kecamatan below its kabupaten, nor another province.
    assert client.get(reverse("forums:detail", args=[walked["kecamatan"].pk])).status_code == 404
    assert Forum.objects.get(pk=forum.pk).place == "Aula"


def test_another_provinces_officer_does_not_see_the_province_forum(client, walked, other_bappeda_provinsi):
    client.force_login(other_bappeda_provinsi)

    assert client.get(reverse("forums:detail", args=[walked["provinsi"].pk])).status_code == 404
    assert client.get(document_url(walked["provinsi"])).status_code == 404


# --- 7. ceilings: the kabupaten's Bappeda only ---------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_kabupaten_bappeda_may_set_ceilings(request, persona):
    user = request.getfixturevalue(persona)

    assert forums_access.can_set_ceilings(user) is (persona in ("bappeda_kabupaten", "other_bappeda_kabupaten"))


def test_an_anonymous_visitor_may_not_set_ceilings(db):
    assert forums_access.can_set_ceilings(AnonymousUser()) is False


def ceilings_post(year, rows) -> dict:
    data = {"year": str(year.year)}
    for kecamatan, amount, max_items in rows:
        data[f"k{kecamatan.pk}-amount"], data[f"k{kecamatan.pk}-max_items"] = amount, max_items
    return data


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("bappeda_kabupaten", "other_bappeda_kabupaten")])
def test_the_ceilings_page_is_forbidden_to_every_other_role(client, request, ladder, intake, persona):
    client.force_login(request.getfixturevalue(persona))

    page = client.get("/musyawarah/pagu/")
    post = client.post("/musyawarah/pagu/", ceilings_post(intake.planning_year, [(ladder["18.02.01"], "1", "")]))

    assert (page.status_code, post.status_code) == (403, 403)
    assert not Ceiling.objects.exists()


def test_the_kabupaten_bappeda_sets_ceilings_on_the_ceilings_page(client, ladder, intake, bappeda_kabupaten):
    client.force_login(bappeda_kabupaten)

    page = client.get("/musyawarah/pagu/")
    post = client.post(
        "/musyawarah/pagu/", ceilings_post(intake.planning_year, [(ladder["18.02.01"], "500000000", "")])
    )

    assert (page.status_code, post.status_code) == (200, 302)
    assert list(Ceiling.objects.values_list("region__code", "amount")) == [("18.02.01", 500 * M)]
