"""Approving a forum: what must hold first, the minutes it issues, and that it happens once
(proposals/forums_workflow.approve_forum, revise_minutes; forums/queries.approval_problems).

An approval freezes the forum, numbers and stores its berita acara, and sends the agreed items up
one level; two officers pressing "approve" together must still issue one document and forward
each item once. The forums' rows are laid out as the workflow leaves them when the forum below
approves; every change then goes through the workflow's verbs.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Role
from forums import workflow as forums_workflow
from forums.models import (
    Attendee,
    Decision,
    Delegate,
    Forum,
    ForumKind,
    ForumStatus,
    MinutesCounter,
    MinutesDocument,
    Outcome,
    Score,
)
from forums.queries import decisions_of
from planning.models import PlanningYear
from proposals import workflow
from proposals.models import EventAction, Proposal, ProposalEvent, Status
from proposals.workflow import WorkflowError
from regions.models import Level

from .factories import QUORUM, ProposalFactory, UserFactory, attend

# key -> (kind, level, region code, agency fixture, village of its items, persona who runs it)
FORUMS = {
    "desa": (ForumKind.MUSRENBANG, Level.DESA, "18.02.01.2003", None, "18.02.01.2003", "village_operator"),
    "desa sri way": (
        ForumKind.MUSRENBANG,
        Level.DESA,
        "18.02.01.2001",
        None,
        "18.02.01.2001",
        "neighbour_village_operator",
    ),
    "kecamatan": (ForumKind.MUSRENBANG, Level.KECAMATAN, "18.02.01", None, "18.02.01.2003", "kecamatan_operator"),
    "natar": (ForumKind.MUSRENBANG, Level.KECAMATAN, "18.01.01", None, "18.01.01.2001", None),
    "agency": (ForumKind.AGENCY, Level.KABUPATEN, "18.02", "pupr", "18.02.01.2003", "agency_officer"),
    "dinkes": (ForumKind.AGENCY, Level.KABUPATEN, "18.02", "dinkes", "18.02.02.2001", "other_agency_officer"),
    "kabupaten": (ForumKind.MUSRENBANG, Level.KABUPATEN, "18.02", None, "18.02.01.2003", "bappeda_kabupaten"),
    "provinsi": (ForumKind.MUSRENBANG, Level.PROVINSI, "18", None, "18.02.01.2003", "bappeda_provinsi"),
}
DETAILS = {"held_on": datetime.date(2026, 2, 10), "place": "Aula Kantor Camat Kalirejo", "chair_name": "Drs. Suparman"}
DELEGATES = (("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Ketut Wirawan", "L"))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def default_number_pattern(settings):
    """The documented default, whatever MINUTES_NUMBER_PATTERN the environment sets."""
    settings.MINUTES_NUMBER_PATTERN = "050/{seq:03d}/{unit}/{year}"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def planning_year(db):
    return PlanningYear.objects.get_or_create(year=datetime.date.today().year + 1)[0]


@pytest.fixture
def forum_of(request, ladder, planning_year, pupr, dinkes, village_operator):
    """forum_of("kecamatan", ...) -> that forum holding the items, decided and ready to approve.

    decide=False leaves the items pending; details=... replaces the minutes' details.
    """

    def build(key: str, titles=("Jalan", "Talud"), *, decide=True, details=None) -> Forum:
        kind, level, code, agency, village, persona = FORUMS[key]
        agency = {"pupr": pupr, "dinkes": dinkes, None: None}[agency]
        forum = Forum.objects.create(
            planning_year=planning_year, kind=kind, level=level, region=ladder[code], agency=agency
        )
        for rank, title in enumerate(titles, start=1):
            proposal = ProposalFactory(
                submitted=True,
                village=ladder[village],
                title=title,
                level=level,
                target_agency=agency or pupr,
                current_agency=agency or pupr,
            )
            Decision.objects.create(forum=forum, proposal=proposal, rank=rank)
        if persona is None:
            return forum
        actor = request.getfixturevalue(persona)
        if decide:
            for decision in forum.decisions.all():
                forums_workflow.decide(actor=actor, decision=decision, outcome=Outcome.ACCEPTED)
        forums_workflow.update_forum(actor=actor, forum=forum, **(DETAILS if details is None else details))
        attend(actor, forum)
        if kind == ForumKind.MUSRENBANG and level in (Level.DESA, Level.KECAMATAN):
            for name, gender in DELEGATES:
                forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)
        return Forum.objects.get(pk=forum.pk)

    return build


def item(forum: Forum, title: str) -> Decision:
    return Decision.objects.select_related("proposal").get(forum=forum, proposal__title=title)


def refusal(verb, **kwargs) -> str:
    with pytest.raises(WorkflowError) as refused:
        verb(**kwargs)
    return str(refused.value)


def state() -> dict:
    """Everything an approval may change, read back from the database."""
    return {
        "forums": list(Forum.objects.order_by("pk").values_list("pk", "status", "approved_at", "approved_by")),
        "decisions": list(Decision.objects.order_by("pk").values_list("forum", "proposal", "outcome", "rank")),
        "proposals": list(Proposal.objects.order_by("pk").values_list("pk", "status", "level")),
        "events": ProposalEvent.objects.count(),
        "documents": MinutesDocument.objects.count(),
        "counters": list(MinutesCounter.objects.values_list("region", "year", "last")),
    }


def this_year() -> int:
    """The year the test forums meet in (DETAILS): their minutes are numbered in its series."""
    return DETAILS["held_on"].year


def approved_message(forum: Forum) -> str:
    """The refusal for Kecamatan Kalirejo's forum once approved."""
    return f"Musrenbang Kecamatan Kalirejo {forum.planning_year} has been approved; its decisions can no longer change."


