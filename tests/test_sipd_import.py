"""The SIPD import (proposals/sipd/): a kabupaten's Bappeda uploads a SIPD usulan export, sees
what it would create and change, and confirms; export, import into a fresh database and export
again give the same rows. The worker runs at once (tests/conftest.py)."""

from __future__ import annotations

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from planning.models import PlanningYear
from proposals.models import EventAction, Proposal, ProposalEvent, Sector, SipdRecord, Status
from proposals.sipd.layout import SIPD_HEADER
from uploads.models import Upload
from uploads.readers import Refused, outcome_of

from .factories import ProposalFactory
from .test_exports import kecamatan_forum, priorities, read_csv, read_xlsx, walked  # noqa: F401  (fixtures)

IMPORT_URL = "/usulan/sipd/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def bappeda(client, bappeda_kabupaten):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(bappeda_kabupaten)
    return client


def good(number=1, **cells) -> dict:
    """A valid row of Lampung Tengah, SIPD id SIPD-<number>, with `cells` changed."""
    row = {
        "ID Usulan": f"SIPD-{number}",
        "Tanggal Usul": datetime.datetime(2025, 1, 15),
        "Pengusul": "Pemerintah Desa",
        "Profil": "Pemerintah desa/kelurahan",
        "Usulan": f"Rabat beton jalan {number}: Rabat beton lebar 3 m.",
        "Masalah": "Jalan tanah licin saat hujan.",
        "Alamat": "Dusun II, RT 003 / RW 001",
        "Kabupaten/Kota": "Kabupaten Lampung Tengah",
        "Kecamatan": "Kalirejo",
        "Kelurahan/Desa": "Kalirejo",
        "OPD Tujuan Awal": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "OPD Tujuan Akhir": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Status": "Diakomodir",
        "Catatan": "",
        "Rekomendasi Kelurahan/Desa": "Disepakati",
        "Rekomendasi Kecamatan": "Disepakati",
        "Rekomendasi OPD": "",
        "Volume": 100,
        "Satuan": "meter",
        "Anggaran": 150_000_000,
        "Jenis Belanja": "",
        "Sub Kegiatan": "",
    }
    return row | cells


