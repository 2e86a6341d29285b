"""Notifications: who is told of what (notifications/notify.py, through proposals/seams.py), the
words in the reader's language, the inbox at /kotak-masuk/ and the unread count in the header.

Items are walked through the real workflow: a village submits, its Musrenbang Desa decides and
approves, the kecamatan decides. Mail is tested in test_mail.py.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Role
from forums import workflow as forums_workflow
from forums.models import Forum, Outcome
from notifications.messages import text
from notifications.models import Kind, Notification
from proposals import workflow
from proposals.models import Proposal
from regions.models import Level

from .factories import ProposalFactory, UserFactory, attend

DETAILS = {"held_on": datetime.date(2026, 1, 20), "place": "Balai Desa", "chair_name": "Suparno"}
DELEGATES = [("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Joko Susilo", "L")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def secretary(ladder):
    """A second operator of Desa Kalirejo: told of what the first one does."""
    return UserFactory(username="sekdes.kalirejo", role=Role.VILLAGE_OPERATOR, region=ladder["18.02.01.2003"])


@pytest.fixture
def camat(ladder):
    """A second officer of Kecamatan Kalirejo: told when the kecamatan forum is approved."""
    return UserFactory(username="camat.kalirejo", role=Role.KECAMATAN_OPERATOR, region=ladder["18.02.01"])


def submit(operator, title: str, agency) -> Proposal:
    proposal = ProposalFactory(village=operator.region, created_by=operator, title=title, target_agency=agency)
    return workflow.submit_proposal(actor=operator, proposal=proposal)


def prepare(forum: Forum, actor) -> None:
    """Accept every waiting item, fill in the minutes' details, elect the delegates."""
    for decision in forum.decisions.filter(outcome=""):
        forums_workflow.decide(actor=actor, decision=decision, outcome=Outcome.ACCEPTED)
    forums_workflow.update_forum(actor=actor, forum=forum, **DETAILS)
    attend(actor, forum)
    for name, gender in DELEGATES:
        forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)


def desa_forum(village) -> Forum:
    return Forum.objects.get(level=Level.DESA, region=village)


@pytest.fixture
def at_kecamatan(village_operator, intake, pupr, village, ladder):
    """Two items of Desa Kalirejo, agreed by its Musrenbang Desa, waiting in the kecamatan forum."""
    road, drain = submit(village_operator, "Rabat beton jalan", pupr), submit(village_operator, "Drainase", pupr)
    forum = desa_forum(village)
    prepare(forum, village_operator)
    forums_workflow.approve_forum(actor=village_operator, forum=forum)
    Notification.objects.all().delete()
    return Forum.objects.get(level=Level.KECAMATAN, region=ladder["18.02.01"]), road, drain


def told(user) -> list[tuple[str, dict]]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", "params"))


# --- who is told of what --------------------------------------------------------------------------


def test_a_returned_item_tells_the_village_operators_with_the_reason(
    at_kecamatan, village_operator, secretary, neighbour_village_operator, kecamatan_operator
):
    forum, road, _drain = at_kecamatan
    decision = forum.decisions.get(proposal=road)

    forums_workflow.decide(
        actor=kecamatan_operator, decision=decision, outcome=Outcome.RETURNED, reason="Lampirkan foto lokasi."
    )

    expected = [
        (Kind.RETURNED, {"title": "Rabat beton jalan", "code": road.tracking_code, "reason": "Lampirkan foto lokasi."})
    ]
    assert told(village_operator) == expected
    assert told(secretary) == expected
    assert told(neighbour_village_operator) == told(kecamatan_operator) == []
    notification = Notification.objects.filter(recipient=village_operator).get()
    assert (notification.proposal_id, notification.forum_id, notification.read_at) == (road.pk, forum.pk, None)
    with translation.override("id"):
        assert text(notification) == (
            f"Musrenbang Kecamatan Kalirejo {forum.planning_year} mengembalikan “Rabat beton jalan” "
            f"({road.tracking_code}) ke desa untuk diperbaiki. Alasan: Lampirkan foto lokasi."
        )
    with translation.override("en"):
        assert text(notification) == (
            f"Musrenbang Kecamatan Kalirejo {forum.planning_year} returned “Rabat beton jalan” "
            f"({road.tracking_code}) to the village for revision. Reason: Lampirkan foto lokasi."
        )