# --- once, and only once -------------------------------------------------------------------------


def test_approving_issues_the_minutes_and_sends_the_agreed_items_up(forum_of, kecamatan_operator, pupr, media):
    forum = forum_of("kecamatan")

    document = forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)

    forum.refresh_from_db()
    assert (forum.status, forum.approved_by) == (ForumStatus.APPROVED, kecamatan_operator)
    pdf = document.pdf.read()
    assert (document.revision, document.sha256, document.size) == (0, hashlib.sha256(pdf).hexdigest(), len(pdf))
    assert pdf.startswith(b"%PDF-")
    agency = Forum.objects.get(kind=ForumKind.AGENCY, agency=pupr)
    assert [(d.proposal.title, d.outcome, d.rank) for d in decisions_of(agency)] == [("Jalan", "", 1), ("Talud", "", 2)]
    assert (
        list(ProposalEvent.objects.filter(action=EventAction.FORWARDED).values_list("from_level", "to_level"))
        == [(Level.KECAMATAN, Level.KABUPATEN)] * 2
    )


def test_approving_twice_issues_one_document_and_forwards_once(forum_of, kecamatan_operator, pupr, media):
    forum = forum_of("kecamatan")
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    before = state()

    message = refusal(forums_workflow.approve_forum, actor=kecamatan_operator, forum=forum)

    assert message == approved_message(forum)
    assert state() == before
    assert MinutesDocument.objects.filter(forum=forum).count() == 1
    assert sorted(Decision.objects.filter(forum__agency=pupr).values_list("proposal__title", flat=True)) == [
        "Jalan",
        "Talud",
    ]
    assert ProposalEvent.objects.filter(action=EventAction.FORWARDED).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_approving_at_once_issue_one_document_and_forward_once(
    forum_of, kecamatan_operator, ladder, pupr, media
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite ignores select_for_update, so the approvals cannot race on a row lock")
    camat = UserFactory(username="camat.kalirejo", role=Role.KECAMATAN_OPERATOR, region=ladder["18.02.01"])
    forum = forum_of("kecamatan")
    barrier = threading.Barrier(2, timeout=30)
    outcomes = []

    def approve(actor):
        try:
            with translation.override("en"):
                barrier.wait()
                try:
                    document = forums_workflow.approve_forum(actor=actor, forum=forum)
                    outcomes.append(("approved", document.number))
                except WorkflowError as refused:
                    outcomes.append(("refused", str(refused)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(actor,)) for actor in (kecamatan_operator, camat)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [
        ("approved", f"050/001/180201/{this_year()}"),
        (
            "refused",
            approved_message(forum),
        ),
    ]
    assert MinutesDocument.objects.filter(forum=forum).count() == 1
    assert list(MinutesCounter.objects.values_list("last", flat=True)) == [1]
    assert sorted(Decision.objects.filter(forum__agency=pupr).values_list("proposal__title", flat=True)) == [
        "Jalan",
        "Talud",
    ]
    assert ProposalEvent.objects.filter(action=EventAction.FORWARDED).count() == 2
    assert set(Proposal.objects.values_list("level", flat=True)) == {Level.KABUPATEN}


# --- an approved forum is frozen ------------------------------------------------------------------


@pytest.fixture
def approved(forum_of, kecamatan_operator, bappeda_kabupaten, planning_year, media):
    """Kecamatan Kalirejo's forum, scored, with its attendance list, approved."""
    criteria = forums_workflow.set_criteria(
        actor=bappeda_kabupaten, planning_year=planning_year, criteria=[("Urgensi", 60), ("Kesiapan", 40)]
    )
    forum = forum_of("kecamatan")
    forums_workflow.score(actor=kecamatan_operator, decision=item(forum, "Jalan"), values=dict.fromkeys(criteria, 3))
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    return forum, criteria


CHANGES = {
    "decide": lambda actor, forum, criteria: forums_workflow.decide(
        actor=actor, decision=item(forum, "Jalan"), outcome=Outcome.REJECTED, reason="Berubah pikiran."
    ),
    "update_forum": lambda actor, forum, criteria: forums_workflow.update_forum(
        actor=actor, forum=forum, place="Balai Desa"
    ),
    "add_attendee": lambda actor, forum, criteria: forums_workflow.add_attendee(
        actor=actor, forum=forum, name="Joko", institution="Karang Taruna", gender="L"
    ),
    "remove_attendee": lambda actor, forum, criteria: forums_workflow.remove_attendee(
        actor=actor, attendee=forum.attendees.first()
    ),
    "add_delegate": lambda actor, forum, criteria: forums_workflow.add_delegate(
        actor=actor, forum=forum, name="Rina", gender="P"
    ),
    "remove_delegate": lambda actor, forum, criteria: forums_workflow.remove_delegate(
        actor=actor, delegate=forum.delegates.first()
    ),
    "move": lambda actor, forum, criteria: forums_workflow.move(actor=actor, decision=item(forum, "Talud"), up=True),
    "score": lambda actor, forum, criteria: forums_workflow.score(
        actor=actor, decision=item(forum, "Talud"), values={criteria[0]: 5}
    ),
    "order_by_score": lambda actor, forum, criteria: forums_workflow.order_by_score(actor=actor, forum=forum),
    "reject_below_line": lambda actor, forum, criteria: forums_workflow.reject_below_line(
        actor=actor, forum=forum, reason="Pagu."
    ),
}


def frozen(forum: Forum) -> dict:
    """state() and everything else an officer could touch in an open forum."""
    return state() | {
        "details": list(Forum.objects.filter(pk=forum.pk).values_list("place", "held_on", "override_reason")),
        "attendees": list(Attendee.objects.values_list("name", flat=True)),
        "delegates": list(Delegate.objects.values_list("name", flat=True)),
        "scores": list(Score.objects.values_list("decision", "criterion", "value")),
        "weighted": list(Decision.objects.order_by("pk").values_list("score", flat=True)),
    }


@pytest.mark.parametrize("change", CHANGES)
def test_an_approved_forum_refuses_every_change(approved, kecamatan_operator, change):
    forum, criteria = approved
    before = frozen(forum)
    assert (before["attendees"], len(before["delegates"]), len(before["scores"])) == (
        [row["name"] for row in QUORUM],
        3,
        2,
    )

    message = refusal(CHANGES[change], actor=kecamatan_operator, forum=forum, criteria=criteria)

    assert message == approved_message(forum)
    assert frozen(forum) == before


# --- minutes numbers ------------------------------------------------------------------------------


def test_minutes_numbers_follow_the_default_pattern_and_run_on_per_region_and_year(
    forum_of, agency_officer, other_agency_officer, village_operator, neighbour_village_operator, ladder, media
):
    # Last year's counter of Desa Kalirejo, and this year's of Desa Sri Way Langsep, issued elsewhere.
    MinutesCounter.objects.create(region=ladder["18.02.01.2003"], year=this_year() - 1, last=41)
    MinutesCounter.objects.create(region=ladder["18.02.01.2001"], year=this_year(), last=16)

    # Agency forums carry their kabupaten's region: Lampung Tengah numbers them in one run.
    pupr = forums_workflow.approve_forum(actor=agency_officer, forum=forum_of("agency"))
    dinkes = forums_workflow.approve_forum(actor=other_agency_officer, forum=forum_of("dinkes"))
    kalirejo = forums_workflow.approve_forum(actor=village_operator, forum=forum_of("desa"))
    sri_way = forums_workflow.approve_forum(actor=neighbour_village_operator, forum=forum_of("desa sri way"))

    year = this_year()
    assert [pupr.number, dinkes.number, kalirejo.number, sri_way.number] == [
        f"050/001/1802/{year}",
        f"050/002/1802/{year}",
        f"050/001/1802012003/{year}",
        f"050/017/1802012001/{year}",
    ]
    assert sorted(MinutesCounter.objects.values_list("region__code", "year", "last")) == [
        ("18.02", year, 2),
        ("18.02.01.2001", year, 17),
        ("18.02.01.2003", year - 1, 41),
        ("18.02.01.2003", year, 1),
    ]


def test_minutes_numbers_follow_the_configured_pattern(forum_of, kecamatan_operator, settings, media):
    settings.MINUTES_NUMBER_PATTERN = "BA-{unit}/{year}/{seq:04d}/F{forum}"
    forum = forum_of("kecamatan")
    document = forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    assert document.number == f"BA-180201/{this_year()}/0001/F{forum.pk}"
    assert MinutesDocument.objects.get().number == document.number


# --- revisions ------------------------------------------------------------------------------------


def test_a_revision_is_a_new_numbered_document_and_the_first_stays_as_issued(forum_of, kecamatan_operator, media):
    forum = forum_of("kecamatan")
    first = forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    first_bytes = first.pdf.read()
    decisions_before = list(Decision.objects.values_list("pk", "outcome", "rank"))

    revised = forums_workflow.revise_minutes(
        actor=kecamatan_operator, forum=forum, reason="Salah tulis tempat.", place="Aula Kecamatan Kalirejo"
    )

    assert (revised.revision, revised.reason, revised.issued_by) == (1, "Salah tulis tempat.", kecamatan_operator)
    year = this_year()
    assert (first.number, revised.number) == (f"050/001/180201/{year}", f"050/002/180201/{year}")
    original = MinutesDocument.objects.get(forum=forum, revision=0)
    assert (original.number, original.sha256, original.pdf.name) == (first.number, first.sha256, first.pdf.name)
    with original.pdf.open("rb") as stored:
        assert stored.read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == original.sha256
    assert revised.pdf.name != original.pdf.name
    assert revised.sha256 != original.sha256
    assert Forum.objects.get(pk=forum.pk).place == "Aula Kecamatan Kalirejo"
    assert list(Decision.objects.values_list("pk", "outcome", "rank")) == decisions_before


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_revision_needs_a_reason(forum_of, kecamatan_operator, media, reason):
    forum = forum_of("kecamatan")
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    before = state()

    message = refusal(
        forums_workflow.revise_minutes, actor=kecamatan_operator, forum=forum, reason=reason, place="Aula"
    )

    assert message == "Give the reason for the revision."
    assert state() == before
    assert Forum.objects.get(pk=forum.pk).place == DETAILS["place"]


def test_only_an_approved_forums_minutes_are_revised(forum_of, kecamatan_operator, media):
    forum = forum_of("kecamatan")
    before = state()
    message = refusal(forums_workflow.revise_minutes, actor=kecamatan_operator, forum=forum, reason="Koreksi.")
    assert message == "Only the minutes of an approved forum can be revised."
    assert state() == before


def test_only_the_forums_own_officers_revise_its_minutes(forum_of, kecamatan_operator, other_kecamatan_operator, media):
    forum = forum_of("kecamatan")
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    before = state()
    message = refusal(forums_workflow.revise_minutes, actor=other_kecamatan_operator, forum=forum, reason="Koreksi.")
    assert message == "Only the officers who run this forum can change it."
    assert state() == before


# --- what must hold before an approval ----------------------------------------------------------------


def assert_approval_refused(actor, forum: Forum, message: str) -> None:
    before = state()
    assert refusal(forums_workflow.approve_forum, actor=actor, forum=forum) == message
    assert state() == before
    assert Forum.objects.get(pk=forum.pk).status != ForumStatus.APPROVED


def test_approval_waits_for_every_item_to_be_decided(forum_of, kecamatan_operator, media):
    forum = forum_of("kecamatan", ("Jalan", "Talud", "Sumur"), decide=False)
    forums_workflow.decide(actor=kecamatan_operator, decision=item(forum, "Jalan"), outcome=Outcome.ACCEPTED)
    assert_approval_refused(kecamatan_operator, forum, "2 item(s) still wait for a decision: Talud, Sumur.")


def test_approval_waits_for_returned_items_to_come_back(forum_of, kecamatan_operator, village_operator, media):
    forum = forum_of("kecamatan")
    forums_workflow.decide(
        actor=kecamatan_operator, decision=item(forum, "Talud"), outcome=Outcome.RETURNED, reason="RAB."
    )
    assert_approval_refused(
        kecamatan_operator, forum, "1 returned item(s) have not come back from the village yet: Talud."
    )

    # Back from the village, it waits for a decision like any other item.
    workflow.resubmit_proposal(actor=village_operator, proposal=item(forum, "Talud").proposal)
    assert_approval_refused(kecamatan_operator, forum, "1 item(s) still wait for a decision: Talud.")


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        (["held_on"], "The minutes need the forum's date."),
        (["place"], "The minutes need the forum's place."),
        (["chair_name"], "The minutes need the forum's chair."),
        (["held_on", "place", "chair_name"], "The minutes need the forum's date, place, chair."),
    ],
)
def test_approval_needs_the_date_place_and_chair_of_the_minutes(forum_of, kecamatan_operator, media, missing, message):
    forum = forum_of("kecamatan", details={k: v for k, v in DETAILS.items() if k not in missing})
    assert_approval_refused(kecamatan_operator, forum, message)


