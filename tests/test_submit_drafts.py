"""A village submits its drafts together (proposals/drafts.py, proposals.workflow.submit_drafts):
Desa Kalirejo entered or imported its list and sends the ready ones in one go."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone, translation

from forums.models import Decision
from planning.models import StageWindow
from proposals import workflow
from proposals.models import EventAction, Proposal, ProposalEvent, Status

from .factories import ProposalFactory

TITLES = ["Rabat beton Dusun I", "Drainase Dusun II", "Sumur bor Dusun III", "Posyandu Dusun IV"]


@pytest.fixture(autouse=True)
def fast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def drafts(village_operator, intake, pupr):
    return [
        ProposalFactory(village=village_operator.region, created_by=village_operator, title=t, target_agency=pupr)
        for t in TITLES
    ]


def statuses() -> dict[str, str]:
    return dict(Proposal.objects.filter(title__in=TITLES).values_list("title", "status"))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_list_offers_the_drafts_and_the_page_ticks_them_all(english, drafts, village_operator):
    english.force_login(village_operator)
    assert "Submit drafts (4)" in english.get("/usulan/").content.decode()
    page = english.get("/usulan/ajukan-draf/").content.decode()
    for draft in drafts:
        assert f'name="drafts" value="{draft.pk}" id="draft-{draft.pk}" checked' in page
        assert draft.title in page


def test_the_ticked_drafts_are_submitted_together_each_with_its_code_and_event(english, drafts, village_operator):
    english.force_login(village_operator)
    response = english.post("/usulan/ajukan-draf/", {"drafts": [drafts[0].pk, drafts[2].pk, drafts[3].pk]})

    assert response.status_code == 302 and response.url == "/usulan/"
    assert statuses() == {TITLES[0]: "submitted", TITLES[1]: "draft", TITLES[2]: "submitted", TITLES[3]: "submitted"}
    submitted = Proposal.objects.filter(status=Status.SUBMITTED)
    assert len({p.tracking_code for p in submitted}) == 3 and all(p.tracking_code for p in submitted)
    assert ProposalEvent.objects.filter(action=EventAction.SUBMITTED, actor=village_operator).count() == 3
    # They wait in the village forum, in the order they were entered.
    assert list(Decision.objects.order_by("rank").values_list("proposal__title", flat=True)) == [
        TITLES[0],
        TITLES[2],
        TITLES[3],
    ]
    assert messages_of(response) == ["3 proposals were submitted; each tracking code is on its page."]


def test_nothing_ticked_or_another_villages_draft_submits_nothing(
    english, drafts, village_operator, neighbour_village_operator, pupr
):
    english.force_login(village_operator)
    response = english.post("/usulan/ajukan-draf/", {})
    assert response.status_code == 200
    assert "Tick at least one draft to submit." in response.content.decode()

    theirs = ProposalFactory(village=neighbour_village_operator.region, created_by=neighbour_village_operator)
    response = english.post("/usulan/ajukan-draf/", {"drafts": [drafts[0].pk, theirs.pk]})
    assert response.status_code == 200
    assert "Choose the drafts to submit from the options given." in response.content.decode()
    # What was ticked stays ticked.
    assert f'value="{drafts[0].pk}" id="draft-{drafts[0].pk}" checked' in response.content.decode()
    assert f'value="{drafts[1].pk}" id="draft-{drafts[1].pk}">' in response.content.decode()
    assert set(statuses().values()) == {"draft"}
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT


def test_outside_the_intake_window_nothing_is_submitted(english, drafts, village_operator, intake):
    StageWindow.objects.filter(pk=intake.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    english.force_login(village_operator)
    response = english.post("/usulan/ajukan-draf/", {"drafts": [d.pk for d in drafts]})
    assert response.status_code == 200
    assert "closed on" in response.content.decode()
    assert set(statuses().values()) == {"draft"}
    assert not ProposalEvent.objects.filter(action=EventAction.SUBMITTED).exists()


def test_a_draft_submitted_meanwhile_is_reported_and_the_rest_go(drafts, village_operator):
    stale = Proposal.objects.get(pk=drafts[1].pk)
    workflow.submit_proposal(actor=village_operator, proposal=drafts[1])  # another tab got there first

    with translation.override("en"):
        submitted, refused = workflow.submit_drafts(actor=village_operator, proposals=[drafts[0], stale, drafts[2]])

    assert [p.title for p in submitted] == [TITLES[0], TITLES[2]]
    assert [(p.title, why) for p, why in refused] == [(TITLES[1], "A proposal that is submitted cannot be submitted.")]
    assert ProposalEvent.objects.filter(action=EventAction.SUBMITTED, proposal=drafts[1]).count() == 1


def test_only_a_village_operator_has_drafts_to_submit(english, drafts, kecamatan_operator, bappeda_kabupaten):
    for officer in (kecamatan_operator, bappeda_kabupaten):
        english.force_login(officer)
        assert english.get("/usulan/ajukan-draf/").status_code == 403
        assert english.post("/usulan/ajukan-draf/", {"drafts": [drafts[0].pk]}).status_code == 403
    english.logout()
    assert english.post("/usulan/ajukan-draf/", {"drafts": [drafts[0].pk]}).url.startswith("/masuk/")
    assert set(statuses().values()) == {"draft"}
