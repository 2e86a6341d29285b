"""The forum pages at /musyawarah/: what each officer may see and change, and what each page does.

Forums are built through forums/workflow/, as the officers would: a village operator
submits proposals into the Musrenbang Desa of Kalirejo; approving it sends the agreed items to
the Musrenbang of Kecamatan Kalirejo. Pages are read in English.

Personas, for the village forum: its own operator runs it; the operator of the neighbouring
village (Sri Way Langsep) is outside it (404); the kecamatan operator sees it but may not change
it (403). For the kecamatan forum: the kecamatan operator runs it, the neighbouring kecamatan's
operator is outside it, Bappeda kabupaten sees it read-only.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role
from forums import workflow as forums_workflow
from forums.models import Ceiling, Criterion, Decision, Forum, ForumStatus, MinutesDocument, Outcome
from proposals import workflow
from proposals.models import Proposal, ProposalEvent
from regions.models import Level, Region

from .factories import ProposalFactory, UserFactory, attend

ROAD = "Rabat beton jalan Dusun Karangsari"
DRAIN = "Drainase jalan poros desa"
WELL = "Sumur bor mushola Al-Ikhlas"
APPROVED_REFUSAL = "has been approved; its decisions can no longer change."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Personas are made with a password; the production hasher costs most of a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def submit(operator, title, cost=150_000_000, **fields) -> Proposal:
    proposal = ProposalFactory(village=operator.region, created_by=operator, title=title, estimated_cost=cost, **fields)
    return workflow.submit_proposal(actor=operator, proposal=proposal)


def prepare(forum, actor, *, outcome=Outcome.ACCEPTED, delegates=True):
    """Decide every waiting item, fill in the minutes' details and elect delegates: ready to approve."""
    for decision in forum.decisions.filter(outcome=""):
        forums_workflow.decide(actor=actor, decision=decision, outcome=outcome)
    forums_workflow.update_forum(
        actor=actor,
        forum=forum,
        held_on=datetime.date(2026, 1, 20),
        starts_at=datetime.time(9, 0),
        place="Balai Desa",
        chair_name="Suparno",
        chair_title="Kepala Desa",
    )
    attend(actor, forum)
    if delegates:
        for name, gender in [("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Joko Susilo", "L")]:
            forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def text_of(response) -> str:
    return response.content.decode()


def squashed(response) -> str:
    """The page with every run of whitespace made one space, for sentences that span template lines."""
    return re.sub(r"\s+", " ", text_of(response))


@pytest.fixture
def items(village_operator, intake, pupr):
    """Three proposals of Desa Kalirejo, submitted into its forum in this order."""
    return [
        submit(village_operator, ROAD, 150_000_000, target_agency=pupr),
        submit(village_operator, DRAIN, 90_000_000, target_agency=pupr),
        submit(village_operator, WELL, 40_000_000, target_agency=pupr),
    ]


@pytest.fixture
def desa_forum(items, village):
    return Forum.objects.get(level=Level.DESA, region=village)


@pytest.fixture
def approved_desa_forum(desa_forum, village_operator):
    prepare(desa_forum, village_operator)
    forums_workflow.approve_forum(actor=village_operator, forum=desa_forum)
    desa_forum.refresh_from_db()
    return desa_forum


@pytest.fixture
def kecamatan_forum(approved_desa_forum, ladder):
    return Forum.objects.get(level=Level.KECAMATAN, region=ladder["18.02.01"])


def decision_of(forum, title) -> Decision:
    return forum.decisions.select_related("proposal").get(proposal__title=title)


def titles_in_order(forum) -> list[str]:
    return list(forum.decisions.order_by("rank", "id").values_list("proposal__title", flat=True))


def snapshot(forum) -> dict:
    """Everything a forum page could change, to show that a refused request changed nothing."""
    forum = Forum.objects.get(pk=forum.pk)
    return {
        "forum": {f.name: getattr(forum, f.attname) for f in Forum._meta.concrete_fields if f.name != "created_at"},
        "decisions": list(
            forum.decisions.order_by("id").values_list("outcome", "reason", "rank", "score", "adjusted_cost")
        ),
        "attendees": list(forum.attendees.values_list("name", flat=True)),
        "delegates": list(forum.delegates.values_list("name", flat=True)),
        "documents": list(forum.documents.values_list("number", flat=True)),
        "events": ProposalEvent.objects.count(),
        "proposals": list(Proposal.objects.order_by("id").values_list("status", "level")),
    }


# --- the URLs of every page and action ------------------------------------------------------


@pytest.fixture
def ids(desa_forum, village_operator):
    """The forum with one attendee and one delegate, and the ids every URL needs."""
    attendee = forums_workflow.add_attendee(
        actor=village_operator, forum=desa_forum, name="Wati", institution="PKK", gender="P"
    )
    delegate = forums_workflow.add_delegate(actor=village_operator, forum=desa_forum, name="Rahmat", gender="L")
    return {
        "forum": desa_forum.pk,
        "decision": decision_of(desa_forum, DRAIN).pk,
        "attendee": attendee.pk,
        "delegate": delegate.pk,
    }