def xlsx(rows: list[dict], header=SIPD_HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Usulan"
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name) for name in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check(client, content: bytes, name="usulan-sipd.xlsx", **fields) -> Upload:
    """Send a file to be checked (the dry run); the worker has read it when this returns."""
    data = {
        "file": SimpleUploadedFile(name, content),
        "planning_year": PlanningYear.objects.get().pk,
        "sector": Sector.objects.get(code="1.03").pk,
    } | fields
    response = client.post(IMPORT_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Upload.objects.order_by("created_at").last()


def confirm(client, checked: Upload) -> Upload:
    response = client.post(f"/usulan/sipd/{checked.pk}/")
    assert response.status_code == 302
    return Upload.objects.exclude(pk=checked.pk).order_by("created_at").last()


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", response.content.decode())).strip()


def by_id(rows: list[list]) -> list[list]:
    return sorted(rows, key=lambda row: str(row[0]))


# --- the round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize(("export", "read", "name"), [("xlsx", read_xlsx, "usulan.xlsx"), ("csv", read_csv, "u.csv")])
def test_a_sipd_export_round_trips_through_a_fresh_database(
    request,
    bappeda,
    ladder,
    intake,
    pupr,
    dinkes,
    village_operator,
    kecamatan_operator,
    agency_officer,
    export,
    read,
    name,
):
    request.getfixturevalue("other_bappeda_kabupaten")
    # The whole ladder walked, exported, then rolled back: the database holds no proposal again.
    with transaction.atomic():
        request.getfixturevalue("walked")
        with translation.override("en"):
            first = bappeda.get(f"/usulan/?_export=sipd-{export}")
        transaction.set_rollback(True)
    header, *rows = read(first)
    assert (header, len(rows), Proposal.objects.count()) == (SIPD_HEADER, 5, 0)

    saved = confirm(bappeda, check(bappeda, first.content, name=name))

    assert saved.state == "saved", saved.outcome
    assert by_id(read(bappeda.get(f"/usulan/?_export=sipd-{export}"))[1:]) == by_id(rows)
    imported = Proposal.objects.select_related("sipd").order_by("id")
    assert {p.status for p in imported} == {Status.SUBMITTED}
    assert {p.sipd.sipd_id for p in imported} == {row[0] for row in rows}
    assert all(p.tracking_code and p.tracking_code != p.sipd.sipd_id for p in imported)
    actions = list(ProposalEvent.objects.filter(proposal=imported[0]).values_list("action", "note"))
    assert actions == [
        (EventAction.CREATED, f"Diimpor dari ekspor SIPD {name}"),
        (EventAction.SUBMITTED, f"Diajukan di SIPD sebagai usulan {imported[0].sipd.sipd_id}"),
    ]


# --- the dry run, then confirming -------------------------------------------------------------


def test_the_dry_run_shows_new_rows_and_saves_nothing_until_confirmed(bappeda, intake, pupr):
    checked = check(bappeda, xlsx([good(1), good(2, **{"Usulan": "Drainase: Saluran 200 m", "Anggaran": 9_000_000})]))

    assert (checked.state, Proposal.objects.count(), SipdRecord.objects.count()) == ("saved", 0, 0)
    assert checked.file  # kept for the confirmation
    page = bappeda.get(checked.get_absolute_url())
    assert "The file was checked and nothing was saved yet: 2 new proposals, 0 changed, 0 unchanged." in page_text(page)
    preview = bappeda.get(f"/usulan/sipd/{checked.pk}/")
    assert "2 new proposals, 0 changed, 0 unchanged. Nothing has been saved yet." in page_text(preview)
    assert "3 SIPD-2 Drainase Kalirejo 9,000,000" in page_text(preview)
    assert "Confirm and save" in page_text(preview)

    saved = confirm(bappeda, checked)

    assert saved.state == "saved"
    assert sorted(Proposal.objects.values_list("title", "estimated_cost", "village__name", "target_agency__code")) == [
        ("Drainase", 9_000_000, "Kalirejo", "1.03.01"),
        ("Rabat beton jalan 1", 150_000_000, "Kalirejo", "1.03.01"),
    ]
    checked.refresh_from_db()
    assert not checked.file  # the check gave its copy to the confirmed reading, which deleted it
    again = bappeda.post(f"/usulan/sipd/{checked.pk}/")  # a second confirmation saves nothing twice
    assert again.status_code == 302 and Proposal.objects.count() == 2


def test_a_row_with_a_known_sipd_id_updates_that_proposal_and_the_preview_says_old_and_new(bappeda, intake, pupr):
    confirm(bappeda, check(bappeda, xlsx([good(1), good(2)])))
    changed = good(2, **{"Anggaran": 120_000_000, "Rekomendasi Kecamatan": "Disepakati dengan perubahan"})

    checked = check(bappeda, xlsx([good(1), changed, good(3)]))

    assert checked.outcome["saved"]["data"]["preview"] == {
        "new": [{"row": 4, "id": "SIPD-3", "title": "Rabat beton jalan 3", "village": "Kalirejo", "cost": 150_000_000}],
        "changed": [
            {
                "row": 3,
                "id": "SIPD-2",
                "title": "Rabat beton jalan 2",
                "changes": [
                    ["Rekomendasi Kecamatan", "Disepakati", "Disepakati dengan perubahan"],
                    ["Anggaran", "150000000", "120000000"],
                ],
            }
        ],
        "unchanged": 1,
        "ours": 0,
    }
    assert Proposal.objects.get(sipd__sipd_id="SIPD-2").estimated_cost == 150_000_000  # not yet

    assert confirm(bappeda, checked).state == "saved"

    proposal = Proposal.objects.select_related("sipd").get(sipd__sipd_id="SIPD-2")
    assert (proposal.estimated_cost, proposal.sipd.kecamatan_recommendation) == (
        120_000_000,
        "Disepakati dengan perubahan",
    )
    assert Proposal.objects.count() == 3
    assert proposal.events.last().action == EventAction.EDITED
    assert (
        proposal.events.last().note == "Diperbarui dari ekspor SIPD usulan-sipd.xlsx: Rekomendasi Kecamatan, Anggaran"
    )


def test_a_change_between_the_check_and_the_confirmation_saves_nothing(bappeda, intake, pupr):
    checked = check(bappeda, xlsx([good(1)]))
    confirm(bappeda, check(bappeda, xlsx([good(1)])))  # another check of the same id, confirmed first

    late = confirm(bappeda, checked)

    assert late.state == "refused"
    assert "The proposals changed since the file was checked" in outcome_of(late).problems[0]
    assert Proposal.objects.count() == 1


def test_a_row_of_a_proposal_entered_in_the_app_leaves_it_alone(bappeda, village, intake, pupr):
    ours = ProposalFactory(village=village, submitted=True, title="Jalan kami")
    checked = check(bappeda, xlsx([good(1, **{"ID Usulan": ours.tracking_code, "Anggaran": 1})]))

    assert checked.outcome["saved"]["data"]["preview"]["ours"] == 1
    assert "Confirm and save" not in page_text(bappeda.get(f"/usulan/sipd/{checked.pk}/"))
    ours.refresh_from_db()
    assert ours.estimated_cost == 150_000_000


# --- bad files --------------------------------------------------------------------------------


def test_a_bad_file_is_refused_by_row_and_column_with_nothing_saved(bappeda, intake, pupr):
    rows = [
        good(1),
        good(2, **{"Volume": "banyak", "Tanggal Usul": "kemarin"}),
        good(3, **{"Kelurahan/Desa": "Merak Batin"}),
        good(4, **{"Kecamatan": "Natar"}),
        good(5, **{"OPD Tujuan Awal": "Dinas Pariwisata", "Profil": "Raja"}),
        good(1),
        good(7, **{"Kabupaten/Kota": "Kabupaten Lampung Selatan"}),
    ]

    checked = check(bappeda, xlsx(rows))

    refused = outcome_of(checked)
    assert checked.state == "refused" and isinstance(refused, Refused)
    assert [(e.row, e.column) for e in refused.errors] == [
        (3, "Tanggal Usul"),
        (3, "Volume"),
        (4, "Kelurahan/Desa"),
        (5, "Kecamatan"),
        (6, "Profil"),
        (6, "OPD Tujuan Awal"),
        (7, "ID Usulan"),
        (8, "Kabupaten/Kota"),
    ]
    messages = {(e.row, e.column): e.message for e in refused.errors}
    assert messages[(4, "Kelurahan/Desa")] == "No village of Kalirejo has this name."
    assert messages[(5, "Kecamatan")] == "No district of Kabupaten Lampung Tengah has this name."
    assert messages[(7, "ID Usulan")] == "This id is also on row 2 of this file."
    assert refused.problems == ["6 rows have errors, so nothing was imported. Correct them and upload the file again."]
    assert (Proposal.objects.count(), SipdRecord.objects.count(), checked.file.name) == (0, 0, "")
    page = page_text(bappeda.get(checked.get_absolute_url()))
    assert "Send a corrected file" in page and "No village of Kalirejo has this name." in page


def test_a_file_with_the_wrong_header_is_refused_whole(bappeda, intake):
    header = [name for name in SIPD_HEADER if name != "Anggaran"] + ["Pagu"]

    checked = check(bappeda, xlsx([good(1)], header=header))

    assert outcome_of(checked).problems == [
        "Columns missing from the header: “Anggaran”.",
        "Unknown columns in the header: “Pagu”.",
        "Download the template again and copy your rows into it.",
    ]
    assert Proposal.objects.count() == 0


def test_a_csv_written_with_semicolons_is_read(bappeda, intake, pupr):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(SIPD_HEADER)
    writer.writerow([good(1, **{"Tanggal Usul": "15/01/2025", "Volume": "2,5"})[name] for name in SIPD_HEADER])

    confirm(bappeda, check(bappeda, ("\ufeff" + out.getvalue()).encode(), name="sipd.csv"))

    assert list(Proposal.objects.values_list("volume", "submitted_at__date")) == [
        (pytest.approx(2.5), datetime.date(2025, 1, 15))
    ]


def test_something_that_is_not_a_spreadsheet_is_refused(bappeda, intake):
    checked = check(bappeda, b"%PDF-1.4 nothing here", name="sipd.xlsx")

    assert outcome_of(checked).problems[0].startswith("sipd.xlsx is not an Excel workbook (.xlsx).")


# --- who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["village_operator", "kecamatan_operator", "agency_officer", "bappeda_provinsi"],
)
def test_only_a_kabupaten_bappeda_and_the_administrator_have_the_import(client, request, persona, intake):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(IMPORT_URL).status_code == 404
    assert client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.xlsx", xlsx([good(1)]))}).status_code == 404
    assert Upload.objects.count() == 0


