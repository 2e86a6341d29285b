"""Pokok-pikiran DPRD (issue 16, part 2): a member's item, from its recess meeting to the forums.

A DPRD member of Lampung Tengah enters an item through the pages with its recess meeting and
its evidence, sends it to the Setwan, which verifies it into the Forum Perangkat Daerah of Dinas
PUPR (or returns it with a reason); there it is ranked, decided and approved like any forwarded
item, marked "Pokir DPRD" on the ranking, in the lists, the downloads and the berita acara.
Who sees it is proposals/queries.py's rule; every role is asked here.
"""

from __future__ import annotations

import csv
import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pypdf import PdfReader, PdfWriter

from forums import workflow as forums_workflow
from forums.models import Decision, Forum, ForumKind, Outcome
from notifications.models import Kind, Notification
from pokir import workflow
from pokir.models import Recess
from proposals.models import Attachment, AttachmentKind, EventAction, Proposal, ProposalEvent, Sector, Status
from regions.models import Level

from .factories import attend, pokir_item

TITLE = "Pengaspalan jalan poros Kalirejo - Sinar Sari"
REASON = "Lampirkan daftar hadir reses yang ditandatangani."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def pdf(name="notulen-reses.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def form_data(ladder, pupr, **overrides) -> dict:
    data = {
        "title": TITLE,
        "problem": "Jalan poros antardesa rusak berat sepanjang 2 km; hasil reses di Balai Desa Kalirejo.",
        "proposed_work": "Pengaspalan lapen lebar 4 m sepanjang 2 km.",
        "sector": Sector.objects.get(code="1.03").pk,
        "work_kind": "fisik",
        "target_agency": pupr.pk,
        "village": ladder["18.02.01.2003"].pk,
        "address": "Jalan poros Kalirejo",
        "volume": "2000",
        "unit": "meter",
        "estimated_cost": "1.200.000.000",
        "beneficiaries": "Warga Kalirejo dan Sinar Sari",
        "beneficiary_count": "3500",
        "recess_held_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "recess_place": "Balai Desa Kalirejo",
        "recess_attendees": "85",
        "recess_evidence": [pdf()],
    }
    data.update(overrides)
    return data


def entered(client, member, ladder, pupr) -> Proposal:
    client.force_login(member)
    response = client.post("/pokir/baru/", form_data(ladder, pupr))
    proposal = Proposal.objects.get(title=TITLE)
    assert response.status_code == 302 and response["Location"] == f"/pokir/{proposal.pk}/"
    return proposal


def agency_forum(pupr) -> Forum:
    return Forum.objects.get(kind=ForumKind.AGENCY, agency=pupr)


def test_a_dprd_members_pokok_pikiran_reaches_the_agencys_forum_marked_as_pokir(
    client, intake, ladder, pupr, dprd_member, dprd_secretariat, agency_officer, bappeda_kabupaten
):
    proposal = entered(client, dprd_member, ladder, pupr)

    assert (proposal.channel, proposal.status, proposal.level) == ("pokir", Status.DRAFT, Level.KABUPATEN)
    assert (proposal.proposer_type, proposal.proposer_name) == ("dprd", dprd_member.get_full_name())
    assert (proposal.village, proposal.kecamatan, proposal.kabupaten) == (
        ladder["18.02.01.2003"],
        ladder["18.02.01"],
        ladder["18.02"],
    )
    recess = Recess.objects.get(proposal=proposal)
    assert (recess.member, recess.dapil, recess.place, recess.attendee_count) == (
        dprd_member,
        "Dapil 3 Lampung Tengah",
        "Balai Desa Kalirejo",
        85,
    )
    assert [(a.kind, a.original_name) for a in proposal.attachments.all()] == [
        (AttachmentKind.RECESS_EVIDENCE, "notulen-reses.pdf")
    ]

    client.post(f"/pokir/{proposal.pk}/ajukan/")
    proposal.refresh_from_db()
    assert proposal.status == Status.VERIFYING and proposal.tracking_code and proposal.current_agency == pupr
    assert not Forum.objects.filter(kind=ForumKind.AGENCY).exists()  # nobody's forum yet

    client.force_login(dprd_secretariat)
    assert TITLE in client.get("/pokir/?status=verifying").content.decode()
    client.post(f"/pokir/{proposal.pk}/verifikasi/")
    proposal.refresh_from_db()
    forum = agency_forum(pupr)
    assert proposal.status == Status.SUBMITTED
    assert list(forum.decisions.values_list("proposal", "outcome")) == [(proposal.pk, "")]
    assert proposal.events.get(action=EventAction.VERIFIED).forum == forum

    # The agency ranks it among its items, marked as Pokir.
    client.force_login(agency_officer)
    ranking = client.get(f"/musyawarah/{forum.pk}/peringkat/").content.decode()
    assert TITLE in ranking and '<span class="badge pokir">Pokir DPRD</span>' in ranking
    rows = list(csv.reader(io.StringIO(client.get(f"/musyawarah/{forum.pk}/peringkat/unduh.csv").content.decode())))
    assert rows[1][rows[0].index("Jalur")] == "Pokir DPRD"

    # Bappeda's list and downloads mark it; SIPD names its profile as SIPD does.
    client.force_login(bappeda_kabupaten)
    listed = client.get("/usulan/").content.decode()
    assert '<span class="badge pokir">Pokir DPRD</span>' in listed
    rows = list(csv.reader(io.StringIO(client.get("/usulan/?_export=csv").content.decode("utf-8-sig"))))
    assert rows[1][rows[0].index("Jalur")] == "Pokir DPRD"
    sipd = list(csv.reader(io.StringIO(client.get("/usulan/?_export=sipd-csv").content.decode("utf-8-sig"))))
    assert sipd[1][sipd[0].index("Profil")] == "Pokir DPRD"
    assert sipd[1][sipd[0].index("Rekomendasi OPD")] == "Menunggu"

    # The agency decides and approves: the berita acara marks it, and it climbs to the kabupaten.
    decision = forum.decisions.get()
    forums_workflow.decide(actor=agency_officer, decision=decision, outcome=Outcome.ACCEPTED)
    forums_workflow.update_forum(
        actor=agency_officer,
        forum=forum,
        held_on=timezone.localdate(),
        place="Aula Dinas PUPR",
        chair_name="Ir. Bambang Sutrisno",
    )
    attend(agency_officer, forum)
    document = forums_workflow.approve_forum(actor=agency_officer, forum=forum)
    # The member hears of it, as a village hears of its forum's approval.
    told = Notification.objects.get(recipient=dprd_member, kind=Kind.FORUM_APPROVED, forum=forum)
    assert told.params == {"items": 1}
    document.refresh_from_db()
    text = pdf_text(document.pdf.read())
    assert f"{proposal.tracking_code} {TITLE} [Pokir DPRD]" in text
    kabupaten = Forum.objects.get(kind=ForumKind.MUSRENBANG, level=Level.KABUPATEN, region=ladder["18.02"])
    assert kabupaten.decisions.get().proposal == proposal

    # Taken into the plan, it stands on the agency's Renja list marked as Pokir.
    forums_workflow.decide(actor=bappeda_kabupaten, decision=kabupaten.decisions.get(), outcome=Outcome.ACCEPTED)
    forums_workflow.update_forum(
        actor=bappeda_kabupaten,
        forum=kabupaten,
        held_on=timezone.localdate(),
        place="Gedung Sesat Agung",
        chair_name="Ir. Dewi Lestari",
    )
    attend(bappeda_kabupaten, kabupaten)
    forums_workflow.approve_forum(actor=bappeda_kabupaten, forum=kabupaten)
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCOMMODATED
    client.force_login(agency_officer)
    renja = client.get(f"/laporan/renja/{pupr.pk}/?year={proposal.planning_year.year}").content.decode()
    assert TITLE in renja and '<span class="badge pokir">Pokir DPRD</span>' in renja


def test_the_setwan_returns_an_item_with_its_reason_and_the_member_sends_it_again(
    client, intake, ladder, pupr, dprd_member, dprd_secretariat
):
    proposal = pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr)

    client.force_login(dprd_secretariat)
    response = client.post(f"/pokir/{proposal.pk}/kembalikan/", {"reason": REASON})

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.RETURNED
    event = proposal.events.get(action=EventAction.RETURNED)
    assert (event.actor, event.note, event.forum) == (dprd_secretariat, REASON, None)
    assert not Decision.objects.exists()

    client.force_login(dprd_member)
    page = client.get(f"/pokir/{proposal.pk}/").content.decode()
    assert REASON in page and "Setwan" in page
    client.post(f"/pokir/{proposal.pk}/ajukan/")
    proposal.refresh_from_db()
    assert proposal.status == Status.VERIFYING
    assert list(proposal.events.values_list("action", flat=True)) == [EventAction.RETURNED, EventAction.RESUBMITTED]