# name -> (URL name, the ids it takes, a valid POST for it)
ACTIONS = {
    "edit": ("forums:edit", ["forum"], {"held_on": "2026-01-21", "place": "Aula Kantor Desa", "chair_name": "Suparno"}),
    "add attendee": (
        "forums:attendance",
        ["forum"],
        {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-0-name": "Sri Lestari"}
        | {"rows-0-element": "bpd", "rows-0-institution": "BPD", "rows-0-gender": "P"},
    ),
    "remove attendee": ("forums:attendee_remove", ["forum", "attendee"], {}),
    "add delegate": ("forums:delegates", ["forum"], {"name": "Ani Rahayu", "gender": "P"}),
    "remove delegate": ("forums:delegate_remove", ["forum", "delegate"], {}),
    "decide": ("forums:decision", ["forum", "decision"], {"outcome": "rejected", "reason": "Sudah dianggarkan."}),
    "score": ("forums:score", ["forum", "decision"], {}),
    "order by score": ("forums:order_by_score", ["forum"], {}),
    "move": ("forums:move", ["forum", "decision"], {"direction": "up"}),
    "cut at the line": ("forums:cut", ["forum"], {"reason": "Melebihi pagu."}),
    "override reason": ("forums:override", ["forum"], {"override_reason": "Disepakati peserta."}),
    "approve": ("forums:approve", ["forum"], {}),
    "revise": ("forums:revise", ["forum"], {"reason": "Salah ketik.", "place": "Aula"}),
}
# Pages that are forms to change the forum: even their GET is for the forum's own officers.
WRITE_PAGES = ["forums:edit", "forums:decision", "forums:approve", "forums:revise"]
READ_PAGES = ["forums:detail", "forums:attendance", "forums:delegates", "forums:ranking"]
POST_ONLY = [
    "remove attendee",
    "remove delegate",
    "score",
    "order by score",
    "move",
    "cut at the line",
    "override reason",
]


def url(name, args, ids) -> str:
    return reverse(name, args=[ids[a] for a in args])


def page_url(name, ids) -> str:
    return url(name, ["forum", "decision"] if name == "forums:decision" else ["forum"], ids)


# --- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES + ["forums:list", "forums:criteria", "forums:ceilings"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(english, ids, name):
    target = reverse(name) if name in ("forums:list", "forums:criteria", "forums:ceilings") else page_url(name, ids)

    response = english.get(target)

    assert response.status_code == 302
    assert response["Location"] == f"/masuk/?next={target}"


@pytest.mark.parametrize("action", ACTIONS)
def test_an_anonymous_post_changes_nothing_and_asks_to_log_in(english, ids, desa_forum, action):
    name, args, data = ACTIONS[action]
    before = snapshot(desa_forum)

    response = english.post(url(name, args, ids), data)

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=")
    assert snapshot(desa_forum) == before


@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES)
def test_the_neighbouring_villages_operator_finds_no_such_forum(english, ids, neighbour_village_operator, name):
    english.force_login(neighbour_village_operator)

    assert english.get(page_url(name, ids)).status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
def test_the_neighbouring_villages_operator_cannot_change_the_forum(
    english, ids, desa_forum, neighbour_village_operator, action
):
    english.force_login(neighbour_village_operator)
    name, args, data = ACTIONS[action]
    before = snapshot(desa_forum)

    response = english.post(url(name, args, ids), data)

    assert response.status_code == 404
    assert snapshot(desa_forum) == before


@pytest.mark.parametrize("name", READ_PAGES)
def test_the_kecamatan_operator_reads_the_village_forum_without_its_forms(english, ids, kecamatan_operator, name):
    english.force_login(kecamatan_operator)

    response = english.get(page_url(name, ids))

    assert response.status_code == 200
    page = text_of(response)
    assert "Musrenbang Desa Kalirejo" in page
    assert 'method="post"' not in page.split("</header>", 1)[1]  # no form but the header's language switch


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_the_kecamatan_operator_may_not_open_the_village_forums_change_pages(english, ids, kecamatan_operator, name):
    english.force_login(kecamatan_operator)

    assert english.get(page_url(name, ids)).status_code == 403


@pytest.mark.parametrize("action", ACTIONS)
def test_the_kecamatan_operator_may_not_change_the_village_forum(english, ids, desa_forum, kecamatan_operator, action):
    english.force_login(kecamatan_operator)
    name, args, data = ACTIONS[action]
    before = snapshot(desa_forum)

    response = english.post(url(name, args, ids), data)

    assert response.status_code == 403
    assert snapshot(desa_forum) == before


@pytest.mark.parametrize("action", POST_ONLY)
def test_an_action_answers_only_to_post(english, ids, desa_forum, village_operator, action):
    english.force_login(village_operator)
    name, args, _data = ACTIONS[action]
    before = snapshot(desa_forum)

    response = english.get(url(name, args, ids))

    assert response.status_code == 405
    assert snapshot(desa_forum) == before


@pytest.mark.parametrize("name", WRITE_PAGES + ["forums:attendance", "forums:delegates"])
def test_a_form_page_refuses_other_methods(english, ids, village_operator, name):
    english.force_login(village_operator)

    assert english.put(page_url(name, ids)).status_code == 405
    assert english.delete(page_url(name, ids)).status_code == 405


@pytest.mark.parametrize("name", ["forums:detail", "forums:ranking", "forums:document"])
def test_a_reading_page_refuses_post(english, approved_desa_forum, village_operator, name):
    english.force_login(village_operator)
    args = [approved_desa_forum.pk] + ([approved_desa_forum.documents.get().pk] if name == "forums:document" else [])

    assert english.post(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "revise"])
def test_a_change_to_an_approved_forum_is_refused_with_a_message_and_changes_nothing(
    english, ids, desa_forum, village_operator, action
):
    prepare(desa_forum, village_operator)
    forums_workflow.approve_forum(actor=village_operator, forum=desa_forum)
    english.force_login(village_operator)
    name, args, data = ACTIONS[action]
    before = snapshot(desa_forum)

    response = english.post(url(name, args, ids), data, follow=True)

    assert response.status_code == 200
    assert APPROVED_REFUSAL in text_of(response)
    assert snapshot(desa_forum) == before


# --- my forums --------------------------------------------------------------------------------


def forum_rows(response) -> list[str]:
    """The forum names linked in the page's tables, top to bottom."""
    page = text_of(response)
    return re.findall(r'<a href="/musyawarah/\d+/">([^<]*)</a>', page[page.index("<main") :])


def test_my_forums_lists_the_forums_i_run_first_with_their_counts(english, kecamatan_forum, kecamatan_operator, intake):
    neighbour = UserFactory(
        username="op-srilangsep",
        role=Role.VILLAGE_OPERATOR,
        region=kecamatan_forum.region.children.get(code="18.02.01.2001"),
    )
    submit(neighbour, "Posyandu Dusun Srimulyo")
    english.force_login(kecamatan_operator)

    response = english.get("/musyawarah/")

    assert response.status_code == 200
    assert forum_rows(response) == [
        f"Musrenbang Kecamatan Kalirejo {intake.planning_year}",
        f"Musrenbang Desa Sri Way Langsep {intake.planning_year}",  # 18.02.01.2001
        f"Musrenbang Desa Kalirejo {intake.planning_year}",  # 18.02.01.2003
    ]
    page = text_of(response)
    run_table = page[page.index("Forums you run") : page.index("Other forums in your area")]
    # Kecamatan Kalirejo holds the three items the village agreed, none decided yet.
    assert re.search(r'<td class="num">3</td>\s*<td class="num"><strong>3</strong></td>', run_table)


