"""The public pages, without login: the home page, tracking a proposal by its code, the results
of approved forums and the download of their berita acara.

One proposal has every private field filled with a value found nowhere else (its proposer, RT/RW,
address, coordinates, an attachment, an internal note, officers with unusual names), and it
climbs through the Musrenbang Desa and Kecamatan Kalirejo through the real workflow, with
reasons. The pages must show what happened to it and none of those values.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lokal import format_rupiah

from accounts.models import Role
from forums import workflow as forums_workflow
from forums.models import Decision, Forum, MinutesDocument, Outcome
from proposals import workflow
from proposals.models import EventAction, Proposal, ProposalEvent, Status
from regions.models import Level

from .factories import ProposalFactory, UserFactory, attend

# Values that must never reach a public page. Lower-case letters q/x/z never occur in the
# upper-case tracking and verification codes, nor in a hexadecimal SHA-256.
PRIVATE = {
    "proposer_name": "Bu Sumiyatiqx Handayani",
    "proposer_contact": "0813-7707-4242 sumiyatiqx@mail.test",
    "address": "Jalan Melatiqz Gang Kenanga",
    "rt": "q7z",
    "rw": "x8q",
}
LATITUDE, LONGITUDE = Decimal("-5.987654"), Decimal("105.876543")
COORDINATE_TEXTS = ("5.987654", "5,987654", "105.876543", "105,876543")
ATTACHMENT_NAME = "rab-rahasia-qzx.pdf"
EDIT_NOTE = "Catatan internal qzx: nomor HP pengusul diganti"
VILLAGE_OFFICER = {"username": "pakdesa_qzv", "first_name": "Wiraqxo", "last_name": "Sentanuqz"}
DISTRICT_OFFICER = {"username": "camat_xqw", "first_name": "Yohanqz", "last_name": "Zulkarnaqx"}

TITLE = "Jalan usaha tani Dusun Margodadi"
OTHERS = {"Embung desa Kalirejo": 240_000_000, "Lampu jalan tenaga surya": 60_000_000}
REJECTED_AT_DESA = "Pagar makam umum"
CHANGE_REASON = "Panjang jalan disesuaikan dengan hasil survei desa."
RETURN_REASON = "Lengkapi gambar teknis dan RAB ruas jalan."
REJECT_AT_DESA_REASON = "Sudah dibiayai Dana Desa tahun lalu."
REJECT_AT_KEC_REASON = "Bukan prioritas kecamatan tahun ini."


@dataclass
class Walk:
    proposal: Proposal
    desa: Forum
    kecamatan: Forum
    village_officer: object
    district_officer: object


def private_values(walk: Walk) -> list[str]:
    values = [*PRIVATE.values(), *COORDINATE_TEXTS, ATTACHMENT_NAME, EDIT_NOTE]
    for officer in (walk.village_officer, walk.district_officer):
        values += [officer.username, officer.first_name, officer.last_name]
    return values


def approve(actor, forum: Forum, held_on: datetime.date, place: str, chair: str) -> MinutesDocument:
    forums_workflow.update_forum(actor=actor, forum=forum, held_on=held_on, place=place, chair_name=chair)
    attend(actor, forum)
    for name, gender in (("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Ketut Wirawan", "L")):
        forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)
    return forums_workflow.approve_forum(actor=actor, forum=forum)


def decide(actor, forum: Forum, title: str, outcome: str, **details) -> Decision:
    decision = Decision.objects.get(forum=forum, proposal__title=title)
    return forums_workflow.decide(actor=actor, decision=decision, outcome=outcome, **details)


def enter(operator, title: str, cost: int, agency) -> Proposal:
    draft = ProposalFactory.build(
        village=operator.region, title=title, estimated_cost=cost, target_agency=agency, created_by=operator
    )
    return workflow.create_proposal(actor=operator, proposal=draft)


def walk_year(ladder, pupr) -> Walk:
    """The private proposal and three others through the Musrenbang Desa and Kecamatan Kalirejo.

    Desa: the private one accepted with changes, two accepted, one not agreed.
    Kecamatan: the private one returned, corrected, resubmitted and accepted; the pond is moved
    above it; the street lamps not agreed. Agreed order at the kecamatan: pond, then the road.
    """
    village, kecamatan = ladder["18.02.01.2003"], ladder["18.02.01"]
    village_officer = UserFactory(role=Role.VILLAGE_OPERATOR, region=village, **VILLAGE_OFFICER)
    district_officer = UserFactory(role=Role.KECAMATAN_OPERATOR, region=kecamatan, **DISTRICT_OFFICER)

    draft = ProposalFactory.build(
        village=village,
        title=TITLE,
        estimated_cost=180_000_000,
        target_agency=pupr,
        created_by=village_officer,
        proposer_type="warga",
        latitude=LATITUDE,
        longitude=LONGITUDE,
        **PRIVATE,
    )
    rab = workflow.NewFile(
        kind="rab",
        upload=SimpleUploadedFile(ATTACHMENT_NAME, b"%PDF-1.4 rab", content_type="application/pdf"),
        content_type="application/pdf",
    )
    proposal = workflow.create_proposal(actor=village_officer, proposal=draft, new_files=[rab])
    workflow.update_proposal(actor=village_officer, proposal=proposal)
    ProposalEvent.objects.create(
        proposal=proposal, actor=village_officer, action=EventAction.EDITED, note=EDIT_NOTE, from_level=Level.DESA
    )
    workflow.submit_proposal(actor=village_officer, proposal=proposal)
    for title, cost in {**OTHERS, REJECTED_AT_DESA: 35_000_000}.items():
        other = enter(village_officer, title, cost, pupr)
        workflow.submit_proposal(actor=village_officer, proposal=other)

    desa = Forum.objects.get(level=Level.DESA, region=village)
    decide(
        village_officer,
        desa,
        TITLE,
        Outcome.ACCEPTED_CHANGED,
        reason=CHANGE_REASON,
        adjusted_volume=Decimal("80"),
        adjusted_cost=150_000_000,
    )
    for title in OTHERS:
        decide(village_officer, desa, title, Outcome.ACCEPTED)
    decide(village_officer, desa, REJECTED_AT_DESA, Outcome.REJECTED, reason=REJECT_AT_DESA_REASON)
    approve(village_officer, desa, datetime.date(2026, 1, 12), "Balai Desa Kalirejo", "Suparman")

    kec = Forum.objects.get(level=Level.KECAMATAN, region=kecamatan)
    decide(district_officer, kec, TITLE, Outcome.RETURNED, reason=RETURN_REASON)
    returned = Proposal.objects.get(title=TITLE)
    workflow.update_proposal(actor=village_officer, proposal=returned)
    workflow.resubmit_proposal(actor=village_officer, proposal=returned)
    decide(district_officer, kec, TITLE, Outcome.ACCEPTED)
    decide(district_officer, kec, "Embung desa Kalirejo", Outcome.ACCEPTED)
    decide(district_officer, kec, "Lampu jalan tenaga surya", Outcome.REJECTED, reason=REJECT_AT_KEC_REASON)
    forums_workflow.move(
        actor=district_officer, decision=Decision.objects.get(forum=kec, proposal__title=OTHERS_FIRST), up=True
    )
    approve(district_officer, kec, datetime.date(2026, 2, 10), "Aula Kantor Camat Kalirejo", "Drs. Hartono")
    return Walk(Proposal.objects.get(title=TITLE), desa, kec, village_officer, district_officer)


OTHERS_FIRST = "Embung desa Kalirejo"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def walk(media, ladder, intake, pupr) -> Walk:
    return walk_year(ladder, pupr)


def text_of(response) -> str:
    """The page, without its CSRF tokens: 64 random letters and digits of either case, in which a
    three-letter private value (an RT of "q7z") turns up now and then by chance."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', response.content.decode())