@pytest.mark.parametrize(
    ("key", "below", "name"),
    [
        ("kecamatan", "desa", "Musrenbang Desa Kalirejo"),
        ("agency", "kecamatan", "Musrenbang Kecamatan Kalirejo"),
        ("kabupaten", "agency", "Agency forum Dinas PUPR"),
        ("kabupaten", "kecamatan", "Musrenbang Kecamatan Kalirejo"),
        ("provinsi", "kabupaten", "Musrenbang Kabupaten Lampung Tengah"),
        ("provinsi", "natar", "Musrenbang Kecamatan Natar"),
    ],
)
def test_approval_waits_for_the_forums_that_feed_it(forum_of, request, planning_year, media, key, below, name):
    forum_of(below, ("Sumur",))
    forum = forum_of(key)
    assert_approval_refused(
        request.getfixturevalue(FORUMS[key][5]),
        forum,
        f"Forums below this one are still open: {name} {planning_year}.",
    )


@pytest.mark.parametrize(("key", "elsewhere"), [("kabupaten", "natar"), ("agency", "natar"), ("kecamatan", "dinkes")])
def test_forums_outside_or_above_a_forum_do_not_hold_it_up(forum_of, request, media, key, elsewhere):
    """Kecamatan Natar lies in Lampung Selatan; Dinkes's forum sits above the kecamatan."""
    forum_of(elsewhere, ("Sumur",))
    forum = forum_of(key)

    forums_workflow.approve_forum(actor=request.getfixturevalue(FORUMS[key][5]), forum=forum)

    assert Forum.objects.get(pk=forum.pk).status == ForumStatus.APPROVED
    assert MinutesDocument.objects.filter(forum=forum).count() == 1