def test_my_forums_shows_only_the_forums_in_my_scope(english, desa_forum, neighbour_village_operator):
    english.force_login(neighbour_village_operator)

    response = english.get("/musyawarah/")

    assert forum_rows(response) == []
    assert "No forums here for this planning year yet." in text_of(response)


def add_village_forums(ladder, count, start):
    """`count` more villages of Kecamatan Kalirejo, each with a proposal submitted to its forum."""
    kecamatan = ladder["18.02.01"]
    for n in range(start, start + count):
        code = f"18.02.01.2{n:03d}"
        village = Region.objects.create(
            code=code, name=f"Desa Uji {n}", level=Level.DESA, kind="desa", parent=kecamatan
        )
        operator = UserFactory.build(username=f"op-{code}", role=Role.VILLAGE_OPERATOR, region=village)
        operator.set_unusable_password()
        operator.save()
        submit(operator, f"Usulan desa uji {n}")


def queries_for_my_forums(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/musyawarah/")
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response


def test_my_forums_runs_as_many_queries_for_twelve_forums_as_for_two(english, ladder, desa_forum, kecamatan_operator):
    english.force_login(kecamatan_operator)
    add_village_forums(ladder, 1, start=100)
    english.get("/musyawarah/")  # the session warms up the same way for both counts

    two, two_response = queries_for_my_forums(english)
    add_village_forums(ladder, 10, start=200)
    twelve, twelve_response = queries_for_my_forums(english)

    assert len(forum_rows(two_response)) == 2
    assert len(forum_rows(twelve_response)) == 12
    assert len(two) == len(twelve), "\n".join(twelve)


# --- the forum page ---------------------------------------------------------------------------


def test_the_forum_page_lists_the_items_in_order_with_the_pending_count(english, desa_forum, village_operator):
    forums_workflow.decide(
        actor=village_operator, decision=decision_of(desa_forum, DRAIN), outcome="rejected", reason="Dana desa."
    )
    english.force_login(village_operator)

    response = english.get(f"/musyawarah/{desa_forum.pk}/")

    page = text_of(response)
    table = page[page.index("<tbody") : page.index("</tbody>")]
    assert re.findall(r'<a href="/musyawarah/\d+/usulan/\d+/">([^<]*)</a>', table) == [ROAD, DRAIN, WELL]
    assert "3 items · 2 waiting for a decision" in squashed(response)
    assert "Dana desa." in table
    assert "Rp150.000.000" in table
    assert f'href="/musyawarah/{desa_forum.pk}/setujui/"' in page  # the officer who runs it gets the actions


def test_the_forum_page_offers_no_changes_to_a_read_only_officer(english, desa_forum, kecamatan_operator):
    english.force_login(kecamatan_operator)

    page = text_of(english.get(f"/musyawarah/{desa_forum.pk}/"))

    assert f"/musyawarah/{desa_forum.pk}/setujui/" not in page
    assert f"/musyawarah/{desa_forum.pk}/ubah/" not in page
    assert "/usulan/" in page and f"/musyawarah/{desa_forum.pk}/usulan/" not in page


def test_an_approved_forum_page_lists_its_minutes_with_number_and_hash(english, approved_desa_forum, village_operator):
    document = approved_desa_forum.documents.get()
    english.force_login(village_operator)

    page = text_of(english.get(f"/musyawarah/{approved_desa_forum.pk}/"))

    assert document.number in page
    assert document.sha256 in page
    assert f'href="/musyawarah/{approved_desa_forum.pk}/dokumen/{document.pk}/"' in page
    assert f"/musyawarah/{approved_desa_forum.pk}/setujui/" not in page
    assert f'href="/musyawarah/{approved_desa_forum.pk}/revisi/"' in page


# --- details ----------------------------------------------------------------------------------


def test_saving_the_details_records_them_and_opens_the_session(english, desa_forum, village_operator):
    english.force_login(village_operator)

    response = english.post(
        f"/musyawarah/{desa_forum.pk}/ubah/",
        {"held_on": "2026-01-21", "starts_at": "09:30", "place": "Aula Kantor Desa", "chair_name": "Suparno"},
    )

    assert response.status_code == 302
    desa_forum.refresh_from_db()
    assert (desa_forum.held_on, desa_forum.starts_at, desa_forum.place, desa_forum.chair_name) == (
        datetime.date(2026, 1, 21),
        datetime.time(9, 30),
        "Aula Kantor Desa",
        "Suparno",
    )
    assert desa_forum.status == ForumStatus.IN_SESSION
    assert messages_of(response) == ["The forum's details were saved."]


def test_a_bad_date_names_its_field_keeps_the_input_and_saves_nothing(english, desa_forum, village_operator):
    english.force_login(village_operator)
    before = snapshot(desa_forum)

    response = english.post(f"/musyawarah/{desa_forum.pk}/ubah/", {"held_on": "21 Januari", "place": "Aula Desa"})

    assert response.status_code == 200
    page = text_of(response)
    assert '<a href="#id_held_on">Date</a>: Date must be a real date.' in page
    assert 'value="Aula Desa"' in page
    assert snapshot(desa_forum) == before


# --- attendance and delegates -----------------------------------------------------------------


def test_adding_and_removing_an_attendee(english, desa_forum, village_operator):
    english.force_login(village_operator)
    row = {"name": "Sri Lestari", "element": "bpd", "institution": "BPD", "gender": "P", "contact": "0812"}

    added = english.post(
        f"/musyawarah/{desa_forum.pk}/hadir/",
        {"rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "0", "rows-0-signs": "on"}
        | {f"rows-0-{name}": value for name, value in row.items()},
    )
    attendee = desa_forum.attendees.get()
    removed = english.post(f"/musyawarah/{desa_forum.pk}/hadir/{attendee.pk}/hapus/")

    assert added.status_code == 302
    assert (attendee.name, attendee.element, attendee.institution, attendee.gender, attendee.signs) == (
        "Sri Lestari",
        "bpd",
        "BPD",
        "P",
        True,
    )
    assert removed.status_code == 302
    assert desa_forum.attendees.count() == 0
    assert messages_of(removed)[-1] == "Sri Lestari was removed from the attendance list."


def test_an_attendee_without_a_name_is_not_added(english, desa_forum, village_operator):
    english.force_login(village_operator)

    response = english.post(
        f"/musyawarah/{desa_forum.pk}/hadir/",
        {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0"}
        | {"rows-0-element": "bpd", "rows-0-institution": "BPD", "rows-0-gender": "P"},
    )

    assert response.status_code == 200
    assert "Row 1</a>: Name — Enter the name." in text_of(response)
    assert 'value="BPD"' in text_of(response)
    assert desa_forum.attendees.count() == 0


def test_the_delegates_page_states_the_rule_and_adds_a_delegate(english, desa_forum, village_operator):
    english.force_login(village_operator)

    page = text_of(english.get(f"/musyawarah/{desa_forum.pk}/delegasi/"))
    response = english.post(f"/musyawarah/{desa_forum.pk}/delegasi/", {"name": "Ani Rahayu", "gender": "P"})

    assert "elects 3 to 5 delegates, at least one of them a woman" in page
    assert response.status_code == 302
    assert list(desa_forum.delegates.values_list("name", "gender")) == [("Ani Rahayu", "P")]


def test_a_sixth_delegate_is_refused(english, desa_forum, village_operator):
    for n in range(5):
        forums_workflow.add_delegate(actor=village_operator, forum=desa_forum, name=f"Delegasi {n}", gender="P")
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{desa_forum.pk}/delegasi/", {"name": "Keenam", "gender": "L"}, follow=True)

    assert "A forum elects at most 5 delegates." in text_of(response)
    assert desa_forum.delegates.count() == 5


def test_removing_a_delegate(english, desa_forum, village_operator):
    delegate = forums_workflow.add_delegate(actor=village_operator, forum=desa_forum, name="Rahmat", gender="L")
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{desa_forum.pk}/delegasi/{delegate.pk}/hapus/")

    assert response.status_code == 302
    assert desa_forum.delegates.count() == 0


def test_an_attendee_of_another_forum_is_not_found(english, desa_forum, village_operator, neighbour_village_operator):
    submit(neighbour_village_operator, "Posyandu Dusun Srimulyo")
    other = Forum.objects.get(region=neighbour_village_operator.region)
    stranger = forums_workflow.add_attendee(
        actor=neighbour_village_operator, forum=other, name="Tamu", institution="RT", gender="L"
    )
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{desa_forum.pk}/hadir/{stranger.pk}/hapus/")

    assert response.status_code == 404
    assert other.attendees.count() == 1


# --- deciding one item ------------------------------------------------------------------------


def offered_outcomes(page) -> list[str]:
    return re.findall(r'name="outcome" value="([a-z_]+)"', page)


def test_the_decision_form_offers_the_village_forums_outcomes_and_the_other_items(
    english, desa_forum, village_operator
):
    decision = decision_of(desa_forum, DRAIN)
    english.force_login(village_operator)

    page = text_of(english.get(f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/"))

    assert offered_outcomes(page) == [
        "accepted",
        "accepted_changed",
        "returned",
        "rejected",
        "merged",
        "village_budget",
    ]
    merge_select = page[page.index('name="merged_into"') : page.index("</select>", page.index('name="merged_into"'))]
    assert re.findall(r"· ([^<]+)</option>", merge_select) == sorted(
        [ROAD, WELL], key=lambda t: Proposal.objects.get(title=t).tracking_code
    )
    assert 'name="handed_to"' not in page  # a hand-over is for agency forums only
    assert "Drainase jalan poros desa" in page and "Rp90.000.000" in page  # the item's key facts


def test_accepting_an_item_records_the_decision(english, desa_forum, village_operator):
    decision = decision_of(desa_forum, ROAD)
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/", {"outcome": "accepted"})

    assert response.status_code == 302
    assert response["Location"] == f"/musyawarah/{desa_forum.pk}/#item-{decision.pk}"
    decision.refresh_from_db()
    assert (decision.outcome, decision.decided_by) == (Outcome.ACCEPTED, village_operator)


def test_accepting_with_changes_records_the_agreed_volume_and_cost(english, desa_forum, village_operator):
    decision = decision_of(desa_forum, ROAD)
    english.force_login(village_operator)

    english.post(
        f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/",
        {
            "outcome": "accepted_changed",
            "reason": "Dikurangi.",
            "adjusted_volume": "80",
            "adjusted_cost": "Rp120.000.000",
        },
    )

    decision.refresh_from_db()
    assert (decision.outcome, decision.adjusted_volume, decision.adjusted_cost, decision.reason) == (
        Outcome.ACCEPTED_CHANGED,
        Decimal("80"),
        120_000_000,
        "Dikurangi.",
    )


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"outcome": "rejected", "reason": " "}, "reason", "Give the reason for this decision."),
        (
            {"outcome": "accepted_changed", "reason": "Dikurangi.", "adjusted_cost": "100000000"},
            "adjusted_volume",
            "Give the agreed volume and cost.",
        ),
        ({"outcome": "merged", "reason": "Sama."}, "merged_into", "Choose the item this one duplicates."),
        (
            {"outcome": "handed_over", "reason": "Bukan bidang kami."},
            "outcome",
            "Choose the decision from the options given.",
        ),
        ({"reason": "Tanpa keputusan."}, "outcome", "Choose the decision."),
    ],
)
def test_an_incomplete_decision_names_its_field_keeps_the_input_and_saves_nothing(
    english, desa_forum, village_operator, data, field, message
):
    decision = decision_of(desa_forum, DRAIN)
    english.force_login(village_operator)
    before = snapshot(desa_forum)

    response = english.post(f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/", data)

    assert response.status_code == 200
    page = text_of(response)
    summary = page[page.index('id="form-errors"') : page.index("</div>", page.index('id="form-errors"'))]
    assert re.search(rf'<a href="#id_{field}[^"]*">[^<]+</a>: {re.escape(escape(message))}', summary)
    if data.get("reason", "").strip():
        assert data["reason"] in page
    assert snapshot(desa_forum) == before


def test_a_refusal_by_the_workflow_is_shown_on_the_form_and_saves_nothing(english, desa_forum, village_operator):
    decision = decision_of(desa_forum, DRAIN)
    forums_workflow.decide(actor=village_operator, decision=decision, outcome="returned", reason="Lengkapi RAB.")
    english.force_login(village_operator)
    before = snapshot(desa_forum)

    response = english.post(f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/", {"outcome": "accepted"})

    assert response.status_code == 200
    assert "This item has left this forum; it can no longer be decided here." in text_of(response)
    assert snapshot(desa_forum) == before


def test_merging_names_the_surviving_item(english, desa_forum, village_operator):
    decision, survivor = decision_of(desa_forum, DRAIN), decision_of(desa_forum, ROAD)
    english.force_login(village_operator)

    english.post(
        f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/",
        {"outcome": "merged", "reason": "Ruas yang sama.", "merged_into": survivor.proposal_id},
    )

    decision.refresh_from_db()
    assert (decision.outcome, decision.merged_into_id) == (Outcome.MERGED, survivor.proposal_id)


def test_an_item_of_another_forum_is_not_found_here(english, desa_forum, village_operator, neighbour_village_operator):
    submit(neighbour_village_operator, "Posyandu Dusun Srimulyo")
    stranger = Decision.objects.get(proposal__title="Posyandu Dusun Srimulyo")
    english.force_login(village_operator)

    assert english.get(f"/musyawarah/{desa_forum.pk}/usulan/{stranger.pk}/").status_code == 404
    assert (
        english.post(f"/musyawarah/{desa_forum.pk}/usulan/{stranger.pk}/", {"outcome": "accepted"}).status_code == 404
    )
    stranger.refresh_from_db()
    assert stranger.outcome == ""


def test_the_decision_page_shows_the_decision_of_the_village_forum(
    english, kecamatan_forum, kecamatan_operator, village_operator
):
    decision = decision_of(kecamatan_forum, ROAD)
    english.force_login(kecamatan_operator)

    page = text_of(english.get(f"/musyawarah/{kecamatan_forum.pk}/usulan/{decision.pk}/"))

    earlier = page[page.index("Decisions at earlier forums") :]
    assert f"Musrenbang Desa Kalirejo {kecamatan_forum.planning_year}" in earlier
    assert "Accepted" in earlier


@pytest.fixture
def agency_forum(kecamatan_forum, kecamatan_operator, pupr):
    """The Forum Perangkat Daerah of Dinas PUPR, holding the three items the kecamatan agreed."""
    prepare(kecamatan_forum, kecamatan_operator)
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=kecamatan_forum)
    return Forum.objects.get(agency=pupr)


def test_an_agency_hands_an_item_to_another_agency_of_its_kabupaten(english, agency_forum, agency_officer, dinkes):
    decision = decision_of(agency_forum, WELL)
    english.force_login(agency_officer)

    page = text_of(english.get(f"/musyawarah/{agency_forum.pk}/usulan/{decision.pk}/"))
    response = english.post(
        f"/musyawarah/{agency_forum.pk}/usulan/{decision.pk}/",
        {"outcome": "handed_over", "reason": "Bidang kesehatan.", "handed_to": dinkes.pk},
    )

    assert "handed_over" in offered_outcomes(page)
    handed_to = page[page.index('name="handed_to"') : page.index("</select>", page.index('name="handed_to"'))]
    assert re.findall(r'<option value="\d+">([^<]+)</option>', handed_to) == ["Dinkes"]  # not PUPR itself
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.outcome, decision.handed_to) == (Outcome.HANDED_OVER, dinkes)
    assert Decision.objects.filter(forum__agency=dinkes, proposal__title=WELL).exists()


def test_another_agency_finds_no_such_forum(english, agency_forum, other_agency_officer):
    decision = decision_of(agency_forum, WELL)
    english.force_login(other_agency_officer)

    assert english.get(f"/musyawarah/{agency_forum.pk}/").status_code == 404
    assert (
        english.post(f"/musyawarah/{agency_forum.pk}/usulan/{decision.pk}/", {"outcome": "accepted"}).status_code == 404
    )
    decision.refresh_from_db()
    assert decision.outcome == ""


# --- scores -----------------------------------------------------------------------------------


@pytest.fixture
def criteria(bappeda_kabupaten, intake):
    return forums_workflow.set_criteria(
        actor=bappeda_kabupaten, planning_year=intake.planning_year, criteria=[("Urgensi", 60), ("Manfaat", 40)]
    )


def score_data(criteria, *values) -> dict:
    return {f"c{c.pk}": str(v) for c, v in zip(criteria, values, strict=True)}


def test_scoring_an_item_keeps_its_weighted_score(english, desa_forum, village_operator, criteria):
    decision = decision_of(desa_forum, DRAIN)
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/skor/", score_data(criteria, 5, 3))

    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.score == Decimal("4.20")  # (5 x 60 + 3 x 40) / 100
    assert sorted(decision.scores.values_list("criterion__name", "value")) == [("Manfaat", 3), ("Urgensi", 5)]


def test_a_missing_score_names_its_criterion_and_saves_nothing(english, desa_forum, village_operator, criteria):
    decision = decision_of(desa_forum, DRAIN)
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/skor/", {f"c{criteria[0].pk}": "4"})

    assert response.status_code == 200
    assert f'<a href="#id_c{criteria[1].pk}">Manfaat (40 %)</a>: Score this criterion from 1 to 5.' in text_of(response)
    assert decision.scores.count() == 0


def test_the_score_form_appears_only_when_the_year_has_criteria(
    english, desa_forum, village_operator, bappeda_kabupaten
):
    decision = decision_of(desa_forum, DRAIN)
    english.force_login(village_operator)
    without = text_of(english.get(f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/"))
    forums_workflow.set_criteria(
        actor=bappeda_kabupaten, planning_year=desa_forum.planning_year, criteria=[("Urgensi", 100)]
    )

    with_criteria = text_of(english.get(f"/musyawarah/{desa_forum.pk}/usulan/{decision.pk}/"))

    assert 'id="scores"' not in without
    assert 'id="scores"' in with_criteria and "Urgensi (100 %)" in with_criteria


# --- ranking ----------------------------------------------------------------------------------


def test_ordering_by_score_puts_the_highest_first(english, desa_forum, village_operator, criteria):
    for title, values in [(ROAD, (2, 2)), (DRAIN, (5, 5)), (WELL, (4, 3))]:
        decision = decision_of(desa_forum, title)
        forums_workflow.score(
            actor=village_operator, decision=decision, values=dict(zip(criteria, values, strict=True))
        )
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{desa_forum.pk}/peringkat/urut-skor/")

    assert response.status_code == 302
    assert titles_in_order(desa_forum) == [DRAIN, WELL, ROAD]


def test_moving_an_item_up_swaps_it_with_the_one_above(english, desa_forum, village_operator):
    english.force_login(village_operator)

    response = english.post(
        f"/musyawarah/{desa_forum.pk}/peringkat/{decision_of(desa_forum, WELL).pk}/geser/", {"direction": "up"}
    )

    assert response["Location"] == f"/musyawarah/{desa_forum.pk}/peringkat/#item-{decision_of(desa_forum, WELL).pk}"
    assert titles_in_order(desa_forum) == [ROAD, WELL, DRAIN]


@pytest.fixture
def over_ceiling(kecamatan_forum, kecamatan_operator, bappeda_kabupaten):
    """Kecamatan Kalirejo with a ceiling of Rp200 million and its three items accepted in order:
    150 + 90 crosses the line at the second item."""
    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten,
        planning_year=kecamatan_forum.planning_year,
        kecamatan=kecamatan_forum.region,
        amount=200_000_000,
    )
    for decision in kecamatan_forum.decisions.all():
        forums_workflow.decide(actor=kecamatan_operator, decision=decision, outcome=Outcome.ACCEPTED)
    return kecamatan_forum


def test_the_ranking_shows_running_totals_and_the_cut_line(english, over_ceiling, kecamatan_operator):
    english.force_login(kecamatan_operator)

    page = text_of(english.get(f"/musyawarah/{over_ceiling.pk}/peringkat/"))

    tbody = page[page.index("<tbody") : page.index("</tbody>")]
    rows = re.findall(r'<tr (?:id="item-\d+" )?class="([^"]*)"', tbody)
    assert rows == ["", "cut-line", "below-line", "below-line"]
    assert re.findall(r'class="running">Σ (Rp[\d.]+)<', tbody) == ["Rp150.000.000", "Rp240.000.000", "Rp280.000.000"]
    assert "Rp200.000.000" in page
    assert "2 agreed items are below the line" in page


def test_cutting_at_the_line_marks_the_items_below_it_as_not_agreed(english, over_ceiling, kecamatan_operator):
    english.force_login(kecamatan_operator)

    response = english.post(f"/musyawarah/{over_ceiling.pk}/peringkat/potong/", {"reason": "Melebihi pagu."})

    assert response.status_code == 302
    assert messages_of(response) == ["2 item(s) below the line were marked as not agreed."]
    assert list(over_ceiling.decisions.order_by("rank").values_list("proposal__title", "outcome", "reason")) == [
        (ROAD, Outcome.ACCEPTED, ""),
        (DRAIN, Outcome.REJECTED, "Melebihi pagu."),
        (WELL, Outcome.REJECTED, "Melebihi pagu."),
    ]


def test_the_reason_for_exceeding_the_ceiling_is_saved(english, over_ceiling, kecamatan_operator):
    english.force_login(kecamatan_operator)

    english.post(f"/musyawarah/{over_ceiling.pk}/peringkat/alasan/", {"override_reason": "Disepakati seluruh peserta."})

    over_ceiling.refresh_from_db()
    assert over_ceiling.override_reason == "Disepakati seluruh peserta."


def test_bappeda_reads_the_kecamatan_ranking_but_may_not_cut_it(english, over_ceiling, bappeda_kabupaten):
    english.force_login(bappeda_kabupaten)
    before = snapshot(over_ceiling)

    page = text_of(english.get(f"/musyawarah/{over_ceiling.pk}/peringkat/"))
    response = english.post(f"/musyawarah/{over_ceiling.pk}/peringkat/potong/", {"reason": "Melebihi pagu."})

    assert "cut-line" in page and 'id="cut"' not in page
    assert response.status_code == 403
    assert snapshot(over_ceiling) == before


def test_the_neighbouring_kecamatan_cannot_see_the_ranking(english, over_ceiling, other_kecamatan_operator):
    english.force_login(other_kecamatan_operator)

    assert english.get(f"/musyawarah/{over_ceiling.pk}/peringkat/").status_code == 404
    assert english.post(f"/musyawarah/{over_ceiling.pk}/peringkat/potong/").status_code == 404


# --- approval, the minutes, revisions ---------------------------------------------------------


def test_the_approval_page_lists_what_blocks_approval(english, desa_forum, village_operator):
    english.force_login(village_operator)

    response = english.get(f"/musyawarah/{desa_forum.pk}/setujui/")

    page = text_of(response)
    problems = re.findall(r"<li>([^<]+)</li>", page[page.index('class="problems"') :].split("</ul>")[0])
    assert problems == [
        escape(f"3 item(s) still wait for a decision: {ROAD}, {DRAIN}, {WELL}."),
        "The forum must elect 3 to 5 delegates; it has 0.",
        "Nobody is on the attendance list. Record who attended (Lampiran I of the berita acara) before approving.",
        "The minutes need the forum&#x27;s date, place, chair.",
    ]
    assert "Approve and issue the berita acara" not in page


def test_the_approval_page_shows_what_will_be_issued(english, desa_forum, village_operator):
    prepare(desa_forum, village_operator)
    forums_workflow.decide(
        actor=village_operator, decision=decision_of(desa_forum, WELL), outcome="village_budget", reason="Skala desa."
    )
    english.force_login(village_operator)

    page = text_of(english.get(f"/musyawarah/{desa_forum.pk}/setujui/"))

    agreed = page[page.index("Agreed priorities") : page.index("Items not agreed")]
    not_agreed = page[page.index("Items not agreed") : page.index("</section>", page.index("Items not agreed"))]
    assert [ROAD, DRAIN] == re.findall(r"<td>([^<]+)<br>", agreed)
    assert "Rp240.000.000" in agreed
    assert WELL in not_agreed and "Skala desa." in not_agreed
    assert "Siti Aminah (Female), Budi Santoso (Male), Joko Susilo (Male)" in page
    assert "4 attendees" in page  # the quorum prepare() records (tests/factories.attend)
    assert re.findall(r'<dd id="count-(women|men)">(\d+)</dd>', page) == [("women", "2"), ("men", "2")]
    assert "Every check passes." in page
    assert MinutesDocument.objects.count() == 0  # shown, not yet issued


def test_approving_with_problems_issues_nothing_and_says_why(english, desa_forum, village_operator):
    english.force_login(village_operator)
    before = snapshot(desa_forum)

    response = english.post(f"/musyawarah/{desa_forum.pk}/setujui/", follow=True)

    assert response.redirect_chain == [(f"/musyawarah/{desa_forum.pk}/setujui/", 302)]
    assert "The forum must elect 3 to 5 delegates; it has 0." in messages_of(response)[0]
    assert snapshot(desa_forum) == before


def test_approving_issues_one_document_whose_download_matches_its_hash(english, desa_forum, village_operator):
    prepare(desa_forum, village_operator)
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{desa_forum.pk}/setujui/")

    document = MinutesDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/musyawarah/{desa_forum.pk}/"
    assert messages_of(response) == [
        f"The forum was approved. Berita acara {document.number} was issued; its PDF is being prepared."
    ]
    desa_forum.refresh_from_db()
    assert (desa_forum.status, document.forum, document.revision) == (ForumStatus.APPROVED, desa_forum, 0)

    download = english.get(f"/musyawarah/{desa_forum.pk}/dokumen/{document.pk}/")
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'inline; filename="berita-acara-{document.number.replace("/", "-")}.pdf"'
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == document.sha256


def test_the_minutes_download_as_an_attachment_on_request(english, approved_desa_forum, village_operator):
    document = approved_desa_forum.documents.get()
    english.force_login(village_operator)

    response = english.get(f"/musyawarah/{approved_desa_forum.pk}/dokumen/{document.pk}/?download=1")

    assert response["Content-Disposition"].startswith("attachment; filename=")


def test_the_minutes_are_not_found_outside_the_forums_scope(english, approved_desa_forum, neighbour_village_operator):
    document = approved_desa_forum.documents.get()
    english.force_login(neighbour_village_operator)

    assert english.get(f"/musyawarah/{approved_desa_forum.pk}/dokumen/{document.pk}/").status_code == 404


def test_a_document_of_another_forum_is_not_found_under_this_one(
    english, kecamatan_forum, approved_desa_forum, kecamatan_operator
):
    document = approved_desa_forum.documents.get()
    english.force_login(kecamatan_operator)

    assert english.get(f"/musyawarah/{kecamatan_forum.pk}/dokumen/{document.pk}/").status_code == 404


def test_a_revision_issues_a_new_numbered_document_and_keeps_the_first(english, approved_desa_forum, village_operator):
    first = approved_desa_forum.documents.get()
    english.force_login(village_operator)

    response = english.post(
        f"/musyawarah/{approved_desa_forum.pk}/revisi/",
        {
            "reason": "Nama ketua salah ketik.",
            "held_on": "2026-01-20",
            "starts_at": "09:00",
            "place": "Balai Desa",
            "chair_name": "Suparno, S.Pd.",
            "chair_title": "Kepala Desa",
        },
    )

    revision = approved_desa_forum.documents.get(revision=1)
    assert response.status_code == 302
    assert messages_of(response) == [f"Revision 1 was issued as {revision.number}; its PDF is being prepared."]
    assert (revision.reason, revision.number != first.number) == ("Nama ketua salah ketik.", True)
    approved_desa_forum.refresh_from_db()
    assert approved_desa_forum.chair_name == "Suparno, S.Pd."
    assert MinutesDocument.objects.get(pk=first.pk).sha256 == first.sha256


def test_a_revision_without_a_reason_issues_nothing(english, approved_desa_forum, village_operator):
    english.force_login(village_operator)

    response = english.post(f"/musyawarah/{approved_desa_forum.pk}/revisi/", {"place": "Aula"})

    assert response.status_code == 200
    assert '<a href="#id_reason">Reason for the revision</a>: Enter the reason for the revision.' in text_of(response)
    assert approved_desa_forum.documents.count() == 1


def test_a_forum_not_yet_approved_has_no_revision_page(english, desa_forum, village_operator):
    english.force_login(village_operator)

    response = english.get(f"/musyawarah/{desa_forum.pk}/revisi/")

    assert response["Location"] == f"/musyawarah/{desa_forum.pk}/ubah/"
    assert desa_forum.documents.count() == 0


# --- criteria and ceilings --------------------------------------------------------------------


def criteria_post(year, rows, initial=0) -> dict:
    data = {
        "year": str(year.year),
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
    }
    for i, (name, weight) in enumerate(rows):
        data[f"criteria-{i}-name"], data[f"criteria-{i}-weight"] = name, str(weight)
    return data


def test_bappeda_sets_the_years_ranking_criteria(english, bappeda_kabupaten, intake):
    english.force_login(bappeda_kabupaten)

    response = english.post(
        "/musyawarah/kriteria/", criteria_post(intake.planning_year, [("Urgensi", 50), ("Manfaat", 50), ("", "")])
    )

    assert response.status_code == 302
    assert list(
        Criterion.objects.filter(region=bappeda_kabupaten.region).values_list("name", "weight", "planning_year")
    ) == [("Urgensi", 50, intake.planning_year.pk), ("Manfaat", 50, intake.planning_year.pk)]


def test_criteria_that_do_not_add_up_to_100_are_refused_with_the_sum_shown(english, bappeda_kabupaten, intake):
    english.force_login(bappeda_kabupaten)

    response = english.post(
        "/musyawarah/kriteria/", criteria_post(intake.planning_year, [("Urgensi", 50), ("Manfaat", 40)])
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "The weights must add up to 100 %; they add up to 90 %." in page
    assert re.search(r'id="weight-sum">90 %<', page)
    assert 'value="Manfaat"' in page
    assert Criterion.objects.count() == 0


def test_a_criterion_without_a_weight_names_its_row(english, bappeda_kabupaten, intake):
    english.force_login(bappeda_kabupaten)

    response = english.post(
        "/musyawarah/kriteria/", criteria_post(intake.planning_year, [("Urgensi", 100), ("Manfaat", "")])
    )

    assert "Row 2, Weight (%)</a>: Give this criterion&#x27;s weight." in text_of(response)
    assert Criterion.objects.count() == 0


def test_the_criteria_page_shows_the_saved_criteria_and_their_sum(english, bappeda_kabupaten, criteria, intake):
    english.force_login(bappeda_kabupaten)

    page = text_of(english.get(f"/musyawarah/kriteria/?year={intake.planning_year.year}"))

    assert 'value="Urgensi"' in page and 'value="Manfaat"' in page
    assert re.search(r'id="weight-sum">100 %<', page)


@pytest.mark.parametrize("persona", ["village_operator", "kecamatan_operator", "agency_officer"])
def test_only_bappeda_opens_the_criteria_page(english, request, intake, persona):
    english.force_login(request.getfixturevalue(persona))

    assert english.get("/musyawarah/kriteria/").status_code == 403
    assert (
        english.post("/musyawarah/kriteria/", criteria_post(intake.planning_year, [("Urgensi", 100)])).status_code
        == 403
    )
    assert Criterion.objects.count() == 0


def ceilings_post(year, rows) -> dict:
    data = {"year": str(year.year)}
    for kecamatan, amount, max_items in rows:
        data[f"k{kecamatan.pk}-amount"], data[f"k{kecamatan.pk}-max_items"] = amount, max_items
    return data


def test_bappeda_sets_the_ceilings_of_its_kecamatan(english, bappeda_kabupaten, ladder, intake):
    english.force_login(bappeda_kabupaten)

    response = english.post(
        "/musyawarah/pagu/",
        ceilings_post(intake.planning_year, [(ladder["18.02.01"], "500.000.000", "10"), (ladder["18.02.02"], "", "")]),
    )

    assert response.status_code == 302
    assert list(Ceiling.objects.values_list("region__code", "amount", "max_items")) == [("18.02.01", 500_000_000, 10)]


def test_the_ceilings_page_shows_stored_ceilings_as_written_and_keeps_them_when_resaved(
    english, bappeda_kabupaten, ladder, intake
):
    kalirejo = ladder["18.02.01"]
    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten, planning_year=intake.planning_year, kecamatan=kalirejo, amount=750_000_000, max_items=4
    )
    english.force_login(bappeda_kabupaten)

    page = text_of(english.get("/musyawarah/pagu/"))
    response = english.post("/musyawarah/pagu/", ceilings_post(intake.planning_year, [(kalirejo, "750.000.000", "4")]))

    assert f'name="k{kalirejo.pk}-amount" value="750.000.000"' in page
    assert response.status_code == 302
    assert list(Ceiling.objects.values_list("region__code", "amount", "max_items")) == [("18.02.01", 750_000_000, 4)]


def test_a_refused_ceiling_saves_no_row_of_the_page(
    english, bappeda_kabupaten, ladder, kecamatan_forum, kecamatan_operator, intake
):
    year = intake.planning_year
    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten, planning_year=year, kecamatan=ladder["18.02.01"], amount=900_000_000
    )
    prepare(kecamatan_forum, kecamatan_operator)
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=kecamatan_forum)
    english.force_login(bappeda_kabupaten)

    response = english.post(
        "/musyawarah/pagu/",
        ceilings_post(year, [(ladder["18.02.01"], "100000000", ""), (ladder["18.02.02"], "300000000", "")]),
    )

    assert response.status_code == 200
    assert "its ceiling can no longer change." in text_of(response)
    assert list(Ceiling.objects.values_list("region__code", "amount")) == [("18.02.01", 900_000_000)]