# --- the one proposal with private data ------------------------------------------------------


def test_the_walk_filled_every_private_field(walk):
    # Guard for the absence tests below: the values are really there, in the database.
    proposal = walk.proposal
    assert {name: getattr(proposal, name) for name in PRIVATE} == PRIVATE
    assert (proposal.latitude, proposal.longitude) == (LATITUDE, LONGITUDE)
    assert list(proposal.attachments.values_list("original_name", flat=True)) == [ATTACHMENT_NAME]
    assert proposal.events.filter(action=EventAction.EDITED, note=EDIT_NOTE).exists()
    assert proposal.status == Status.SUBMITTED and proposal.level == Level.KABUPATEN


def public_pages(client, walk) -> dict[str, str]:
    year = walk.proposal.planning_year.year
    kec_doc = walk.kecamatan.documents.get()
    return {
        "tracking": text_of(client.get(reverse("public:track_detail", args=[walk.proposal.tracking_code]))),
        "kecamatan results": text_of(client.get(reverse("public:region", args=["18.02.01", year]))),
        "desa results": text_of(client.get(reverse("public:region", args=["18.02.01.2003", year]))),
        "verification": text_of(client.get(reverse("public:verify", args=[kec_doc.verify_code]))),
    }


def test_public_pages_show_none_of_the_private_values(client, walk):
    pages = public_pages(client, walk)

    leaks = {(page, value) for page, text in pages.items() for value in private_values(walk) if value in text}
    assert leaks == set()