@pytest.mark.parametrize(
    ("outcome", "details", "params", "english"),
    [
        (Outcome.ACCEPTED, {}, {"outcome": "accepted", "reason": ""}, "Accepted."),
        (
            Outcome.ACCEPTED_CHANGED,
            {"adjusted_volume": 80, "adjusted_cost": 120_000_000, "reason": "Volume dikurangi."},
            {"outcome": "accepted_changed", "reason": "Volume dikurangi.", "cost": 120_000_000},
            "Accepted with changes (Rp120.000.000). Reason: Volume dikurangi.",
        ),
        (
            Outcome.REJECTED,
            {"reason": "Bukan kewenangan kabupaten."},
            {"outcome": "rejected", "reason": "Bukan kewenangan kabupaten."},
            "Not agreed. Reason: Bukan kewenangan kabupaten.",
        ),
    ],
)
def test_a_decision_tells_the_village_what_was_decided(
    at_kecamatan, village_operator, kecamatan_operator, outcome, details, params, english
):
    forum, road, _drain = at_kecamatan

    forums_workflow.decide(
        actor=kecamatan_operator, decision=forum.decisions.get(proposal=road), outcome=outcome, **details
    )

    assert told(village_operator) == [
        (Kind.DECIDED, {"title": "Rabat beton jalan", "code": road.tracking_code, **params})
    ]
    with translation.override("en"):
        assert text(Notification.objects.get()) == (
            f"Musrenbang Kecamatan Kalirejo {forum.planning_year} decided on “Rabat beton jalan” "
            f"({road.tracking_code}): {english}"
        )


def test_the_villages_own_steps_tell_nobody(intake, village_operator, secretary, pupr):
    draft = workflow.create_proposal(
        actor=village_operator,
        proposal=ProposalFactory.build(
            village=village_operator.region, title="Sumur bor", target_agency=pupr, created_by=village_operator
        ),
    )
    draft.unit = "unit"
    workflow.update_proposal(actor=village_operator, proposal=draft)
    workflow.submit_proposal(actor=village_operator, proposal=draft)

    assert Notification.objects.count() == 0


def test_a_forums_scores_tell_nobody(at_kecamatan, village_operator, kecamatan_operator, bappeda_kabupaten):
    forum, road, _drain = at_kecamatan
    criteria = forums_workflow.set_criteria(
        actor=bappeda_kabupaten, planning_year=forum.planning_year, criteria=[("Urgensi", 100)]
    )

    forums_workflow.score(
        actor=kecamatan_operator, decision=forum.decisions.get(proposal=road), values=dict.fromkeys(criteria, 4)
    )

    assert Notification.objects.count() == 0


def test_approval_tells_each_village_of_each_item_and_the_forum_officers_once(
    at_kecamatan, village_operator, secretary, kecamatan_operator, camat, agency_officer, neighbour_village_operator
):
    forum, road, drain = at_kecamatan
    prepare(forum, kecamatan_operator)
    Notification.objects.all().delete()

    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)

    forwarded = [
        (Kind.FORWARDED, {"title": p.title, "code": p.tracking_code, "level": Level.KABUPATEN}) for p in (road, drain)
    ]
    assert sorted(told(village_operator)[:2], key=lambda k: k[1]["title"]) == sorted(
        forwarded, key=lambda k: k[1]["title"]
    )
    assert told(village_operator)[2:] == [(Kind.FORUM_APPROVED, {"items": 2})]
    assert told(secretary) == told(village_operator)
    # The camat's office runs the forum: told of the approval, not of each item; the officer who
    # approved it is told nothing, nor is anyone whose items it did not decide.
    assert told(camat) == [(Kind.FORUM_APPROVED, {})]
    assert told(kecamatan_operator) == told(neighbour_village_operator) == told(agency_officer) == []
    with translation.override("id"):
        approved = Notification.objects.get(recipient=village_operator, kind=Kind.FORUM_APPROVED)
        assert text(approved) == (
            f"Musrenbang Kecamatan Kalirejo {forum.planning_year} telah disetujui; forum ini memutuskan "
            "2 usulan desa Anda."
        )
        assert text(Notification.objects.get(recipient=camat)) == (
            f"Musrenbang Kecamatan Kalirejo {forum.planning_year} telah disetujui dan berita acaranya diterbitkan."
        )