def test_every_problem_is_listed_at_once(forum_of, kecamatan_operator, village_operator, media):
    forum_of("desa", ("Sumur",), decide=False)
    forum = forum_of("kecamatan", decide=False, details={"place": "Aula"})
    assert_approval_refused(
        kecamatan_operator,
        forum,
        "2 item(s) still wait for a decision: Jalan, Talud. The minutes need the forum's date, chair. "
        f"Forums below this one are still open: Musrenbang Desa Kalirejo {forum.planning_year}.",
    )


@pytest.mark.parametrize("persona", ["other_kecamatan_operator", "bappeda_kabupaten", "village_operator", "admin_user"])
def test_only_the_forums_own_officers_approve_it(forum_of, request, media, persona):
    forum = forum_of("kecamatan")
    assert_approval_refused(
        request.getfixturevalue(persona), forum, "Only the officers who run this forum can change it."
    )


def test_items_not_agreed_end_at_the_forum_that_decided_them(forum_of, kecamatan_operator, pupr, media):
    forum = forum_of("kecamatan", ("Jalan", "Talud", "Sumur", "Gapura"), decide=False)
    for title, outcome in (
        ("Jalan", Outcome.ACCEPTED),
        ("Talud", Outcome.REJECTED),
        ("Sumur", Outcome.VILLAGE_BUDGET),
        ("Gapura", Outcome.MERGED),
    ):
        extra = {"merged_into": item(forum, "Jalan").proposal} if outcome == Outcome.MERGED else {}
        forums_workflow.decide(
            actor=kecamatan_operator, decision=item(forum, title), outcome=outcome, reason="Alasan.", **extra
        )

    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)

    assert {p.title: (p.status, p.level) for p in Proposal.objects.all()} == {
        "Jalan": (Status.SUBMITTED, Level.KABUPATEN),
        "Talud": (Status.REJECTED, Level.KECAMATAN),
        "Sumur": (Status.VILLAGE_BUDGET, Level.KECAMATAN),
        "Gapura": (Status.MERGED, Level.KECAMATAN),
    }
    assert list(Decision.objects.filter(forum__agency=pupr).values_list("proposal__title", flat=True)) == ["Jalan"]
    assert list(
        ProposalEvent.objects.filter(action=EventAction.CLOSED).values_list("proposal__title", "to_status", "note")
    ) == [("Talud", Status.REJECTED, "Alasan."), ("Sumur", Status.VILLAGE_BUDGET, "Alasan.")]