def test_the_administrator_chooses_the_kabupaten(client, admin_user, ladder, intake, pupr):
    client.force_login(admin_user)
    assert "Regency/city" in page_text(client.get(IMPORT_URL, HTTP_ACCEPT_LANGUAGE="en"))

    checked = check(client, xlsx([good(1)]), kabupaten=ladder["18.02"].pk)
    confirm(client, checked)

    assert list(Proposal.objects.values_list("kabupaten__code", "created_by")) == [("18.02", admin_user.pk)]


def test_anothers_check_is_not_found_and_a_bappeda_imports_only_its_own_kabupaten(
    bappeda, client, other_bappeda_kabupaten, intake, pupr
):
    checked = check(bappeda, xlsx([good(1)]))
    client.force_login(other_bappeda_kabupaten)

    assert client.get(f"/usulan/sipd/{checked.pk}/").status_code == 404
    assert client.post(f"/usulan/sipd/{checked.pk}/").status_code == 404
    theirs = check(client, xlsx([good(1)]))  # Lampung Selatan's Bappeda, a Lampung Tengah file
    # Lampung Tengah's district and agencies are not Lampung Selatan's.
    columns = {"Kabupaten/Kota", "Kecamatan", "OPD Tujuan Awal", "OPD Tujuan Akhir"}
    assert {e.column for e in outcome_of(theirs).errors} == columns
    assert Proposal.objects.count() == 0


