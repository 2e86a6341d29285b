"""A forum's decisions, scores and notes are its working state until it approves its result.

The public tracking page shows an item in an open forum as "Sedang dimusyawarahkan", with no
outcome, score or reason; once the forum approves, its last decision (not the ones it replaced)
with its reason. A decision is stored as a code and the officer's reason, and worded when read,
in the reader's language: an English-speaking officer's decision reads in Indonesian on the
Indonesian page. The public statistics count agreed totals of approved forums only.
"""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from forums import workflow as forums_workflow
from forums.models import Decision, Forum, Outcome
from proposals import workflow
from proposals.models import EventAction, Proposal, ProposalEvent
from regions.models import Level

from .factories import ProposalFactory, UserFactory, attend

ROAD = "Jalan usaha tani Dusun Margodadi"
WELL = "Sumur bor balai warga"
CHANGE_REASON = "Panjang jalan disesuaikan dengan hasil survei."
CUT_REASON = "Melampaui pagu indikatif kecamatan."
RETURN_REASON = "Lengkapi gambar teknis ruas jalan."
CRITERIA = [("Urgensi", 60), ("Kesiapan", 40)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def english_officer(ladder):
    """Runs the village forum with the interface in English."""
    return UserFactory(
        username="desa.kalirejo.en", role=Role.VILLAGE_OPERATOR, region=ladder["18.02.01.2003"], first_name="Jane"
    )


@pytest.fixture
def items(media, intake, english_officer, pupr) -> dict[str, Proposal]:
    made = {}
    for title, cost in ((ROAD, 180_000_000), (WELL, 40_000_000)):
        draft = ProposalFactory.build(
            village=english_officer.region, title=title, estimated_cost=cost, target_agency=pupr, unit="meter"
        )
        proposal = workflow.create_proposal(actor=english_officer, proposal=draft)
        made[title] = workflow.submit_proposal(actor=english_officer, proposal=proposal)
    return made


def forum_at(level: int) -> Forum:
    return Forum.objects.get(level=level)


def decide_in_english(actor, forum: Forum, title: str, outcome: str, **details) -> Decision:
    decision = Decision.objects.get(forum=forum, proposal__title=title)
    with translation.override("en"):
        return forums_workflow.decide(actor=actor, decision=decision, outcome=outcome, **details)


def approve(actor, forum: Forum) -> None:
    held_on = datetime.date(2026, 1, 12) if forum.level == Level.DESA else datetime.date(2026, 2, 10)
    forums_workflow.update_forum(actor=actor, forum=forum, held_on=held_on, place="Balai", chair_name="Suparman")
    attend(actor, forum)
    for name, gender in (("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Ketut Wirawan", "L")):
        forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)
    with translation.override("en"):
        forums_workflow.approve_forum(actor=actor, forum=forum)