@pytest.mark.parametrize("persona", ["bappeda_provinsi", "kecamatan_operator", "village_operator"])
def test_only_bappeda_kabupaten_opens_the_ceilings_page(english, request, ladder, intake, persona):
    english.force_login(request.getfixturevalue(persona))

    assert english.get("/musyawarah/pagu/").status_code == 403
    assert (
        english.post(
            "/musyawarah/pagu/", ceilings_post(intake.planning_year, [(ladder["18.02.01"], "1", "")])
        ).status_code
        == 403
    )
    assert Ceiling.objects.count() == 0


def test_the_ceilings_page_lists_only_its_own_kecamatan(english, bappeda_kabupaten, intake):
    english.force_login(bappeda_kabupaten)

    page = text_of(english.get("/musyawarah/pagu/"))

    assert re.findall(r'<th scope="row">([^<]+)</th>', page) == ["Kalirejo", "Bangun Rejo"]


# --- the proposal's path up the ladder --------------------------------------------------------


def test_the_proposal_page_shows_its_path_up_the_ladder(english, kecamatan_forum, kecamatan_operator):
    road = Proposal.objects.get(title=ROAD)
    forums_workflow.decide(
        actor=kecamatan_operator,
        decision=decision_of(kecamatan_forum, ROAD),
        outcome="rejected",
        reason="Bukan prioritas.",
    )
    english.force_login(kecamatan_operator)

    page = text_of(english.get(f"/usulan/{road.pk}/"))

    ladder = page[page.index('id="ladder"') : page.index("</section>", page.index('id="ladder"'))]
    year = kecamatan_forum.planning_year
    assert re.findall(r"<strong>([^<]+)</strong>", ladder) == [
        f"Musrenbang Desa Kalirejo {year}",
        f"Musrenbang Kecamatan Kalirejo {year}",
    ]
    assert "Accepted" in ladder and "Not agreed" in ladder and "Bukan prioritas." in ladder
    # The minutes are linked at their public address, which every reader of the proposal may
    # open (an agency may not open the village's forum).
    document = MinutesDocument.objects.get()
    assert f'<a href="/hasil/dokumen/{document.verify_code}.pdf">{document.number}</a>' in ladder
    history = page[page.index("History") :]
    assert "Village → District" in history