def test_the_pages_take_no_other_method(bappeda, intake, pupr):
    checked = check(bappeda, xlsx([good(1)]))

    assert bappeda.put(IMPORT_URL).status_code == 405
    assert bappeda.put(f"/usulan/sipd/{checked.pk}/").status_code == 405
    assert Proposal.objects.count() == 0


# --- cost -------------------------------------------------------------------------------------


def queries(client, content: bytes) -> int:
    with CaptureQueriesContext(connection) as captured:
        checked = check(client, content)
        saved = confirm(client, checked)
    assert saved.state == "saved", saved.outcome
    return len(captured.captured_queries)


def test_checking_and_saving_cost_as_many_queries_for_twelve_rows_as_for_three(bappeda, intake, pupr):
    few = queries(bappeda, xlsx([good(n) for n in range(3)]))
    many = queries(bappeda, xlsx([good(n) for n in range(100, 112)]))

    assert Proposal.objects.count() == 15
    assert few == many


# --- an imported proposal's pages -------------------------------------------------------------


def test_an_imported_proposal_shows_what_sipd_said_on_its_page_and_is_tracked_by_its_code(
    bappeda, client, intake, pupr
):
    confirm(bappeda, check(bappeda, xlsx([good(1, **{"Catatan": "Prioritas dusun"})])))
    proposal = Proposal.objects.get()

    page = page_text(bappeda.get(f"/usulan/{proposal.pk}/"))
    tracking = client.get(f"/lacak/{proposal.tracking_code}/")

    assert "As SIPD holds it" in page
    assert "ID Usulan SIPD-1 Status Diakomodir Catatan Prioritas dusun" in page
    assert "Diimpor dari ekspor SIPD usulan-sipd.xlsx" in page
    assert tracking.status_code == 200 and "Rabat beton jalan 1" in tracking.content.decode()


def test_a_check_never_confirmed_has_its_file_deleted_with_it(bappeda, intake, pupr, settings):
    checked = check(bappeda, xlsx([good(1)]))
    stored = settings.MEDIA_ROOT / checked.file.name
    assert stored.exists()
    Upload.objects.filter(pk=checked.pk).update(created_at=checked.created_at - datetime.timedelta(days=8))

    call_command("prune_uploads", stdout=io.StringIO())

    assert not Upload.objects.filter(pk=checked.pk).exists()
    assert not stored.exists()