def test_tracking_page_shows_the_title_place_status_and_every_reason(client, walk):
    text = public_pages(client, walk)["tracking"]

    for expected in (
        TITLE,
        walk.proposal.tracking_code,
        "Desa Kalirejo",
        "Kecamatan Kalirejo",
        "Desa Kalirejo, Kecamatan Kalirejo, Kabupaten Lampung Tengah, Provinsi Lampung",
        f"RKPD {walk.proposal.planning_year.year}",
        walk.proposal.get_status_display(),
        CHANGE_REASON,
        RETURN_REASON,
        "Musrenbang Desa Kalirejo",
        "Musrenbang Kecamatan Kalirejo",
    ):
        assert expected in text, expected


def test_results_pages_show_titles_and_the_reasons_are_in_the_tracking_of_each_item(client, walk):
    pages = public_pages(client, walk)
    lamp = Proposal.objects.get(title="Lampu jalan tenaga surya")

    lamp_page = text_of(client.get(reverse("public:track_detail", args=[lamp.tracking_code])))

    assert TITLE in pages["kecamatan results"] and TITLE in pages["desa results"]
    assert REJECT_AT_KEC_REASON in lamp_page
    assert "Lampu jalan tenaga surya" not in pages["kecamatan results"]  # not agreed there


# --- tracking --------------------------------------------------------------------------------


def test_the_timeline_lists_public_events_in_order_with_forum_levels_and_documents(client, walk):
    response = client.get(reverse("public:track_detail", args=[walk.proposal.tracking_code]))
    steps = response.context["proposal"].steps

    public_events = list(
        walk.proposal.events.exclude(action__in=[EventAction.CREATED, EventAction.EDITED]).order_by("at", "id")
    )
    # Every forum on the way has approved: each event is an outcome. The last step is where the
    # item is now, the agency forum still deliberating.
    assert [s.action for s in steps[:-1]] == [e.get_action_display() for e in public_events]
    assert (steps[-1].action, steps[-1].forum, steps[-1].at, steps[-1].note, steps[-1].pending) == (
        "Sedang dimusyawarahkan",
        f"Forum Perangkat Daerah {walk.proposal.current_agency.name}",
        None,
        "",
        True,
    )
    assert steps[0].forum == "Musrenbang Desa Kalirejo"
    forwarded = [s for s in steps if s.action == EventAction.FORWARDED.label]
    assert [(s.forum, s.from_level, s.to_level) for s in forwarded] == [
        ("Musrenbang Desa Kalirejo", Level.DESA.label, Level.KECAMATAN.label),
        ("Musrenbang Kecamatan Kalirejo", Level.KECAMATAN.label, Level.KABUPATEN.label),
    ]
    desa_doc, kec_doc = walk.desa.documents.get(), walk.kecamatan.documents.get()
    desa_link = reverse("public:document", args=[desa_doc.verify_code])
    kec_link = reverse("public:document", args=[kec_doc.verify_code])
    # Linked once per forum, from its last step.
    desa_steps = [s for s in steps if s.forum == "Musrenbang Desa Kalirejo"]
    kec_steps = [s for s in steps if s.forum == "Musrenbang Kecamatan Kalirejo"]
    assert [s.document_url for s in desa_steps] == [""] * (len(desa_steps) - 1) + [desa_link]
    assert [s.document_url for s in kec_steps] == [""] * (len(kec_steps) - 1) + [kec_link]
    assert f'href="{desa_link}"' in text_of(response) and f'href="{kec_link}"' in text_of(response)


