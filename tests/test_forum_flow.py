"""A whole planning year, through forums/workflow/ only: ten items from three villages in two
kecamatan of Lampung Tengah climb the ladder, forum by forum, as the officers who run each forum
decide them.

    Desa Kalirejo (18.02.01.2003)   A1 road      PUPR    accommodated by the kabupaten
                                    A2 clinic    PUPR    handed to Dinkes, passed to the province, accommodated there
                                    A3 well      PUPR    left to the village budget
                                    A4 wall      PUPR    returned by the kecamatan, corrected, resubmitted, accepted;
                                                         not feasible for PUPR
    Desa Sri Way Langsep (.2001)    B1 canal     PUPR    below the kecamatan's ceiling line
                                    B2 posyandu  Dinkes  not accommodated by the kabupaten
                                    B3 road      PUPR    a duplicate of A1, merged into it
    Desa Purwodadi (18.02.02.2001)  C1 bridge    PUPR    cost adjusted by PUPR, accommodated
                                    C2 drain     none    straight to the kabupaten, accommodated
                                    C3 gate      PUPR    not agreed by its village

Kecamatan Kalirejo has an indicative ceiling of Rp500 million; Bangun Rejo has none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import Role
from forums import workflow as forums_workflow
from forums.defaults import forum_title
from forums.models import Decision, Forum, ForumKind, ForumStatus, MinutesDocument, Outcome
from forums.queries import ranking
from proposals import workflow
from proposals.models import EventAction, Proposal, Status
from regions.models import Level

from .factories import ProposalFactory, UserFactory, attend

A1 = "Rabat beton jalan Dusun Karangsari"
A2 = "Puskesmas pembantu Dusun Sidomulyo"
A3 = "Sumur bor mushola Al-Ikhlas"
A4 = "Talud jalan Dusun Sukamaju"
B1 = "Saluran irigasi tersier Blok C"
B2 = "Posyandu balita Dusun Srimulyo"
B3 = "Rabat beton jalan Karangsari sambungan"
C1 = "Jembatan gantung Way Pengubuan"
C2 = "Drainase pasar Purwodadi"
C3 = "Gapura batas Desa Purwodadi"

DESA, KEC, KAB, PROV = Level.DESA, Level.KECAMATAN, Level.KABUPATEN, Level.PROVINSI


@dataclass
class Year:
    """What the fixture leaves behind: the forums by a short name, and the proposals by title."""

    forums: dict[str, Forum]
    proposals: dict[str, Proposal]

    def titles_at(self, name: str) -> set[str]:
        return set(Decision.objects.filter(forum=self.forums[name]).values_list("proposal__title", flat=True))

    def outcomes_at(self, name: str) -> dict[str, str]:
        return dict(Decision.objects.filter(forum=self.forums[name]).values_list("proposal__title", "outcome"))

    def forum_name(self, pk) -> str | None:
        return next((name for name, forum in self.forums.items() if forum.pk == pk), None)


def musrenbang(level, region) -> Forum:
    return Forum.objects.get(kind=ForumKind.MUSRENBANG, level=level, region=region)


def agency_forum(agency) -> Forum:
    return Forum.objects.get(kind=ForumKind.AGENCY, agency=agency)


def decide(actor, forum: Forum, title: str, outcome: str, **details) -> Decision:
    decision = Decision.objects.get(forum=forum, proposal__title=title)
    return forums_workflow.decide(actor=actor, decision=decision, outcome=outcome, **details)


def approve(actor, forum: Forum, held_on: datetime.date, place: str):
    """Fill the minutes' details, elect delegates where the level elects them, and approve."""
    forums_workflow.update_forum(actor=actor, forum=forum, held_on=held_on, place=place, chair_name="Drs. Suparman")
    attend(actor, forum)
    if forum.kind == ForumKind.MUSRENBANG and forum.level in (DESA, KEC):
        for name, gender in (("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Ketut Wirawan", "L")):
            forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)
    return forums_workflow.approve_forum(actor=actor, forum=forum)


