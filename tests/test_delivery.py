"""After the plan (issue 15, monitoring and evaluation): the agency that carries an accommodated
item reports what became of it, from budget to completion, with dated notes and photos; Bappeda
follows every item of its kabupaten by agency, district and priority with the late ones flagged;
the public sees the same facts and the photos marked public on the tracking page and on the
region's accountability page, never who reported."""

from __future__ import annotations

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from delivery.models import Delivery, Report, ReportPhoto, Stage
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE
from proposals.models import Level, Status

from .factories import ProposalFactory
from .test_forum_pages import messages_of, squashed
from .test_intake import photo

YEAR = timezone.localdate().year


@pytest.fixture
def item(ladder, village, pupr):
    return ProposalFactory(
        village=village,
        submitted=True,
        status=Status.ACCOMMODATED,
        level=Level.KABUPATEN,
        current_agency=pupr,
        target_agency=pupr,
        agreed_volume=300,
        agreed_cost=450_000_000,
        unit="meter",
        title="Rabat beton jalan Dusun Sukamaju",
    )


@pytest.fixture
def officer(client, agency_officer):
    client.force_login(agency_officer)
    return client


def report(client, item, **fields):
    data = {"as_of": timezone.localdate().isoformat(), "stage": Stage.BUDGETED, "progress": "0", "note": "", **fields}
    return client.post(f"/realisasi/{item.pk}/", data, follow=True)


BUDGETED = {
    "stage": Stage.BUDGETED,
    "budget_year": str(YEAR),
    "budget_amount": "Rp450.000.000",
    "sub_activity_code": "1.03.10.2.01.0017",
    "note": "Masuk APBD.",
}


CONTRACTED = {
    **BUDGETED,
    "stage": Stage.CONTRACTED,
    "note": "",
    "contract_number": "027/PUPR/2026",
    "contract_date": timezone.localdate().isoformat(),
    "contract_value": "431.000.000",
    "due_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
}


def test_an_agency_records_an_item_from_budget_to_completion_and_every_report_is_kept(officer, item, agency_officer):
    report(officer, item, **BUDGETED)
    report(officer, item, **CONTRACTED)
    underway = {**CONTRACTED, "stage": Stage.UNDERWAY, "progress": "40", "note": "Pengecoran 120 m selesai."}
    report(officer, item, **underway, photos=[photo("cor-1.png"), photo("cor-2.png")], photos_public="on")
    completed = {
        "stage": Stage.COMPLETED,
        "progress": "80",
        "note": "Serah terima.",
        "completed_on": timezone.localdate().isoformat(),
    }
    response = report(officer, item, **{**CONTRACTED, **completed, "final_cost": "429.500.000", "output_volume": "300"})

    assert messages_of(response) == ["Laporan tersimpan."]
    delivery = Delivery.objects.get(pk=item.pk)
    assert (delivery.stage, delivery.progress, delivery.final_cost, delivery.output_volume) == (
        "completed",
        100,
        429_500_000,
        300,
    )
    assert delivery.budget_amount == 450_000_000 and delivery.contract_value == 431_000_000
    history = list(Report.objects.filter(delivery=delivery).order_by("recorded_at", "id"))
    assert [(r.stage, r.progress, r.recorded_by_id) for r in history] == [
        ("budgeted", 0, agency_officer.pk),
        ("contracted", 0, agency_officer.pk),
        ("underway", 40, agency_officer.pk),
        ("completed", 100, agency_officer.pk),
    ]
    assert history[-1].changes["final_cost"] == ["", "429500000"]
    assert history[-1].changes["stage"] == ["underway", "completed"]
    assert ReportPhoto.objects.filter(report=history[2], public=True).count() == 2
    page = squashed(response)
    assert "Selesai · 100 %" in page and "Pengecoran 120 m selesai." in page
    assert "Biaya akhir (Rp): — → 429500000" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"stage": Stage.COMPLETED}, "completed_on", "Isi ini untuk tahap “Selesai”."),
        ({"stage": Stage.DROPPED}, "reason", "Isi ini untuk tahap “Tidak dilaksanakan”."),
        (
            {"stage": Stage.CONTRACTED, "budget_year": str(YEAR), "budget_amount": "1"},
            "contract_date",
            "Isi ini untuk tahap “Dikontrakkan”.",
        ),
        ({**BUDGETED, "progress": "140"}, "progress", "Kemajuan adalah persentase: dari 0 sampai 100."),
        (
            {**BUDGETED, "sub_activity_code": "1.3.10"},
            "sub_activity_code",
            "Tulis kode sub kegiatan seperti di anggaran, misalnya 1.03.10.2.01.0017.",
        ),
        ({**BUDGETED, "budget_year": "1999"}, "budget_year", "Tahun APBD"),
        (
            {**BUDGETED, "as_of": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
            "as_of",
            "Tanggal ini di masa depan; laporkan yang sudah terjadi.",
        ),
    ],
)
def test_a_report_missing_what_its_stage_needs_is_refused_with_the_typing_kept(officer, item, fields, field, message):
    response = report(officer, item, **{**fields, "note": "Catatan yang diketik."})

    page = response.content.decode()
    assert message in squashed(response)
    assert "Kesalahan:" in page and "Catatan yang diketik." in page
    assert not Delivery.objects.exists() and not Report.objects.exists()