def test_the_forums_officers_open_the_approved_forum_from_their_inbox(english, at_kecamatan, kecamatan_operator, camat):
    forum, _road, _drain = at_kecamatan
    prepare(forum, kecamatan_operator)
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    notification = Notification.objects.get(recipient=camat)
    english.force_login(camat)

    page = squashed(english.get("/kotak-masuk/"))
    opened = english.get(f"/kotak-masuk/{notification.pk}/")

    assert (
        f'<a href="/kotak-masuk/{notification.pk}/">Musrenbang Kecamatan Kalirejo {forum.planning_year} has been '
        "approved and its minutes issued.</a>" in page
    )
    assert opened["Location"] == f"/musyawarah/{forum.pk}/"


def test_an_agency_forum_tells_its_own_officers_when_approved(
    at_kecamatan, village_operator, kecamatan_operator, agency_officer, other_agency_officer, pupr, ladder
):
    forum, road, drain = at_kecamatan
    prepare(forum, kecamatan_operator)
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    agency_forum = Forum.objects.get(agency=pupr)
    colleague = UserFactory(username="opd.pupr.2", role=Role.AGENCY_OFFICER, agency=pupr, region=ladder["18.02"])
    for decision in agency_forum.decisions.all():
        forums_workflow.decide(actor=agency_officer, decision=decision, outcome=Outcome.ACCEPTED)
    forums_workflow.update_forum(actor=agency_officer, forum=agency_forum, **DETAILS)
    attend(agency_officer, agency_forum)
    Notification.objects.all().delete()

    forums_workflow.approve_forum(actor=agency_officer, forum=agency_forum)

    assert told(colleague) == [(Kind.FORUM_APPROVED, {})]
    assert told(other_agency_officer) == told(agency_officer) == []
    assert [kind for kind, _params in told(village_operator)] == [Kind.FORWARDED, Kind.FORWARDED, Kind.FORUM_APPROVED]


def test_a_change_rolled_back_tells_nobody(at_kecamatan, village_operator, kecamatan_operator):
    forum, road, _drain = at_kecamatan

    with pytest.raises(RuntimeError), transaction.atomic():
        forums_workflow.decide(
            actor=kecamatan_operator,
            decision=forum.decisions.get(proposal=road),
            outcome=Outcome.RETURNED,
            reason="Foto.",
        )
        assert Notification.objects.count() == 1
        raise RuntimeError("the request failed after the decision")

    assert Notification.objects.count() == 0


def test_a_deactivated_operator_is_told_nothing(at_kecamatan, village_operator, secretary, kecamatan_operator):
    forum, road, _drain = at_kecamatan
    secretary.is_active = False
    secretary.save()

    forums_workflow.decide(
        actor=kecamatan_operator, decision=forum.decisions.get(proposal=road), outcome=Outcome.RETURNED, reason="Foto."
    )

    assert [n.recipient for n in Notification.objects.all()] == [village_operator]


# --- the number of queries does not grow with the items --------------------------------------------


class Undo(Exception):
    pass


def approval_queries(count: int, village_operator, secretary, pupr, village) -> tuple[int, int]:
    """(queries, notifications for the secretary) of approving a Musrenbang Desa of `count` items,
    everything rolled back afterwards so that each count starts from the same database."""
    try:
        with transaction.atomic():
            for n in range(count):
                submit(village_operator, f"Usulan nomor {n}", pupr)
            forum = desa_forum(village)
            prepare(forum, village_operator)
            with CaptureQueriesContext(connection) as captured:
                forums_workflow.approve_forum(actor=village_operator, forum=forum)
            told = Notification.objects.filter(
                recipient=secretary, kind__in=[Kind.FORWARDED, Kind.FORUM_APPROVED]
            ).count()
            raise Undo
    except Undo:
        pass
    return len(captured.captured_queries), told


def test_approving_30_items_costs_the_same_queries_as_3(intake, village_operator, secretary, pupr, village):
    approval_queries(3, village_operator, secretary, pupr, village)  # caches warmed (content types, ...)

    three, told_three = approval_queries(3, village_operator, secretary, pupr, village)
    thirty, told_thirty = approval_queries(30, village_operator, secretary, pupr, village)

    # One "forwarded" per item and one "approved", for the operator who did not approve it.
    assert (told_three, told_thirty) == (3 + 1, 30 + 1)
    assert thirty == three


# --- the inbox ------------------------------------------------------------------------------------