def test_tracking_accepts_the_code_in_lower_case_and_without_the_dash(client, walk):
    code = walk.proposal.tracking_code

    response = client.get(reverse("public:track_detail", args=[code.lower().replace("-", "")]))

    assert response.status_code == 200
    assert response.context["proposal"].tracking_code == code
    assert TITLE in text_of(response)


def test_the_tracking_form_sends_a_loosely_typed_code_to_the_proposal(client, walk):
    code = walk.proposal.tracking_code

    response = client.get(reverse("public:track"), {"code": f" {code.lower()} "})

    assert response.status_code == 302
    assert response["Location"] == reverse("public:track_detail", args=[code])


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ", "zzzz9999", "bukan kode"])
def test_an_unknown_code_gives_the_form_again_with_a_message_and_404(client, walk, code):
    by_form = client.get(reverse("public:track"), {"code": code})
    by_url = client.get(reverse("public:track_detail", args=[code]))

    for response in (by_form, by_url):
        assert response.status_code == 404
        text = text_of(response)
        assert "Tidak ada usulan yang diajukan dengan kode pelacakan ini" in text
        assert 'name="code"' in text
        assert TITLE not in text


def test_a_draft_is_not_public_even_with_a_code(client, ladder, intake):
    draft = ProposalFactory(village=ladder["18.02.01.2003"], tracking_code="DRAF-T234")

    response = client.get(reverse("public:track_detail", args=["DRAF-T234"]))

    assert response.status_code == 404
    assert draft.title not in text_of(response)


def test_tracking_a_merged_proposal_names_the_surviving_code(client, ladder, intake, village_operator, pupr, media):
    survivor = workflow.submit_proposal(
        actor=village_operator, proposal=enter(village_operator, "Rabat beton jalan Dusun Sukamaju", 150_000_000, pupr)
    )
    duplicate = workflow.submit_proposal(
        actor=village_operator, proposal=enter(village_operator, "Rabat beton Sukamaju sambungan", 90_000_000, pupr)
    )
    desa = Forum.objects.get(level=Level.DESA)
    decide(village_operator, desa, survivor.title, Outcome.ACCEPTED)
    decide(village_operator, desa, duplicate.title, Outcome.MERGED, reason="Ruas yang sama.", merged_into=survivor)
    approve(village_operator, desa, datetime.date(2026, 1, 12), "Balai Desa Kalirejo", "Suparman")

    response = client.get(reverse("public:track_detail", args=[duplicate.tracking_code]))

    proposal = response.context["proposal"]
    assert (proposal.status, proposal.merged_into_code) == (Status.MERGED.label, survivor.tracking_code)
    assert reverse("public:track_detail", args=[survivor.tracking_code]) in text_of(response)
    assert "Ruas yang sama." in text_of(response)


def test_tracking_refuses_post(client):
    assert client.post(reverse("public:track"), {"code": "ABCD-EFGH"}).status_code == 405