def test_a_report_that_changes_nothing_is_refused(officer, item):
    report(officer, item, **BUDGETED)
    response = report(officer, item, **{**BUDGETED, "note": ""})
    assert "Laporan ini tidak mengubah apa pun" in squashed(response)
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "sees", "reports"),
    [
        ("agency_officer", 200, True),
        ("other_agency_officer", 404, False),
        ("bappeda_kabupaten", 200, True),
        ("other_bappeda_kabupaten", 404, False),
        ("bappeda_provinsi", 200, True),
        ("other_bappeda_provinsi", 404, False),
        ("admin_user", 200, True),
        ("village_operator", 200, False),
        ("kecamatan_operator", 200, False),
    ],
)
def test_who_sees_and_who_reports(client, request, item, persona, sees, reports):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(f"/realisasi/{item.pk}/")
    assert page.status_code == sees
    assert ('name="stage"' in page.content.decode()) is reports
    sent = client.post(
        f"/realisasi/{item.pk}/", {"as_of": timezone.localdate().isoformat(), "progress": "0", **BUDGETED}
    )
    assert sent.status_code == (302 if reports else 404 if sees == 404 else 403)
    assert Delivery.objects.exists() is reports


def test_an_item_not_taken_into_the_plan_has_no_delivery_page(officer, village, pupr):
    submitted = ProposalFactory(village=village, submitted=True, current_agency=pupr)
    assert officer.get(f"/realisasi/{submitted.pk}/").status_code == 404