def test_an_item_a_forum_returned_goes_back_to_that_forum_once_verified_again(
    intake, ladder, pupr, dprd_member, dprd_secretariat, agency_officer
):
    proposal = pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr)
    workflow.verify_item(actor=dprd_secretariat, proposal=proposal)
    forum = agency_forum(pupr)
    forums_workflow.decide(
        actor=agency_officer, decision=forum.decisions.get(), outcome=Outcome.RETURNED, reason="Rincian biaya kurang."
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.RETURNED

    workflow.submit_item(actor=dprd_member, proposal=proposal)
    workflow.verify_item(actor=dprd_secretariat, proposal=Proposal.objects.get(pk=proposal.pk))

    assert list(forum.decisions.values_list("proposal", "outcome")) == [(proposal.pk, "")]
    assert Proposal.objects.get(pk=proposal.pk).status == Status.SUBMITTED


# --- who sees what ---------------------------------------------------------------------------

# (persona, may see the item waiting for the Setwan, may see it once verified)
SEEING = [
    ("dprd_member", True, True),
    ("other_dprd_member", False, False),
    ("dprd_secretariat", True, True),
    ("other_dprd_secretariat", False, False),
    ("village_operator", False, False),  # the item lies in Desa Kalirejo: still not theirs
    ("kecamatan_operator", False, False),
    ("agency_officer", False, True),
    ("other_agency_officer", False, False),
    ("bappeda_kabupaten", False, True),
    ("other_bappeda_kabupaten", False, False),
    ("bappeda_provinsi", False, True),
    ("admin_user", True, True),
]


@pytest.mark.parametrize(("persona", "waiting", "verified"), SEEING, ids=[row[0] for row in SEEING])
def test_each_role_sees_a_pokir_item_exactly_when_its_rule_says(
    request, client, intake, ladder, pupr, dprd_member, dprd_secretariat, persona, waiting, verified
):
    user = request.getfixturevalue(persona)
    proposal = pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr)
    client.force_login(user)

    def sees() -> bool:
        in_query = Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists()
        page = client.get(f"/usulan/{proposal.pk}/")
        listed = proposal.title in client.get("/usulan/").content.decode()
        assert page.status_code == (200 if in_query else 404) and listed == in_query
        return in_query

    assert sees() == waiting
    workflow.verify_item(actor=dprd_secretariat, proposal=proposal)
    assert sees() == verified