def enter(operator, title: str, cost: int, agency) -> Proposal:
    """Create a draft through the workflow, as the village operator's form would, and submit it."""
    draft = ProposalFactory.build(
        village=operator.region, title=title, estimated_cost=cost, target_agency=agency, created_by=operator
    )
    proposal = workflow.create_proposal(actor=operator, proposal=draft)
    return workflow.submit_proposal(actor=operator, proposal=proposal)


@pytest.fixture(autouse=True)
def english():
    """Notes are written in the acting officer's language; the whole year runs in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def purwodadi_operator(ladder):
    return UserFactory(username="desa.purwodadi", role=Role.VILLAGE_OPERATOR, region=ladder["18.02.02.2001"])


@pytest.fixture
def year(
    english,
    settings,
    tmp_path,
    ladder,
    intake,
    pupr,
    dinkes,
    village_operator,
    neighbour_village_operator,
    purwodadi_operator,
    kecamatan_operator,
    other_kecamatan_operator,
    agency_officer,
    other_agency_officer,
    bappeda_kabupaten,
    bappeda_provinsi,
) -> Year:
    settings.MEDIA_ROOT = tmp_path
    planning_year = intake.planning_year

    # January: the villages enter and submit.
    for operator, items in (
        (village_operator, [(A1, 200, pupr), (A2, 100, pupr), (A3, 30, pupr), (A4, 180, pupr)]),
        (neighbour_village_operator, [(B1, 150, pupr), (B2, 80, dinkes), (B3, 60, pupr)]),
        (purwodadi_operator, [(C1, 400, pupr), (C2, 90, None), (C3, 50, pupr)]),
    ):
        for title, millions, agency in items:
            enter(operator, title, millions * 1_000_000, agency)

    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten, planning_year=planning_year, kecamatan=ladder["18.02.01"], amount=500_000_000
    )

    # The three Musrenbang Desa.
    kalirejo = musrenbang(DESA, ladder["18.02.01.2003"])
    for title in (A1, A2, A4):
        decide(village_operator, kalirejo, title, Outcome.ACCEPTED)
    decide(village_operator, kalirejo, A3, Outcome.VILLAGE_BUDGET, reason="Skala desa: Dana Desa 2027.")
    approve(village_operator, kalirejo, datetime.date(2026, 1, 12), "Balai Desa Kalirejo")

    sri_way = musrenbang(DESA, ladder["18.02.01.2001"])
    for title in (B1, B2, B3):
        decide(neighbour_village_operator, sri_way, title, Outcome.ACCEPTED)
    approve(neighbour_village_operator, sri_way, datetime.date(2026, 1, 14), "Balai Desa Sri Way Langsep")

    purwodadi = musrenbang(DESA, ladder["18.02.02.2001"])
    decide(purwodadi_operator, purwodadi, C1, Outcome.ACCEPTED)
    decide(purwodadi_operator, purwodadi, C2, Outcome.ACCEPTED)
    decide(purwodadi_operator, purwodadi, C3, Outcome.REJECTED, reason="Bukan prioritas desa tahun ini.")
    approve(purwodadi_operator, purwodadi, datetime.date(2026, 1, 15), "Balai Desa Purwodadi")

    # Musrenbang Kecamatan Kalirejo: A4 goes back to its village and comes back corrected; B3
    # duplicates A1; the list is cut to the ceiling.
    kec_kalirejo = musrenbang(KEC, ladder["18.02.01"])
    decide(
        kecamatan_operator, kec_kalirejo, A4, Outcome.RETURNED, reason="RAB belum dilampirkan; biaya terlalu tinggi."
    )
    returned = Proposal.objects.get(title=A4)
    returned.estimated_cost = 120_000_000
    returned.problem = "Tebing jalan longsor setiap musim hujan; RAB terlampir."
    workflow.update_proposal(actor=village_operator, proposal=returned)
    workflow.resubmit_proposal(actor=village_operator, proposal=returned)
    for title in (A1, A2, A4, B1, B2):
        decide(kecamatan_operator, kec_kalirejo, title, Outcome.ACCEPTED)
    decide(
        kecamatan_operator,
        kec_kalirejo,
        B3,
        Outcome.MERGED,
        reason="Ruas jalan yang sama dengan usulan Desa Kalirejo.",
        merged_into=Proposal.objects.get(title=A1),
    )
    # Agreed in rank order: A1 200, A2 100, A4 120, B1 150 -> 570 > 500. The forum puts B2 (80)
    # above B1, so the line falls after B2 (500) and only B1 is below it.
    forums_workflow.move(
        actor=kecamatan_operator, decision=Decision.objects.get(forum=kec_kalirejo, proposal__title=B2), up=True
    )
    forums_workflow.reject_below_line(
        actor=kecamatan_operator, forum=kec_kalirejo, reason="Melebihi pagu indikatif kecamatan."
    )
    approve(kecamatan_operator, kec_kalirejo, datetime.date(2026, 2, 10), "Aula Kantor Camat Kalirejo")

    kec_bangun_rejo = musrenbang(KEC, ladder["18.02.02"])
    decide(other_kecamatan_operator, kec_bangun_rejo, C1, Outcome.ACCEPTED)
    decide(other_kecamatan_operator, kec_bangun_rejo, C2, Outcome.ACCEPTED)
    approve(other_kecamatan_operator, kec_bangun_rejo, datetime.date(2026, 2, 12), "Aula Kantor Camat Bangun Rejo")

    # Forum Perangkat Daerah: PUPR verifies its items and hands the clinic to Dinkes.
    pupr_forum = agency_forum(pupr)
    decide(agency_officer, pupr_forum, A1, Outcome.ACCEPTED)
    decide(agency_officer, pupr_forum, A2, Outcome.HANDED_OVER, reason="Urusan kesehatan.", handed_to=dinkes)
    decide(agency_officer, pupr_forum, A4, Outcome.REJECTED, reason="Tidak layak: status lahan belum jelas.")
    decide(
        agency_officer,
        pupr_forum,
        C1,
        Outcome.ACCEPTED_CHANGED,
        reason="Bentang disesuaikan hasil survei.",
        adjusted_volume=Decimal("80"),
        adjusted_cost=350_000_000,
    )
    approve(agency_officer, pupr_forum, datetime.date(2026, 2, 24), "Aula Dinas PUPR")

    dinkes_forum = agency_forum(dinkes)
    decide(other_agency_officer, dinkes_forum, B2, Outcome.ACCEPTED)
    decide(other_agency_officer, dinkes_forum, A2, Outcome.ACCEPTED)
    approve(other_agency_officer, dinkes_forum, datetime.date(2026, 2, 25), "Aula Dinas Kesehatan")

    # Musrenbang RKPD Kabupaten Lampung Tengah.
    kab = musrenbang(KAB, ladder["18.02"])
    decide(bappeda_kabupaten, kab, A1, Outcome.ACCEPTED)
    decide(bappeda_kabupaten, kab, C1, Outcome.ACCEPTED)
    decide(bappeda_kabupaten, kab, C2, Outcome.ACCEPTED)
    decide(bappeda_kabupaten, kab, A2, Outcome.TO_PROVINCE, reason="Kewenangan provinsi: RS rujukan regional.")
    decide(bappeda_kabupaten, kab, B2, Outcome.REJECTED, reason="Sudah tercakup program Dinkes 2027.")
    approve(bappeda_kabupaten, kab, datetime.date(2026, 3, 18), "Gedung Sesat Agung Gunung Sugih")

    # Musrenbang RKPD Provinsi Lampung.
    prov = musrenbang(PROV, ladder["18"])
    decide(bappeda_provinsi, prov, A2, Outcome.ACCEPTED)
    approve(bappeda_provinsi, prov, datetime.date(2026, 4, 8), "Balai Keratun Bandar Lampung")

    forums = {
        "desa Kalirejo": kalirejo,
        "desa Sri Way Langsep": sri_way,
        "desa Purwodadi": purwodadi,
        "kecamatan Kalirejo": kec_kalirejo,
        "kecamatan Bangun Rejo": kec_bangun_rejo,
        "agency PUPR": pupr_forum,
        "agency Dinkes": dinkes_forum,
        "kabupaten": kab,
        "provinsi": prov,
    }
    return Year(
        forums={name: Forum.objects.get(pk=forum.pk) for name, forum in forums.items()},
        proposals={p.title: p for p in Proposal.objects.select_related("target_agency", "current_agency")},
    )


def test_each_forum_receives_exactly_the_items_the_forum_below_agreed(year, intake):
    assert {name: year.titles_at(name) for name in year.forums} == {
        "desa Kalirejo": {A1, A2, A3, A4},
        "desa Sri Way Langsep": {B1, B2, B3},
        "desa Purwodadi": {C1, C2, C3},
        "kecamatan Kalirejo": {A1, A2, A4, B1, B2, B3},
        "kecamatan Bangun Rejo": {C1, C2},
        "agency PUPR": {A1, A2, A4, C1},
        "agency Dinkes": {B2, A2},
        "kabupaten": {A1, A2, B2, C1, C2},
        "provinsi": {A2},
    }
    # No other forum was opened, all of them for the year whose intake was open, and no item sits
    # twice in one forum.
    assert Forum.objects.count() == len(year.forums)
    assert set(Forum.objects.values_list("planning_year__year", flat=True)) == {intake.planning_year.year}
    assert Decision.objects.count() == sum(len(year.titles_at(name)) for name in year.forums)


def test_each_forum_records_what_it_decided(year):
    assert year.outcomes_at("kecamatan Kalirejo") == {
        A1: Outcome.ACCEPTED,
        A2: Outcome.ACCEPTED,
        A4: Outcome.ACCEPTED,
        B1: Outcome.REJECTED,
        B2: Outcome.ACCEPTED,
        B3: Outcome.MERGED,
    }
    assert year.outcomes_at("agency PUPR") == {
        A1: Outcome.ACCEPTED,
        A2: Outcome.HANDED_OVER,
        A4: Outcome.REJECTED,
        C1: Outcome.ACCEPTED_CHANGED,
    }
    assert year.outcomes_at("kabupaten") == {
        A1: Outcome.ACCEPTED,
        A2: Outcome.TO_PROVINCE,
        B2: Outcome.REJECTED,
        C1: Outcome.ACCEPTED,
        C2: Outcome.ACCEPTED,
    }
    below_line = Decision.objects.get(forum=year.forums["kecamatan Kalirejo"], proposal__title=B1)
    assert below_line.reason == "Melebihi pagu indikatif kecamatan."
    adjusted = Decision.objects.get(forum=year.forums["agency PUPR"], proposal__title=C1)
    assert (adjusted.adjusted_volume, adjusted.adjusted_cost, adjusted.cost) == (
        Decimal("80"),
        350_000_000,
        350_000_000,
    )
    # The kecamatan's agreed list ends within its ceiling.
    kept = ranking(year.forums["kecamatan Kalirejo"])
    assert (kept.agreed_total, kept.below_line) == (500_000_000, [])


def test_every_item_ends_the_year_with_its_final_status_and_level(year):
    assert {title: (p.status, p.level) for title, p in year.proposals.items()} == {
        A1: (Status.ACCOMMODATED, KAB),
        A2: (Status.ACCOMMODATED, PROV),
        A3: (Status.VILLAGE_BUDGET, DESA),
        A4: (Status.REJECTED, KAB),
        B1: (Status.REJECTED, KEC),
        B2: (Status.NOT_ACCOMMODATED, KAB),
        B3: (Status.MERGED, KEC),
        C1: (Status.ACCOMMODATED, KAB),
        C2: (Status.ACCOMMODATED, KAB),
        C3: (Status.REJECTED, DESA),
    }
    assert year.proposals[B3].merged_into == year.proposals[A1]


def test_a_handed_over_item_keeps_its_first_agency_and_carries_the_new_one(year, pupr, dinkes):
    clinic = year.proposals[A2]
    assert (clinic.target_agency, clinic.current_agency) == (pupr, dinkes)
    # Everything else keeps the agency its village aimed at.
    assert {title: p.current_agency for title, p in year.proposals.items() if title != A2} == {
        title: p.target_agency for title, p in year.proposals.items() if title != A2
    }


def test_every_approved_forum_has_exactly_one_minutes_document(year):
    assert {name: forum.status for name, forum in year.forums.items()} == dict.fromkeys(
        year.forums, ForumStatus.APPROVED
    )
    documents = {name: list(MinutesDocument.objects.filter(forum=forum)) for name, forum in year.forums.items()}
    assert {name: [d.revision for d in docs] for name, docs in documents.items()} == dict.fromkeys(year.forums, [0])
    assert all(doc.pdf.read(5) == b"%PDF-" for docs in documents.values() for doc in docs)
    assert len({doc.number for docs in documents.values() for doc in docs}) == len(year.forums)


def test_the_timeline_of_the_handed_over_item_follows_it_from_the_village_to_the_province(year):
    events = year.proposals[A2].events.order_by("at", "id")
    timeline = [(e.action, e.from_level, e.to_level, year.forum_name(e.forum_id)) for e in events]
    assert timeline == [
        (EventAction.CREATED, DESA, DESA, None),
        (EventAction.SUBMITTED, DESA, DESA, "desa Kalirejo"),
        (EventAction.DECIDED, DESA, DESA, "desa Kalirejo"),
        (EventAction.FORWARDED, DESA, KEC, "desa Kalirejo"),
        (EventAction.DECIDED, KEC, KEC, "kecamatan Kalirejo"),
        (EventAction.FORWARDED, KEC, KAB, "kecamatan Kalirejo"),
        (EventAction.HANDED_OVER, KAB, KAB, "agency PUPR"),
        (EventAction.DECIDED, KAB, KAB, "agency Dinkes"),
        (EventAction.FORWARDED, KAB, KAB, "agency Dinkes"),
        (EventAction.DECIDED, KAB, KAB, "kabupaten"),
        (EventAction.FORWARDED, KAB, PROV, "kabupaten"),
        (EventAction.DECIDED, PROV, PROV, "provinsi"),
        (EventAction.CLOSED, PROV, PROV, "provinsi"),
    ]
    assert [(e.from_status, e.to_status) for e in events if e.action == EventAction.CLOSED] == [
        (Status.SUBMITTED, Status.ACCOMMODATED)
    ]
    assert [e.note for e in events if e.action == EventAction.HANDED_OVER] == ["Dinas PUPR → Dinkes: Urusan kesehatan."]


def test_a_returned_item_is_corrected_resubmitted_to_the_same_forum_and_accepted(year):
    wall = year.proposals[A4]
    kecamatan = year.forums["kecamatan Kalirejo"]
    assert wall.estimated_cost == 120_000_000
    assert wall.problem == "Tebing jalan longsor setiap musim hujan; RAB terlampir."
    at_kecamatan = [
        (e.action, e.from_status, e.to_status, e.display_note)
        for e in wall.events.order_by("at", "id")
        if e.from_level == KEC or e.to_level == KEC
    ]
    assert at_kecamatan == [
        # The next forum by its official name, whatever the approving officer's language.
        (EventAction.FORWARDED, Status.SUBMITTED, Status.SUBMITTED, "Musrenbang Kecamatan Kalirejo"),
        (
            EventAction.RETURNED,
            Status.SUBMITTED,
            Status.RETURNED,
            "RAB belum dilampirkan; biaya terlalu tinggi.",
        ),
        (EventAction.EDITED, Status.RETURNED, Status.RETURNED, ""),
        (EventAction.RESUBMITTED, Status.RETURNED, Status.SUBMITTED, ""),
        (EventAction.DECIDED, Status.SUBMITTED, Status.SUBMITTED, "Accepted"),
        (EventAction.FORWARDED, Status.SUBMITTED, Status.SUBMITTED, forum_title(year.forums["agency PUPR"])),
    ]
    # One row in the kecamatan forum, decided again after the village sent it back.
    assert list(Decision.objects.filter(forum=kecamatan, proposal=wall).values_list("outcome", "reason")) == [
        (Outcome.ACCEPTED, "")
    ]