def test_bappeda_follows_its_kabupaten_by_agency_district_and_priority_with_late_items_flagged(
    client, bappeda_kabupaten, agency_officer, item, village, pupr, dinkes, ladder, django_assert_max_num_queries
):
    last_year = type(item.planning_year).objects.create(year=YEAR - 1)
    # Nobody reported on an item of last year's plan: late. One due yesterday and not finished: late.
    old = ProposalFactory(
        village=village,
        submitted=True,
        status=Status.ACCOMMODATED,
        current_agency=dinkes,
        planning_year=last_year,
        agreed_cost=10,
    )
    overdue = ProposalFactory(
        village=village,
        submitted=True,
        status=Status.ACCOMMODATED,
        current_agency=pupr,
        agreed_cost=20_000_000,
        planning_year=item.planning_year,
    )
    Delivery.objects.create(
        proposal=overdue,
        stage=Stage.UNDERWAY,
        budget_year=YEAR,
        budget_amount=20_000_000,
        progress=50,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    Delivery.objects.create(
        proposal=item,
        stage=Stage.COMPLETED,
        budget_year=YEAR,
        budget_amount=450_000_000,
        progress=100,
        completed_on=timezone.localdate(),
        final_cost=440_000_000,
        output_volume=300,
    )
    for _n in range(5):
        ProposalFactory(
            village=village,
            submitted=True,
            status=Status.ACCOMMODATED,
            current_agency=dinkes,
            agreed_cost=1_000_000,
            planning_year=item.planning_year,
        )
    client.force_login(bappeda_kabupaten)

    with django_assert_max_num_queries(16):
        page = client.get("/realisasi/", {"tahun": item.planning_year.year})

    text = squashed(page)
    assert page.status_code == 200
    rows = re.findall(
        r'<tr( class="late")?>\s*<td data-label="Usulan"><a href="/realisasi/(\d+)/"', page.content.decode()
    )
    assert {int(pk) for late, pk in rows if late} == {overdue.pk}
    assert len(rows) == 7  # this year's seven items; last year's is on its own year
    agency_rows = re.findall(r"<th scope=\"row\">([^<]+)</th>\s*<td class=\"num\">(\d+)</td>", page.content.decode())
    assert ("Dinkes", "5") in agency_rows and ("Dinas PUPR", "2") in agency_rows
    late_only = client.get("/realisasi/", {"tahun": last_year.year, "terlambat": "on"})
    assert f'href="/realisasi/{old.pk}/"' in late_only.content.decode()
    assert "Selesai" in text


def test_a_province_chooses_a_kabupaten_first_and_cannot_open_another_provinces(client, bappeda_provinsi, item, ladder):
    client.force_login(bappeda_provinsi)
    chooser = client.get("/realisasi/")
    assert 'href="?wilayah=18.02"' in chooser.content.decode()
    assert item.title in client.get("/realisasi/", {"wilayah": "18.02"}).content.decode()
    assert client.get("/realisasi/", {"wilayah": "17.01"}).status_code == 404


def test_the_public_sees_progress_and_public_photos_never_who_reported(
    client, officer, item, agency_officer, django_assert_max_num_queries
):
    report(
        officer,
        item,
        **{
            **BUDGETED,
            "stage": Stage.UNDERWAY,
            "progress": "60",
            "note": "Separuh jalan dicor.",
            "photos": [photo("umum.png")],
            "photos_public": "on",
        },
    )
    report(
        officer,
        item,
        **{
            **BUDGETED,
            "stage": Stage.UNDERWAY,
            "progress": "70",
            "note": "Foto internal.",
            "photos": [photo("internal.png")],
        },
    )
    public, private = ReportPhoto.objects.order_by("id")
    client.logout()

    with django_assert_max_num_queries(9):
        page = client.get(f"/lacak/{item.tracking_code}/")

    text = squashed(page)
    assert "Dikerjakan" in text and "70 %" in text and "Separuh jalan dicor." in text
    assert f"/lacak/{item.tracking_code}/realisasi/foto/{public.pk}/" in page.content.decode()
    assert f"/realisasi/foto/{private.pk}/" not in page.content.decode()
    assert agency_officer.username not in text and agency_officer.last_name not in text
    assert client.get(f"/lacak/{item.tracking_code}/realisasi/foto/{public.pk}/").status_code == 200
    assert client.get(f"/lacak/{item.tracking_code}/realisasi/foto/{private.pk}/").status_code == 404

    accountability = client.get(f"/akuntabilitas/18.02/{item.planning_year.year}/")
    assert f'href="/lacak/{item.tracking_code}/"' in accountability.content.decode()
    assert "70 %" in squashed(accountability)
    assert agency_officer.username not in squashed(accountability)


# --- progress kept in a spreadsheet ------------------------------------------------------------


def download(client, **params) -> openpyxl.Workbook:
    response = client.get("/realisasi/unduh.xlsx", params)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return openpyxl.load_workbook(io.BytesIO(response.content))


def upload(client, book: openpyxl.Workbook):
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("realisasi.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return client.post("/realisasi/impor/", {"file": file}, follow=True)


def cells(sheet, row: int) -> dict[str, object]:
    return {header.value: cell.value for header, cell in zip(sheet[1], sheet[row], strict=True)}


def put(sheet, row: int, **by_header):
    headers = [cell.value for cell in sheet[1]]
    for header, value in by_header.items():
        sheet.cell(row=row, column=headers.index(header) + 1, value=value)


def test_an_agency_downloads_its_items_updates_them_and_every_changed_row_becomes_a_report(
    officer, item, village, pupr, agency_officer
):
    untouched = ProposalFactory(
        village=village,
        submitted=True,
        status=Status.ACCOMMODATED,
        current_agency=pupr,
        agreed_cost=5_000_000,
        planning_year=item.planning_year,
    )
    report(officer, item, **BUDGETED)
    book = download(officer)
    sheet = book["Realisasi"]
    rows = {cells(sheet, n)["Kode pelacakan"]: n for n in range(2, sheet.max_row + 1)}
    assert set(rows) == {item.tracking_code, untouched.tracking_code}
    assert cells(sheet, rows[item.tracking_code])["Tahap"] == "Dianggarkan"
    assert cells(sheet, rows[item.tracking_code])["Anggaran (Rp)"] == 450_000_000

    put(
        sheet,
        rows[item.tracking_code],
        **{"Tahap": "Dikerjakan", "Kemajuan (%)": 35, "Catatan laporan": "Galian selesai."},
    )
    response = upload(officer, book)

    assert "1 laporan dari realisasi.xlsx tersimpan." in squashed(response)
    delivery = Delivery.objects.get(pk=item.pk)
    assert (delivery.stage, delivery.progress) == ("underway", 35)
    latest = Report.objects.filter(delivery=delivery).order_by("-id").first()
    assert (latest.note, latest.recorded_by_id, latest.changes["progress"]) == (
        "Galian selesai.",
        agency_officer.pk,
        ["0", "35"],
    )
    assert not Delivery.objects.filter(pk=untouched.pk).exists()  # its row was left as downloaded


def test_a_file_with_one_bad_row_saves_no_report_and_names_row_and_column(officer, item, village, pupr, dinkes):
    other = ProposalFactory(
        village=village,
        submitted=True,
        status=Status.ACCOMMODATED,
        current_agency=pupr,
        agreed_cost=5_000_000,
        planning_year=item.planning_year,
    )
    book = download(officer)
    sheet = book["Realisasi"]
    rows = {cells(sheet, n)["Kode pelacakan"]: n for n in range(2, sheet.max_row + 1)}
    put(sheet, rows[other.tracking_code], **{"Tahap": "Dianggarkan", "Tahun APBD": YEAR, "Anggaran (Rp)": 5_000_000})
    put(sheet, rows[item.tracking_code], **{"Tahap": "Selesai", "Kemajuan (%)": 100})
    put(sheet, sheet.max_row + 1, **{"Kode pelacakan": "ZZZZ-9999", "Tahap": "Dianggarkan"})

    response = upload(officer, book)

    page = squashed(response)
    assert "2 baris berisi kesalahan, jadi tidak ada yang diimpor." in page
    assert "Baris 3" not in page  # a blank progress keeps the progress as it stands
    assert f"Baris {rows[item.tracking_code]}, kolom “Tanggal selesai”: Isi ini untuk tahap “Selesai”." in page
    assert "Tidak ada usulan dalam rencana yang boleh Anda lihat dengan kode pelacakan ini." in page
    assert not Delivery.objects.exists() and not Report.objects.exists()


def test_an_agency_cannot_report_through_the_file_on_another_agencys_item(
    client, other_agency_officer, item, bappeda_kabupaten, dinkes
):
    client.force_login(bappeda_kabupaten)
    book = download(client)
    client.force_login(other_agency_officer)
    put(book["Realisasi"], 2, **{"Tahap": "Dianggarkan", "Tahun APBD": YEAR, "Anggaran (Rp)": 1})

    response = upload(client, book)

    assert "Tidak ada usulan dalam rencana yang boleh Anda lihat dengan kode pelacakan ini." in squashed(response)
    assert not Delivery.objects.exists()


def test_an_item_not_carried_out_shows_its_reason_and_no_progress_bar(client, officer, item):
    report(officer, item, stage=Stage.DROPPED, reason="Lahan belum dilepaskan pemiliknya.")
    year = item.planning_year.year

    staff = squashed(officer.get("/realisasi/", {"tahun": year}))
    client.logout()
    tracking = squashed(client.get(f"/lacak/{item.tracking_code}/"))
    accountability = squashed(client.get(f"/akuntabilitas/18.02/{year}/"))

    # Work that never began has no bar at 0 %: a dash on the lists, the reason on its page.
    for page in (staff, tracking, accountability):
        assert "<progress" not in page
    assert "Lahan belum dilepaskan pemiliknya." in tracking
    assert "0 %" not in tracking