def tracking(client, proposal: Proposal, language: str = "id"):
    response = client.get(reverse("public:track_detail", args=[proposal.tracking_code]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.context["proposal"], response.content.decode()


def decided_in_the_village(english_officer) -> None:
    """The road agreed with changes, then the well agreed and then cut: all in English."""
    desa = forum_at(Level.DESA)
    decide_in_english(
        english_officer,
        desa,
        ROAD,
        Outcome.ACCEPTED_CHANGED,
        reason=CHANGE_REASON,
        adjusted_volume=Decimal("80"),
        adjusted_cost=150_000_000,
    )
    decide_in_english(english_officer, desa, WELL, Outcome.ACCEPTED)
    decide_in_english(english_officer, desa, WELL, Outcome.REJECTED, reason=CUT_REASON)


# --- before the approval ---------------------------------------------------------------------------


def test_an_item_of_an_open_forum_is_in_deliberation_with_no_outcome_or_reason(client, items, english_officer):
    decided_in_the_village(english_officer)

    road, road_page = tracking(client, items[ROAD])
    well, well_page = tracking(client, items[WELL])

    for page in (road, well):
        assert [(s.action, s.forum, s.note, s.pending) for s in page.steps] == [
            ("Diajukan", "Musrenbang Desa Kalirejo", "", False),
            ("Sedang dimusyawarahkan", "Musrenbang Desa Kalirejo", "", True),
        ]
        assert page.status == "Diajukan"
    for text in (road_page, well_page):
        assert "Sedang dimusyawarahkan" in text
        assert "setelah musyawarah mengesahkan hasilnya" in text
        for secret in ("Disepakati", "Tidak disepakati", "Diputuskan", "Accepted", CHANGE_REASON, CUT_REASON):
            assert secret not in text, secret
        assert "Rp150.000.000" not in text and "80 meter" not in text


def test_scores_and_a_return_of_an_open_forum_stay_internal(client, items, english_officer, bappeda_kabupaten):
    decide_in_english(english_officer, forum_at(Level.DESA), ROAD, Outcome.ACCEPTED)
    decide_in_english(english_officer, forum_at(Level.DESA), WELL, Outcome.ACCEPTED)
    approve(english_officer, forum_at(Level.DESA))
    criteria = forums_workflow.set_criteria(
        actor=bappeda_kabupaten, planning_year=items[ROAD].planning_year, criteria=CRITERIA
    )
    kecamatan_operator = UserFactory(role=Role.KECAMATAN_OPERATOR, region=items[ROAD].kecamatan)
    kec = forum_at(Level.KECAMATAN)
    forums_workflow.score(
        actor=kecamatan_operator,
        decision=Decision.objects.get(forum=kec, proposal__title=WELL),
        values={criteria[0]: 5, criteria[1]: 4},
    )
    decide_in_english(kecamatan_operator, kec, ROAD, Outcome.RETURNED, reason=RETURN_REASON)

    road, road_page = tracking(client, items[ROAD])
    well, well_page = tracking(client, items[WELL])

    # The return is a move (the village has the item back), its reason the forum's, not yet public.
    assert [(s.action, s.note) for s in road.steps][-1] == ("Dikembalikan untuk perbaikan", "")
    assert RETURN_REASON not in road_page
    assert not any(s.pending for s in road.steps)  # with the village, not in deliberation
    assert (well.steps[-1].action, well.steps[-1].forum) == ("Sedang dimusyawarahkan", "Musrenbang Kecamatan Kalirejo")
    assert "Urgensi" not in well_page and "4.60" not in well_page and "4,60" not in well_page
    assert ProposalEvent.objects.filter(action=EventAction.SCORED).count() == 1  # it was scored


# --- after the approval ----------------------------------------------------------------------------


def test_after_approval_the_last_decision_is_public_in_the_readers_language(client, items, english_officer):
    decided_in_the_village(english_officer)
    approve(english_officer, forum_at(Level.DESA))

    road, road_page = tracking(client, items[ROAD])
    well, well_page = tracking(client, items[WELL], "id")
    well_en, _text = tracking(client, items[WELL], "en")
    kecamatan_name = "Musrenbang Kecamatan Kalirejo"

    assert [(s.action, s.note) for s in road.steps] == [
        ("Diajukan", ""),
        ("Diputuskan", f"Disepakati dengan perubahan (80 meter, Rp150.000.000): {CHANGE_REASON}"),
        ("Diteruskan", kecamatan_name),
        ("Sedang dimusyawarahkan", ""),
    ]
    # The well was agreed, then cut below the line: only the cut is the forum's result.
    assert [(s.action, s.note) for s in well.steps] == [
        ("Diajukan", ""),
        ("Diputuskan", f"Tidak disepakati: {CUT_REASON}"),
        ("Keputusan akhir", CUT_REASON),
    ]
    assert [s.note for s in well_en.steps][1] == f"Not agreed: {CUT_REASON}"
    assert "Disepakati:" not in well_page and "Accepted" not in well_page
    assert f"Disepakati dengan perubahan (80 meter, Rp150.000.000): {CHANGE_REASON}" in road_page


def test_the_staff_history_words_an_english_officers_decision_in_the_readers_language(
    client, items, english_officer, village_operator
):
    decided_in_the_village(english_officer)
    client.force_login(village_operator)

    indonesian = client.get(items[ROAD].get_absolute_url()).content.decode()
    english = client.get(items[ROAD].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"<p>Disepakati dengan perubahan (80 meter, Rp150.000.000): {CHANGE_REASON}</p>" in indonesian
    assert f"<p>Accepted with changes (80 meter, Rp150.000.000): {CHANGE_REASON}</p>" in english
    event = items[ROAD].events.get(action=EventAction.DECIDED)
    assert (event.outcome, event.note, event.volume, event.cost) == (
        Outcome.ACCEPTED_CHANGED,
        CHANGE_REASON,
        Decimal("80.00"),
        150_000_000,
    )


def test_forwarding_names_the_next_forum_officially_whatever_the_approvers_language(items, english_officer):
    decided_in_the_village(english_officer)
    approve(english_officer, forum_at(Level.DESA))

    forwarded = items[ROAD].events.get(action=EventAction.FORWARDED)

    assert forwarded.note == "Musrenbang Kecamatan Kalirejo"


# --- the other public pages ------------------------------------------------------------------------


def test_results_and_statistics_show_an_open_forums_decisions_only_once_it_is_approved(
    client, items, english_officer, bappeda_kabupaten
):
    decided_in_the_village(english_officer)
    year = items[ROAD].planning_year
    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten, planning_year=year, kecamatan=items[ROAD].kecamatan, amount=600_000_000
    )

    def public_figures():
        results = client.get(reverse("public:region", args=["18.02.01.2003", year.year]))
        statistics = client.get(reverse("dashboards:public_region", args=["18.02.01"]))
        shown = [(forum.name, [i.title for i in page.object_list]) for forum, page, _ in results.context["forums"]]
        return shown, [(r.region.code, r.used) for r in statistics.context["board"].ceilings]

    before = public_figures()
    approve(english_officer, forum_at(Level.DESA))
    kecamatan_operator = UserFactory(role=Role.KECAMATAN_OPERATOR, region=items[ROAD].kecamatan)
    decide_in_english(kecamatan_operator, forum_at(Level.KECAMATAN), ROAD, Outcome.ACCEPTED)
    in_session = public_figures()
    approve(kecamatan_operator, forum_at(Level.KECAMATAN))
    after = public_figures()

    assert before == ([], [("18.02.01", 0)])
    assert in_session[0] == [("Musrenbang Desa Kalirejo", [ROAD])]
    assert in_session[1] == [("18.02.01", 0)]  # agreed at the kecamatan, not yet approved
    assert after[1] == [("18.02.01", 150_000_000)]


# --- the notes written before -------------------------------------------------------------------------


@pytest.fixture
def migration():
    return importlib.import_module("proposals.migrations.0012_withdrawn_and_decision_codes")


def test_old_decision_notes_are_read_into_codes_and_reasons(items, english_officer, migration):
    road, well = items[ROAD], items[WELL]
    desa = forum_at(Level.DESA)

    def old(proposal, note, action=EventAction.DECIDED):
        return ProposalEvent.objects.create(
            proposal=proposal, actor=english_officer, action=action, note=note, forum=desa
        ).pk

    written = {
        old(road, "Disepakati dengan perubahan (1.234,5 meter, Rp1.000.000): Survei ulang."): (
            Outcome.ACCEPTED_CHANGED,
            "Survei ulang.",
            Decimal("1234.50"),
            1_000_000,
        ),
        old(road, "Accepted with changes (2 meter, Rp24.000.000): Two is enough."): (
            Outcome.ACCEPTED_CHANGED,
            "Two is enough.",
            Decimal("2.00"),
            24_000_000,
        ),
        old(well, "Accepted"): (Outcome.ACCEPTED, "", None, None),
        old(well, "Tidak disepakati: Bukan prioritas: tahun depan."): (
            Outcome.REJECTED,
            "Bukan prioritas: tahun depan.",
            None,
            None,
        ),
        old(well, "Catatan lain yang bukan keputusan"): ("", "Catatan lain yang bukan keputusan", None, None),
    }
    forwarded = old(road, "Agency forum Dinas PUPR 2027", EventAction.FORWARDED)

    migration.split_notes(apps, None)

    rows = {e.pk: (e.outcome, e.note, e.volume, e.cost) for e in ProposalEvent.objects.filter(pk__in=list(written))}
    assert rows == written
    assert ProposalEvent.objects.get(pk=forwarded).note == "Forum Perangkat Daerah Dinas PUPR 2027"

    migration.join_notes(apps, None)

    assert ProposalEvent.objects.get(pk=next(iter(written))).note == (
        "Disepakati dengan perubahan (1234,5 meter, Rp1.000.000): Survei ulang."
    )