def test_the_tracking_page_reads_in_a_fixed_number_of_queries(client, walk, django_assert_num_queries):
    # The proposal, its regions, its events with their forums, their minutes, and the forum
    # deliberating on it now.
    with django_assert_num_queries(5):
        client.get(reverse("public:track_detail", args=[walk.proposal.tracking_code]))


# --- results ---------------------------------------------------------------------------------


def shown_items(response) -> list:
    """The items the results page shows of its one forum (its first page, read whole)."""
    [(_forum, page, _field)] = response.context["forums"]
    return list(page.object_list)


def test_results_list_the_agreed_items_in_rank_order_with_costs_total_and_document(client, walk):
    year = walk.proposal.planning_year.year

    response = client.get(reverse("public:region", args=["18.02.01", year]))

    (forum,) = response.context["results"].forums
    agreed = [
        d
        for d in Decision.objects.filter(forum=walk.kecamatan).select_related("proposal").order_by("rank", "id")
        if d.is_agreed
    ]
    assert [d.proposal.title for d in agreed] == [OTHERS_FIRST, TITLE]
    assert [(i.position, i.title, i.cost) for i in shown_items(response)] == [
        (n, d.proposal.title, d.cost) for n, d in enumerate(agreed, start=1)
    ]
    assert [(p.position, p.pk) for p in forum.items] == [(n, d.pk) for n, d in enumerate(agreed, start=1)]
    assert forum.total == sum(d.cost for d in agreed)
    assert forum.name == "Musrenbang Kecamatan Kalirejo"
    text = " ".join(text_of(response).split())
    assert text.index(OTHERS_FIRST) < text.index(TITLE)
    for d in agreed:
        assert format_rupiah(d.cost) in text
    assert format_rupiah(forum.total) in text
    document = walk.kecamatan.documents.get()
    assert f'href="{reverse("public:document", args=[document.verify_code])}"' in text
    assert document.number in text


def test_results_show_the_cost_and_volume_the_forum_agreed_not_the_first_estimate(client, walk):
    year = walk.proposal.planning_year.year

    response = client.get(reverse("public:region", args=["18.02.01.2003", year]))

    (forum,) = response.context["results"].forums
    road = next(i for i in shown_items(response) if i.title == TITLE)
    assert (road.volume, road.cost) == (Decimal("80"), 150_000_000)
    assert [i.title for i in shown_items(response)] == [TITLE, *OTHERS]
    assert len(forum.items) == 1 + len(OTHERS)
    assert REJECTED_AT_DESA not in text_of(response)


def test_results_drill_down_from_year_and_province_to_the_village(client, walk):
    year = walk.proposal.planning_year.year

    chosen = client.get(reverse("public:results"), {"year": year, "province": "18"})
    province = client.get(chosen["Location"])
    kabupaten = client.get(reverse("public:region", args=["18.02", year]))
    kecamatan = client.get(reverse("public:region", args=["18.02.01", year]))

    assert chosen["Location"] == reverse("public:region", args=["18", year])
    assert [(c.code, c.forum_count) for c in province.context["results"].children] == [("18.02", 2)]
    assert [(c.code, c.forum_count) for c in kabupaten.context["results"].children] == [("18.02.01", 2)]
    assert [(c.code, c.forum_count) for c in kecamatan.context["results"].children] == [("18.02.01.2003", 1)]
    assert reverse("public:region", args=["18.02.01.2003", year]) in text_of(kecamatan)
    assert province.context["results"].forums == ()


def test_results_index_lists_provinces_with_approved_forums(client, walk):
    year = walk.proposal.planning_year.year

    response = client.get(reverse("public:results"), {"year": year})

    assert [(p.code, p.forum_count) for p in response.context["provinces"]] == [("18", 2)]
    assert reverse("public:region", args=["18", year]) in text_of(response)