@pytest.mark.parametrize(
    "persona",
    ["other_dprd_member", "other_dprd_secretariat", "village_operator", "agency_officer", "bappeda_kabupaten"],
)
def test_the_pokir_pages_are_a_404_to_anyone_outside_the_item(
    request, client, intake, ladder, pupr, dprd_member, persona
):
    proposal = pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr)
    client.force_login(request.getfixturevalue(persona))
    before = list(ProposalEvent.objects.values_list("pk", flat=True))

    pages = [
        client.get(f"/pokir/{proposal.pk}/"),
        client.get(f"/pokir/{proposal.pk}/ubah/"),
        client.post(f"/pokir/{proposal.pk}/verifikasi/"),
        client.post(f"/pokir/{proposal.pk}/kembalikan/", {"reason": REASON}),
        client.post(f"/pokir/{proposal.pk}/ajukan/"),
    ]

    assert [page.status_code for page in pages] == [404] * 5
    assert list(ProposalEvent.objects.values_list("pk", flat=True)) == before
    assert Proposal.objects.get(pk=proposal.pk).status == Status.VERIFYING


def test_a_member_may_not_verify_and_the_setwan_may_not_edit(
    client, intake, ladder, pupr, dprd_member, dprd_secretariat
):
    proposal = pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr)

    client.force_login(dprd_member)
    assert client.post(f"/pokir/{proposal.pk}/verifikasi/").status_code == 403
    assert client.get(f"/pokir/{proposal.pk}/ubah/").status_code == 403  # sent: no longer the member's to change
    client.force_login(dprd_secretariat)
    assert client.get(f"/pokir/{proposal.pk}/ubah/").status_code == 403
    assert client.get("/pokir/baru/").status_code == 403

    assert Proposal.objects.get(pk=proposal.pk).status == Status.VERIFYING
    assert not Decision.objects.exists()