def test_approval_writes_the_agreed_figures_on_each_agreed_proposal(forum_of, kecamatan_operator, media):
    forum = forum_of("kecamatan", titles=("Jalan", "Talud", "Sumur"))
    forums_workflow.decide(
        actor=kecamatan_operator,
        decision=item(forum, "Talud"),
        outcome=Outcome.ACCEPTED_CHANGED,
        reason="Dipangkas",
        adjusted_volume=Decimal("40"),
        adjusted_cost=90_000_000,
    )
    forums_workflow.decide(
        actor=kecamatan_operator, decision=item(forum, "Sumur"), outcome=Outcome.REJECTED, reason="Di luar pagu"
    )
    before = Proposal.objects.get(title="Talud")
    assert (before.agreed_volume, before.agreed_cost) == (None, None)  # decided, not yet agreed

    with CaptureQueriesContext(connection) as captured:
        forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)

    agreed = {p.title: (p.agreed_volume, p.agreed_cost) for p in Proposal.objects.all()}
    assert agreed == {
        "Jalan": (Decimal("100.00"), 150_000_000),  # accepted as it came: the village's own figures
        "Talud": (Decimal("40.00"), 90_000_000),
        "Sumur": (None, None),
    }
    assert sum('SET "agreed_cost"' in q["sql"] for q in captured.captured_queries) == 1  # one UPDATE