def squashed(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def notify(user, proposal, *, kind=Kind.RETURNED, minutes_ago=0, read=False, **params) -> Notification:
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        params={"title": proposal.title, "code": proposal.tracking_code, **params},
        proposal=proposal,
        created_at=at,
        read_at=at if read else None,
    )


@pytest.fixture
def submitted(village):
    return ProposalFactory(submitted=True, village=village, title="Rabat beton jalan")


def test_the_inbox_lists_newest_first_with_the_unread_highlighted(english, village_operator, submitted):
    older = notify(village_operator, submitted, minutes_ago=60, read=True, reason="Foto.")
    newer = notify(village_operator, submitted, kind=Kind.DECIDED, outcome="accepted", reason="")
    english.force_login(village_operator)

    page = squashed(english.get("/kotak-masuk/"))

    entries = re.findall(r'<li class="notice( unread)?" id="notification-(\d+)">', page)
    assert entries == [(" unread", str(newer.pk)), ("", str(older.pk))]
    code = submitted.tracking_code
    assert f'<a href="/kotak-masuk/{newer.pk}/">A forum decided on “Rabat beton jalan” ({code}): Accepted.</a>' in page
    assert "Inbox (1)</a>" in page
    assert "Mark all read" in page


def test_the_header_counts_the_unread_in_indonesian_and_stops_at_99(client, village_operator, submitted):
    client.force_login(village_operator)
    assert "Kotak masuk (0)</a>" in client.get("/kotak-masuk/").content.decode()

    Notification.objects.bulk_create(
        Notification(recipient=village_operator, kind=Kind.RETURNED, params={}, proposal=submitted) for _ in range(120)
    )

    assert "Kotak masuk (99+)</a>" in client.get("/usulan/").content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_the_proposal(client, village_operator, submitted):
    notification = notify(village_operator, submitted)
    client.force_login(village_operator)

    response = client.get(f"/kotak-masuk/{notification.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/usulan/{submitted.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_officers_notification_is_a_404(client, village_operator, neighbour_village_operator, submitted):
    notification = notify(village_operator, submitted)
    client.force_login(neighbour_village_operator)

    assert client.get(f"/kotak-masuk/{notification.pk}/").status_code == 404
    assert client.get("/kotak-masuk/999999/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert f"notification-{notification.pk}" not in client.get("/kotak-masuk/").content.decode()


def test_a_proposal_the_reader_can_no_longer_see_is_plain_text(english, village_operator, submitted, ladder):
    notification = notify(village_operator, submitted)
    # Moved to the neighbouring village: Desa Kalirejo's proposals are out of their scope now.
    village_operator.region = ladder["18.02.01.2001"]
    village_operator.save()
    english.force_login(village_operator)

    page = squashed(english.get("/kotak-masuk/"))
    response = english.get(f"/kotak-masuk/{notification.pk}/", follow=True)

    assert f"<span>A forum returned “Rabat beton jalan” ({submitted.tracking_code}) to the village" in page
    assert f'href="/kotak-masuk/{notification.pk}/"' not in page
    assert response.redirect_chain == [("/kotak-masuk/", 302)]
    assert "You can no longer open what this notification is about." in squashed(response)


def test_mark_all_read_marks_only_the_readers_own(client, village_operator, secretary, submitted):
    mine = [notify(village_operator, submitted) for _ in range(3)]
    theirs = notify(secretary, submitted)
    client.force_login(village_operator)

    assert client.get("/kotak-masuk/baca-semua/").status_code == 405
    response = client.post("/kotak-masuk/baca-semua/", follow=True)

    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert "3 pemberitahuan ditandai sudah dibaca." in squashed(response)
    assert "Kotak masuk (0)</a>" in squashed(response)


def test_the_inbox_needs_a_login(client):
    response = client.get("/kotak-masuk/")
    assert (response.status_code, response["Location"]) == (302, "/masuk/?next=/kotak-masuk/")


def test_the_inbox_page_costs_the_same_queries_for_3_and_25_notices(
    client, village_operator, submitted, django_assert_max_num_queries
):
    client.force_login(village_operator)
    for _ in range(3):
        notify(village_operator, submitted)
    with CaptureQueriesContext(connection) as three:
        client.get("/kotak-masuk/")
    for _ in range(22):
        notify(village_operator, submitted)

    with django_assert_max_num_queries(len(three.captured_queries)):
        page = client.get("/kotak-masuk/")

    assert page.content.decode().count('class="notice unread"') == 25