def test_a_members_list_holds_only_their_own_items(client, intake, ladder, pupr, dprd_member, other_dprd_member):
    mine = pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr, title="Punyaku")
    pokir_item(other_dprd_member, ladder["18.02.02.2001"], agency=pupr, title="Punya anggota lain")
    client.force_login(dprd_member)

    page = client.get("/pokir/").content.decode()

    assert "Punyaku" in page and "Punya anggota lain" not in page
    assert list(Proposal.objects.visible_to(dprd_member)) == [mine]


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"recess_evidence": []}, "recess_evidence", "Pilih paling sedikit satu berkas bukti reses."),
        ({"recess_place": ""}, "recess_place", None),
        ({"recess_attendees": "0"}, "recess_attendees", None),
        ({"recess_held_on": "2999-01-01"}, "recess_held_on", "Tanggal reses tidak boleh setelah hari ini."),
        ({"target_agency": ""}, "target_agency", None),
        ({"recess_evidence": [SimpleUploadedFile("x.pdf", b"not a pdf")]}, "recess_evidence", None),
    ],
    ids=["no evidence", "no place", "no attendees", "future date", "no agency", "not a pdf"],
)
def test_a_form_with_an_error_saves_nothing(client, intake, ladder, pupr, dprd_member, overrides, field, message):
    client.force_login(dprd_member)

    response = client.post("/pokir/baru/", form_data(ladder, pupr, **overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert not Proposal.objects.exists() and not Recess.objects.exists() and not Attachment.objects.exists()


def test_a_village_outside_the_members_regency_is_refused(client, intake, ladder, pupr, dprd_member):
    client.force_login(dprd_member)

    response = client.post("/pokir/baru/", form_data(ladder, pupr, village=ladder["18.01.01.2001"].pk))

    assert list(response.context["form"].errors) == ["village"]
    assert not Proposal.objects.exists()


def test_returning_without_a_reason_changes_nothing(client, intake, ladder, pupr, dprd_member, dprd_secretariat):
    proposal = pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr)
    client.force_login(dprd_secretariat)

    response = client.post(f"/pokir/{proposal.pk}/kembalikan/", {"reason": "  "})

    assert response.status_code == 200 and list(response.context["form"].errors) == ["reason"]
    assert Proposal.objects.get(pk=proposal.pk).status == Status.VERIFYING
    assert not ProposalEvent.objects.exists()


def test_the_constraints_keep_pokir_off_the_village_ladder(ladder, dprd_member):
    from django.db import IntegrityError, transaction

    proposal = pokir_item(dprd_member, ladder["18.02.01.2003"], status=Status.DRAFT)
    for changes in ({"level": Level.DESA}, {"proposer_type": "desa"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Proposal.objects.filter(pk=proposal.pk).update(**changes)


# --- the accounts ----------------------------------------------------------------------------


def account_data(**overrides) -> dict:
    data = {
        "name": "Hj. Siti Rahmah",
        "username": "dprd.siti",
        "role": "dprd_member",
        "region": "18.02",
        "agency": "",
        "dapil": "Dapil 2 Lampung Tengah",
        "faction": "Fraksi Persatuan",
        "phone": "",
        "email": "",
    }
    data.update(overrides)
    return data


def test_bappeda_creates_a_dprd_member_with_dapil_and_faction(client, bappeda_kabupaten):
    from accounts.models import CouncilSeat, User

    client.force_login(bappeda_kabupaten)
    response = client.post("/akun/baru/", account_data())

    assert response.status_code == 302
    member = User.objects.get(username="dprd.siti")
    assert (member.role, member.region.code) == ("dprd_member", "18.02")
    seat = CouncilSeat.objects.get(user=member)
    assert (seat.dapil, seat.faction) == ("Dapil 2 Lampung Tengah", "Fraksi Persatuan")


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"dapil": ""}, ["dapil"]),
        ({"role": "dprd_secretariat"}, ["dapil", "faction"]),
        ({"region": "18.02.01"}, ["region"]),
    ],
    ids=["member without dapil", "setwan with a seat", "member of a kecamatan"],
)
def test_an_account_form_with_a_wrong_seat_saves_nothing(client, bappeda_kabupaten, overrides, errors):
    from accounts.models import CouncilSeat, User

    client.force_login(bappeda_kabupaten)
    response = client.post("/akun/baru/", account_data(**overrides))

    assert sorted(response.context["form"].errors) == errors
    assert not User.objects.filter(username="dprd.siti").exists() and not CouncilSeat.objects.exists()