def test_minutes_are_numbered_in_the_year_the_forum_met_not_the_year_of_issue(forum_of, kecamatan_operator, media):
    forum = forum_of("kecamatan", details={**DETAILS, "held_on": datetime.date(2023, 2, 1)})

    document = forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)

    assert document.number == "050/001/180201/2023"
    assert document.issued_at.year == timezone.localdate().year  # issued now, in another year's series
    assert MinutesCounter.objects.get(region=forum.region).year == 2023


def test_the_kabupaten_minutes_total_only_its_own_items_and_list_the_provinces_apart(
    forum_of, bappeda_kabupaten, media
):
    from pypdf import PdfReader

    forum = forum_of("kabupaten", titles=("Jalan", "Jembatan Way Pengubuan"))
    forums_workflow.decide(
        actor=bappeda_kabupaten,
        decision=item(forum, "Jembatan Way Pengubuan"),
        outcome=Outcome.TO_PROVINCE,
        reason="Jalan provinsi",
    )

    document = forums_workflow.approve_forum(actor=bappeda_kabupaten, forum=forum)

    reader = PdfReader(document.pdf)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    own = text[text.index("DAFTAR PRIORITAS USULAN") : text.index("DITERUSKAN KE MUSRENBANG PROVINSI")]
    passed = text[text.index("DITERUSKAN KE MUSRENBANG PROVINSI") :]
    assert "Jalan" in own and "Jembatan Way Pengubuan" not in own
    assert "JUMLAH (1 usulan) Rp150.000.000" in own
    assert "Jembatan Way Pengubuan" in passed and "JUMLAH (1 usulan) Rp150.000.000" in passed
