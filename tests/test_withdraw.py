"""A village withdraws a proposal it submitted, giving its reason, until its village forum decides.

The item leaves the forum's list (its decision row goes), so the forum neither waits for it nor
names it in its minutes; the proposal ends "withdrawn", a final status, with the reason in its
history and on the public tracking page.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from forums import workflow as forums_workflow
from forums.models import Decision, Forum, Outcome
from forums.queries import approval_problems, with_item_counts
from proposals import workflow
from proposals.enums import FINAL_STATUSES
from proposals.models import EventAction, Proposal, ProposalEvent, Status
from proposals.workflow import WorkflowError
from regions.models import Level

from .factories import ProposalFactory, attend

REASON = "Sudah dibiayai swadaya warga bulan lalu."
KEPT = "Rabat beton jalan Dusun Sukamaju"
TAKEN_BACK = "Sumur bor balai warga"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted(media, intake, village_operator, pupr) -> dict[str, Proposal]:
    """Two proposals of Desa Kalirejo, submitted to its village forum, nothing decided yet."""
    made = {}
    for title, cost in ((KEPT, 150_000_000), (TAKEN_BACK, 40_000_000)):
        draft = ProposalFactory.build(
            village=village_operator.region, title=title, estimated_cost=cost, target_agency=pupr
        )
        proposal = workflow.create_proposal(actor=village_operator, proposal=draft)
        made[title] = workflow.submit_proposal(actor=village_operator, proposal=proposal)
    return made


def desa_forum() -> Forum:
    return Forum.objects.get(level=Level.DESA)


def decide(actor, title: str, outcome: str, **details) -> Decision:
    decision = Decision.objects.get(forum=desa_forum(), proposal__title=title)
    return forums_workflow.decide(actor=actor, decision=decision, outcome=outcome, **details)


def approve(actor, forum: Forum):
    forums_workflow.update_forum(
        actor=actor, forum=forum, held_on=datetime.date(2026, 1, 12), place="Balai Desa", chair_name="Suparman"
    )
    attend(actor, forum)
    for name, gender in (("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Ketut Wirawan", "L")):
        forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)
    return forums_workflow.approve_forum(actor=actor, forum=forum)


def withdraw_url(proposal: Proposal) -> str:
    return reverse("proposals:withdraw", args=[proposal.pk])


def text_of(response) -> str:
    return response.content.decode()


# --- the happy path ---------------------------------------------------------------------------


def test_the_form_asks_for_the_reason_in_indonesian(client, submitted, village_operator):
    client.force_login(village_operator)

    response = client.get(withdraw_url(submitted[TAKEN_BACK]))

    text = text_of(response)
    assert response.status_code == 200
    assert "Mengapa desa menarik usulan ini?" in text
    assert 'name="reason"' in text
    assert 'data-confirm="Tarik usulan ini? Langkah ini tidak dapat dibatalkan."' in text
    assert Proposal.objects.get(title=TAKEN_BACK).status == Status.SUBMITTED


def test_withdrawing_ends_the_proposal_takes_it_off_the_forum_and_records_the_reason(
    client, submitted, village_operator
):
    proposal = submitted[TAKEN_BACK]
    client.force_login(village_operator)

    response = client.post(withdraw_url(proposal), {"reason": f"  {REASON}  "})

    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.level) == (Status.WITHDRAWN, Level.DESA)
    assert Status.WITHDRAWN in FINAL_STATUSES
    event = proposal.events.latest("id")
    assert (event.action, event.actor, event.from_status, event.to_status, event.note, event.forum) == (
        EventAction.WITHDRAWN,
        village_operator,
        Status.SUBMITTED,
        Status.WITHDRAWN,
        REASON,
        desa_forum(),
    )
    assert list(desa_forum().decisions.values_list("proposal__title", flat=True)) == [KEPT]

    page = text_of(client.get(proposal.get_absolute_url()))
    assert "Usulan telah ditarik. Musyawarah desa tidak lagi menunggu usulan ini." in page
    assert '<span class="badge status-withdrawn">Ditarik oleh desa</span>' in page
    assert REASON in page
    assert withdraw_url(proposal) not in page  # nothing left to withdraw


def test_the_withdrawal_reads_in_english_for_an_english_reader(client, submitted, village_operator):
    proposal = submitted[TAKEN_BACK]
    workflow.withdraw_proposal(actor=village_operator, proposal=proposal, reason=REASON)
    client.force_login(village_operator)

    page = text_of(client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert '<span class="badge status-withdrawn">Withdrawn by the village</span>' in page
    assert "<strong>Withdrawn by the village</strong>" in page


def test_the_detail_page_offers_withdrawal_only_while_the_forum_has_not_decided(
    client, submitted, village_operator, kecamatan_operator
):
    client.force_login(village_operator)
    offered = text_of(client.get(submitted[TAKEN_BACK].get_absolute_url()))
    decide(village_operator, TAKEN_BACK, Outcome.ACCEPTED)
    after_decision = text_of(client.get(submitted[TAKEN_BACK].get_absolute_url()))
    client.force_login(kecamatan_operator)
    above = text_of(client.get(submitted[KEPT].get_absolute_url()))

    assert f'<a class="button danger" href="{withdraw_url(submitted[TAKEN_BACK])}">Tarik usulan</a>' in offered
    assert "Musyawarah desa belum memutuskan usulan ini." in offered
    assert withdraw_url(submitted[TAKEN_BACK]) not in after_decision
    assert withdraw_url(submitted[KEPT]) not in above


# --- the forum after a withdrawal --------------------------------------------------------------


def test_a_withdrawn_item_neither_blocks_the_approval_nor_appears_in_the_minutes(submitted, village_operator):
    workflow.withdraw_proposal(actor=village_operator, proposal=submitted[TAKEN_BACK], reason=REASON)
    decide(village_operator, KEPT, Outcome.ACCEPTED)
    forum = desa_forum()
    with translation.override("en"):
        pending_before = [p for p in approval_problems(forum) if "wait for a decision" in p]

    document = approve(village_operator, forum)

    assert pending_before == []
    reader = PdfReader(io.BytesIO(document.pdf.read()))
    minutes = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert KEPT in minutes
    assert TAKEN_BACK not in minutes and REASON not in minutes
    assert dict(Proposal.objects.values_list("title", "status")) == {
        KEPT: Status.SUBMITTED,  # forwarded to the kecamatan
        TAKEN_BACK: Status.WITHDRAWN,  # untouched by the approval: no "final outcome" event
    }
    assert list(submitted[TAKEN_BACK].events.values_list("action", flat=True)) == [
        EventAction.CREATED,
        EventAction.SUBMITTED,
        EventAction.WITHDRAWN,
    ]


def counts() -> tuple[int, int]:
    (forum,) = with_item_counts([desa_forum()])
    return forum.items, forum.pending


def test_the_forum_no_longer_counts_a_withdrawn_item_as_pending(submitted, village_operator):
    before = counts()
    workflow.withdraw_proposal(actor=village_operator, proposal=submitted[TAKEN_BACK], reason=REASON)

    assert (before, counts()) == ((2, 2), (1, 1))


# --- when it is refused ------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.ACCEPTED, Outcome.REJECTED, Outcome.VILLAGE_BUDGET])
def test_once_the_village_forum_has_decided_the_proposal_cannot_be_withdrawn(
    client, submitted, village_operator, outcome
):
    decide(village_operator, TAKEN_BACK, outcome, reason="" if outcome == Outcome.ACCEPTED else "Alasan forum.")
    client.force_login(village_operator)

    shown = client.get(withdraw_url(submitted[TAKEN_BACK]))
    refused = client.post(withdraw_url(submitted[TAKEN_BACK]), {"reason": REASON})

    message = "Musyawarah desa sudah memutuskan usulan ini; usulan tidak dapat ditarik lagi."
    assert shown.status_code == 200 and message in text_of(shown)
    assert 'name="reason"' not in text_of(shown)
    assert refused.status_code == 200 and message in text_of(refused)
    assert f"{REASON}</textarea>" in text_of(refused)  # what was typed is kept
    assert Proposal.objects.get(title=TAKEN_BACK).status == Status.SUBMITTED
    assert Decision.objects.filter(proposal__title=TAKEN_BACK).count() == 1


def test_a_returned_item_may_be_withdrawn_instead_of_revised(client, submitted, village_operator):
    decide(village_operator, TAKEN_BACK, Outcome.RETURNED, reason="Lengkapi RAB.")
    client.force_login(village_operator)
    page = text_of(client.get(submitted[TAKEN_BACK].get_absolute_url()))

    client.post(withdraw_url(submitted[TAKEN_BACK]), {"reason": REASON})

    assert f'href="{withdraw_url(submitted[TAKEN_BACK])}"' in page
    proposal = Proposal.objects.get(title=TAKEN_BACK)
    assert proposal.status == Status.WITHDRAWN
    assert proposal.events.latest("id").from_status == Status.RETURNED
    assert not Decision.objects.filter(proposal=proposal).exists()


def test_an_item_others_were_merged_into_cannot_be_withdrawn(submitted, village_operator):
    decide(village_operator, KEPT, Outcome.MERGED, reason="Ruas yang sama.", merged_into=submitted[TAKEN_BACK])

    with translation.override("en"), pytest.raises(WorkflowError, match="merged other proposals into this one"):
        workflow.withdraw_proposal(actor=village_operator, proposal=submitted[TAKEN_BACK], reason=REASON)

    assert Proposal.objects.get(title=TAKEN_BACK).status == Status.SUBMITTED
    assert Decision.objects.filter(proposal__title=TAKEN_BACK).count() == 1


@pytest.mark.parametrize("typed", ["", "   "])
def test_the_reason_is_required(client, submitted, village_operator, typed):
    client.force_login(village_operator)

    response = client.post(withdraw_url(submitted[TAKEN_BACK]), {"reason": typed})

    assert response.status_code == 200
    assert "Tuliskan alasan penarikan usulan." in text_of(response)
    assert Proposal.objects.get(title=TAKEN_BACK).status == Status.SUBMITTED


def test_a_too_long_reason_is_refused_and_kept(client, submitted, village_operator):
    client.force_login(village_operator)
    typed = "alasan " * 200

    response = client.post(withdraw_url(submitted[TAKEN_BACK]), {"reason": typed})

    assert "Alasan paling banyak 1000 karakter." in text_of(response)
    assert typed.strip() in text_of(response)
    assert Proposal.objects.get(title=TAKEN_BACK).status == Status.SUBMITTED


def test_the_workflow_refuses_a_blank_reason_whatever_calls_it(submitted, village_operator):
    with pytest.raises(WorkflowError, match="Tuliskan alasan penarikan usulan."):
        workflow.withdraw_proposal(actor=village_operator, proposal=submitted[TAKEN_BACK], reason=" ")


# --- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_villages_operator_gets_404(client, submitted, neighbour_village_operator, method):
    client.force_login(neighbour_village_operator)

    response = getattr(client, method)(withdraw_url(submitted[TAKEN_BACK]), {"reason": REASON})

    assert response.status_code == 404
    assert Proposal.objects.get(title=TAKEN_BACK).status == Status.SUBMITTED


@pytest.mark.parametrize("persona", ["kecamatan_operator", "bappeda_kabupaten"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_officers_above_the_village_who_see_the_item_get_403(client, request, submitted, persona, method):
    client.force_login(request.getfixturevalue(persona))

    response = getattr(client, method)(withdraw_url(submitted[TAKEN_BACK]), {"reason": REASON})

    assert response.status_code == 403
    assert Proposal.objects.get(title=TAKEN_BACK).status == Status.SUBMITTED


def test_anonymous_is_sent_to_log_in(client, submitted):
    url = withdraw_url(submitted[TAKEN_BACK])

    response = client.post(url, {"reason": REASON})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert Proposal.objects.get(title=TAKEN_BACK).status == Status.SUBMITTED


def test_other_methods_are_refused(client, submitted, village_operator):
    client.force_login(village_operator)

    assert client.put(withdraw_url(submitted[TAKEN_BACK])).status_code == 405
    assert client.delete(withdraw_url(submitted[TAKEN_BACK])).status_code == 405


def test_a_draft_and_an_item_past_the_village_forum_cannot_be_withdrawn(client, submitted, village_operator):
    draft = workflow.create_proposal(
        actor=village_operator, proposal=ProposalFactory.build(village=village_operator.region, title="Draf saja")
    )
    decide(village_operator, KEPT, Outcome.ACCEPTED)
    decide(village_operator, TAKEN_BACK, Outcome.ACCEPTED)
    approve(village_operator, desa_forum())  # both go on to the kecamatan
    client.force_login(village_operator)

    assert client.get(withdraw_url(draft)).status_code == 403
    assert client.post(withdraw_url(submitted[KEPT]), {"reason": REASON}).status_code == 403
    assert Proposal.objects.get(title=KEPT).level == Level.KECAMATAN
    assert not ProposalEvent.objects.filter(action=EventAction.WITHDRAWN).exists()


# --- what others read ----------------------------------------------------------------------------


def test_the_public_tracking_page_says_withdrawn_by_the_village_with_the_reason(client, submitted, village_operator):
    proposal = submitted[TAKEN_BACK]
    workflow.withdraw_proposal(actor=village_operator, proposal=proposal, reason=REASON)

    response = client.get(reverse("public:track_detail", args=[proposal.tracking_code]))

    page = response.context["proposal"]
    assert page.status == "Ditarik oleh desa"
    assert [(s.action, s.forum, s.note) for s in page.steps] == [
        ("Diajukan", "Musrenbang Desa Kalirejo", ""),
        ("Ditarik oleh desa", "Musrenbang Desa Kalirejo", REASON),
    ]
    assert REASON in text_of(response)
    assert "Sedang dimusyawarahkan" not in text_of(response)


def test_lists_and_dashboards_count_a_withdrawn_item_under_its_own_status(client, submitted, village_operator):
    workflow.withdraw_proposal(actor=village_operator, proposal=submitted[TAKEN_BACK], reason=REASON)
    client.force_login(village_operator)

    listed = client.get(reverse("proposals:list"), {"status": Status.WITHDRAWN})
    statistics = client.get(reverse("dashboards:public_region", args=["18.02.01.2003"]))

    assert TAKEN_BACK in text_of(listed) and KEPT not in text_of(listed)
    rows = {row.key: (row.label, row.count) for row in statistics.context["board"].by_status}
    assert rows == {Status.SUBMITTED: ("Diajukan", 1), Status.WITHDRAWN: ("Ditarik oleh desa", 1)}