# --- who is told, and what a list costs -----------------------------------------------------


def test_a_return_tells_the_member_and_never_the_village_the_item_lies_in(
    intake, ladder, pupr, dprd_member, dprd_secretariat, village_operator
):
    from notifications.models import Notification

    proposal = pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr)

    workflow.return_item(actor=dprd_secretariat, proposal=proposal, reason=REASON)

    assert list(Notification.objects.values_list("recipient", "kind", "params__reason")) == [
        (dprd_member.pk, "returned", REASON)
    ]


def test_the_setwan_list_costs_the_same_few_queries_for_many_items(
    client, intake, ladder, pupr, dprd_member, dprd_secretariat, django_assert_max_num_queries
):
    client.force_login(dprd_secretariat)
    for n in range(12):
        pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr, title=f"Pokir {n}")

    with django_assert_max_num_queries(12):
        page = client.get("/pokir/").content.decode()

    assert page.count('<span class="badge pokir">') == 12


def test_a_returned_item_is_revised_with_its_evidence_kept_and_cannot_lose_the_last_file(
    client, intake, ladder, pupr, dprd_member, dprd_secretariat
):
    proposal = entered(client, dprd_member, ladder, pupr)
    workflow.submit_item(actor=dprd_member, proposal=proposal)
    workflow.return_item(actor=dprd_secretariat, proposal=Proposal.objects.get(pk=proposal.pk), reason=REASON)
    evidence = proposal.attachments.get()
    edit = f"/pokir/{proposal.pk}/ubah/"
    version = client.get(edit).context["form"]["version"].value()

    refused = client.post(
        edit, form_data(ladder, pupr, recess_evidence=[], remove_attachments=[evidence.pk], version=version)
    )
    assert list(refused.context["form"].errors) == ["recess_evidence"]

    response = client.post(
        edit,
        form_data(
            ladder, pupr, recess_evidence=[], recess_attendees="120", estimated_cost="1.000.000.000", version=version
        ),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.estimated_cost, proposal.recess.attendee_count, proposal.status) == (
        1_000_000_000,
        120,
        Status.RETURNED,
    )
    assert list(proposal.attachments.all()) == [evidence]


def test_a_member_deletes_their_own_draft_and_nothing_once_sent(
    client, intake, ladder, pupr, dprd_member, other_dprd_member, django_capture_on_commit_callbacks
):
    proposal = entered(client, dprd_member, ladder, pupr)
    stored = [a.file.path for a in proposal.attachments.all()]
    sent = pokir_item(dprd_member, ladder["18.02.01.2003"], agency=pupr, title="Sudah dikirim")

    client.force_login(other_dprd_member)
    assert client.post(f"/pokir/{proposal.pk}/hapus/").status_code == 404
    client.force_login(dprd_member)
    assert client.post(f"/pokir/{sent.pk}/hapus/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the deletion commits
        response = client.post(f"/pokir/{proposal.pk}/hapus/")

    assert response.status_code == 302 and response["Location"] == "/pokir/"
    assert list(Proposal.objects.all()) == [sent]
    assert not Recess.objects.filter(proposal_id=proposal.pk).exists()
    assert [path for path in stored if os.path.exists(path)] == []


def test_a_verified_item_is_marked_pokir_on_the_public_pages_and_in_the_open_data(
    client, intake, ladder, pupr, dprd_member, dprd_secretariat
):
    proposal = entered(client, dprd_member, ladder, pupr)
    client.post(f"/pokir/{proposal.pk}/ajukan/")
    client.force_login(dprd_secretariat)
    client.post(f"/pokir/{proposal.pk}/verifikasi/")
    client.logout()
    year = proposal.planning_year.year
    mark = '<span class="badge pokir">Pokir DPRD</span>'

    proposal.refresh_from_db()
    tracking = client.get(f"/lacak/{proposal.tracking_code}/").content.decode()
    listed = client.get("/daftar-usulan/", {"wilayah": "18.02", "tahun": year}).content.decode()
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(f"/data-terbuka/18.02/{year}.csv")).decode())))

    assert mark in tracking and mark in listed
    assert [(row["tracking_code"], row["channel"]) for row in rows] == [(proposal.tracking_code, "pokir")]
    # Whoever the member is stays off the public pages, as a village's proposer does.
    for page in (tracking, listed, str(rows)):
        assert dprd_member.get_full_name() not in page