def test_a_superseded_document_is_listed_after_its_revision_and_marked(client, walk):
    first = walk.kecamatan.documents.get()
    second = forums_workflow.revise_minutes(
        actor=walk.district_officer, forum=walk.kecamatan, reason="Tempat salah ketik.", place="Aula Kecamatan"
    )

    response = client.get(reverse("public:region", args=["18.02.01", walk.proposal.planning_year.year]))

    (forum,) = response.context["results"].forums
    assert [(d.number, d.revision, d.superseded) for d in forum.documents] == [
        (second.number, 1, False),
        (first.number, 0, True),
    ]
    assert "Digantikan oleh revisi yang lebih baru" in text_of(response)


def test_results_of_an_unknown_region_or_year_are_404(client, walk):
    year = walk.proposal.planning_year.year

    assert client.get(reverse("public:region", args=["19", year])).status_code == 404
    assert client.get(reverse("public:region", args=["18.02", 1999])).status_code == 404


def _approve_village_forum(operator, pupr, items: int) -> None:
    for n in range(items):
        proposal = enter(operator, f"Usulan {operator.region.name} nomor {n + 1}", 10_000_000 * (n + 1), pupr)
        workflow.submit_proposal(actor=operator, proposal=proposal)
    forum = Forum.objects.get(level=Level.DESA, region=operator.region)
    for decision in forum.decisions.all():
        forums_workflow.decide(actor=operator, decision=decision, outcome=Outcome.ACCEPTED)
    approve(operator, forum, datetime.date(2026, 1, 12), "Balai desa", "Kepala desa")


def _queries_for(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_results_pages_read_in_a_fixed_number_of_queries(
    client, media, ladder, intake, pupr, village_operator, neighbour_village_operator
):
    """The same pages at two sizes: a village forum of one item (and one village below the
    kecamatan), then one of six items (and two villages below it)."""
    year = intake.planning_year.year
    kecamatan = reverse("public:region", args=["18.02.01", year])
    index = reverse("public:results") + f"?year={year}"
    measured = []
    for operator, items in ((village_operator, 1), (neighbour_village_operator, 6)):
        _approve_village_forum(operator, pupr, items)
        village_count, village_page = _queries_for(client, reverse("public:region", args=[operator.region.code, year]))
        kecamatan_count, kecamatan_page = _queries_for(client, kecamatan)
        index_count, _page = _queries_for(client, index)
        assert len(village_page.context["results"].forums[0].items) == items
        measured.append((village_count, kecamatan_count, index_count))

    assert len(kecamatan_page.context["results"].children) == 2
    assert measured[0] == measured[1]
    # region, year, forums, items' standings, documents, ancestors, children grouped, their names,
    # the shown items whole and their regions (+ ceiling)
    assert max(measured[0]) <= 11


def test_results_refuse_post(client, walk):
    url = reverse("public:region", args=["18.02.01", walk.proposal.planning_year.year])
    assert client.post(url).status_code == 405


# --- document download -----------------------------------------------------------------------


def test_an_issued_document_downloads_inline_as_stored(client, walk):
    document = walk.kecamatan.documents.get()

    response = client.get(reverse("public:document", args=[document.verify_code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = f"berita-acara-{document.number.replace('/', '-')}.pdf"
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'
    document.pdf.open("rb")
    assert b"".join(response.streaming_content) == document.pdf.read()


def test_an_unknown_document_is_404(client, walk):
    assert client.get(reverse("public:document", args=["ZZZZZZZZZZ"])).status_code == 404


# --- home page -------------------------------------------------------------------------------


def test_anonymous_visitors_get_the_public_home_page(client, db):
    response = client.get("/")

    text = text_of(response)
    assert response.status_code == 200
    for name in ("public:track", "public:results", "public:verify_upload", "dashboards:public_home", "login"):
        assert f'href="{reverse(name)}"' in text, name
    assert 'name="code"' in text
    assert "Masuk" in text


def test_officers_are_sent_from_home_to_their_proposals(client, village_operator):
    client.force_login(village_operator)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:list")


def test_officers_do_not_get_the_public_links_in_the_header(client, village_operator):
    client.force_login(village_operator)

    response = client.get(reverse("public:track"))

    assert f'href="{reverse("public:verify_upload")}"' not in text_of(response).split("</header>")[0]
