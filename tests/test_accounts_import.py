"""A Bappeda creates its officers' accounts from a spreadsheet (/akun/impor/).

Every workbook starts from the template the page hands out, so the header is the real one; rows
are written by field name through accounts.spreadsheet.COLUMNS. Page text is read in English
unless a test is about the Indonesian wording.
"""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role, User
from accounts.spreadsheet import COLUMNS, GUIDE_SHEET, LISTS_SHEET, MAX_ROWS, SHEET
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE
from uploads.models import State, Upload

from .factories import AgencyFactory

IMPORT_URL = "/akun/impor/"
TEMPLATE_URL = "/akun/impor/templat.xlsx"
HEADER = {column.field: column.header for column in COLUMNS}


@pytest.fixture
def lamsel_agency(ladder):
    return AgencyFactory(region=ladder["18.01"], code="1.03.02", name="Dinas PU Lampung Selatan")


@pytest.fixture
def bappeda(client, bappeda_kabupaten, village_operator, pupr, dinkes, lamsel_agency):
    client.force_login(bappeda_kabupaten)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def template(bappeda) -> bytes:
    response = bappeda.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return response.content


def fill(template: bytes, rows: list[dict[str, object]], first_row: int = 2) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[SHEET]
    position = {str(cell.value): cell.column for cell in sheet[1]}
    for number, values in enumerate(rows, start=first_row):
        for name, value in values.items():
            sheet.cell(row=number, column=position[HEADER[name]], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name="akun-lamteng.xlsx"):
    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)}, follow=True
    )


def officer(**values) -> dict[str, object]:
    row = {
        "name": "Siti Aminah",
        "username": "desa.srilangsep2",
        "role": "Operator desa",
        "region": "18.02.01.2001",
        "agency": None,
        "phone": "0812-1111-2222",
        "email": "siti@example.org",
    }
    row.update(values)
    return row


GOOD_ROWS = [
    officer(),
    officer(name="Bambang Wijaya", username="kec.kalirejo2", role="Operator kecamatan", region="18.02.01", email=""),
    # Agency officers by the agency's short name alone, or by code within its kabupaten; English labels too.
    officer(name="Rina Marlina", username="opd.pupr2", role="Petugas perangkat daerah", region="", agency="Dinas PUPR"),
    officer(name="Agus Salim", username="opd.dinkes2", role="Agency officer", region="18.02", agency="1.02.01"),
    officer(name="Dewi Lestari", username="bappeda.lamteng2", role="bappeda_kabupaten", region="18.02", phone=None),
]


def shown_errors(response) -> list[tuple[int, str, str]]:
    """(row, column, message) for each message under a cell of the re-shown rows."""
    page = response.content.decode()
    found = []
    for number, cells in re.findall(r'<tr id="row-(\d+)">(.*?)</tr>', page, re.S):
        for column, messages in re.findall(r'<td class="invalid" data-column="([^"]+)">(.*?)</td>', cells, re.S):
            for message in re.findall(r'<span class="errorlist">(.*?)</span>', messages):
                found.append((int(number), html.unescape(column), html.unescape(message)))
    return found


def shown_cells(response, number: int) -> list[str]:
    """The values of one re-shown row, as the file held them."""
    row = re.search(rf'<tr id="row-{number}">(.*?)</tr>', response.content.decode(), re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)(?:<span|</td>)", row, re.S)
    return [html.unescape(cell) for cell in cells]


# --- the template -------------------------------------------------------------------------------


def test_the_template_has_the_header_the_role_list_and_the_area_to_choose_from(template):
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    assert workbook.sheetnames == [SHEET, GUIDE_SHEET, LISTS_SHEET]
    sheet = workbook[SHEET]
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]
    lists = workbook[LISTS_SHEET]
    assert [row[0] for row in lists.iter_rows(min_row=2, max_col=1, values_only=True) if row[0]] == [
        "Operator desa",
        "Operator kecamatan",
        "Petugas perangkat daerah",
        "Anggota DPRD",
        "Sekretariat DPRD (Setwan)",
        "Bappeda kabupaten/kota",
    ]
    regions = [row for row in lists.iter_rows(min_row=2, min_col=3, max_col=4, values_only=True) if row[0]]
    assert regions[:3] == [
        ("18.02", "Kabupaten Lampung Tengah"),
        ("18.02.01", "Kecamatan Kalirejo"),
        ("18.02.01.2001", "Desa Sri Way Langsep"),
    ]
    assert all(code.startswith("18.02") for code, _name in regions)
    agencies = [row for row in lists.iter_rows(min_row=2, min_col=6, max_col=8, values_only=True) if row[0]]
    assert agencies == [
        ("18.02", "1.02.01", "Dinas Kesehatan"),
        ("18.02", "1.03.01", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ]
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref) == f"C2:C{MAX_ROWS + 1}"
    assert validation.formula1 == "'Daftar'!$A$2:$A$7"


def test_the_guide_explains_every_column_in_the_users_language(bappeda, template):
    guide = openpyxl.load_workbook(io.BytesIO(template))[GUIDE_SHEET]
    text = [row[0] for row in guide.iter_rows(values_only=True)]
    assert text[0] == "How to fill in the account spreadsheet"
    assert [header for header in text if header in HEADER.values()] == list(HEADER.values())
    bappeda.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    guide = openpyxl.load_workbook(io.BytesIO(bappeda.get(TEMPLATE_URL).content))[GUIDE_SHEET]
    assert guide["A1"].value == "Cara mengisi spreadsheet akun"


# --- a good file -------------------------------------------------------------------------------


def test_a_good_file_creates_every_account_with_its_role_region_and_agency(bappeda, template, ladder, pupr, dinkes):
    response = upload(bappeda, fill(template, GOOD_ROWS))
    created = {
        account.username: (account.get_full_name(), account.role, account.region, account.agency)
        for account in User.objects.filter(username__in=[row["username"] for row in GOOD_ROWS])
    }
    assert created == {
        "desa.srilangsep2": ("Siti Aminah", Role.VILLAGE_OPERATOR, ladder["18.02.01.2001"], None),
        "kec.kalirejo2": ("Bambang Wijaya", Role.KECAMATAN_OPERATOR, ladder["18.02.01"], None),
        "opd.pupr2": ("Rina Marlina", Role.AGENCY_OFFICER, ladder["18.02"], pupr),
        "opd.dinkes2": ("Agus Salim", Role.AGENCY_OFFICER, ladder["18.02"], dinkes),
        "bappeda.lamteng2": ("Dewi Lestari", Role.BAPPEDA_KABUPATEN, ladder["18.02"], None),
    }
    siti = User.objects.get(username="desa.srilangsep2")
    assert (siti.phone, siti.email, siti.is_active, siti.has_usable_password()) == (
        "0812-1111-2222",
        "siti@example.org",
        True,
        False,
    )
    upload_page = Upload.objects.get().get_absolute_url()
    assert response.redirect_chain == [(upload_page, 302)]
    page = response.content.decode()
    assert "5 accounts from akun-lamteng.xlsx were created." in page
    sheet_link = re.search(r'<a class="button primary" href="([^"]+)">Print the sheet of set-password links</a>', page)
    sheet = bappeda.get(sheet_link.group(1), follow=True)
    assert sheet.redirect_chain == [("/akun/lembar-sandi/", 302)]
    slips = re.findall(r'<dd class="code slip-username">([^<]+)</dd>', sheet.content.decode())
    assert sorted(slips) == sorted(created)


def test_empty_rows_are_skipped_and_numbers_typed_as_numbers_are_read_as_text(bappeda, template, ladder):
    content = fill(
        template, [officer(phone=81211112222), {}, officer(username="desa.purwodadi", region="18.02.02.2001")]
    )
    upload(bappeda, content)
    assert User.objects.get(username="desa.srilangsep2").phone == "81211112222"
    assert User.objects.get(username="desa.purwodadi").region == ladder["18.02.02.2001"]


# --- a file with errors saves nothing --------------------------------------------------------------


def test_a_file_with_errors_saves_nothing_and_shows_each_error_under_its_row_and_column(bappeda, template):
    before = User.objects.count()
    rows = [
        *GOOD_ROWS,
        officer(username="desa.kalirejo"),  # row 7: taken by an existing account
        officer(username="desa.baru", region="18.02.09.2001"),  # row 8: no such region
        officer(username="desa.lamsel", region="18.01.01.2001"),  # row 9: another kabupaten
        officer(username="opd.lamsel", role="Petugas perangkat daerah", region="", agency="Dinas PU Lampung Selatan"),
        officer(username="Desa.SriLangsep2", region="18.02.01.2003"),  # row 11: twice in the file (row 2)
        officer(username="bappeda.lampung2", role="Bappeda provinsi", region="18.02"),  # row 12: above its own role
        officer(username="desa.tanpa", role="Operator desa", region="18.02.01", name=None),  # row 13
    ]
    response = upload(bappeda, fill(template, rows))
    assert User.objects.count() == before
    assert Upload.objects.get().state == State.REFUSED
    page = response.content.decode()
    assert 'id="upload-saved"' not in page
    assert "7 rows have errors, so nothing was imported. Correct them and upload the file again." in page
    assert shown_errors(response) == [
        (7, "Nama pengguna", "The username “desa.kalirejo” is already taken: choose another."),
        (8, "Kode wilayah", "There is no region with the code “18.02.09.2001”."),
        (9, "Kode wilayah", "Desa Merak Batin (18.01.01.2001) is outside your area, Kabupaten Lampung Tengah."),
        (10, "Perangkat daerah", "There is no agency “Dinas PU Lampung Selatan” in your area."),
        (11, "Nama pengguna", "The username “Desa.SriLangsep2” is also on row 2 of this file."),
        (12, "Peran", "You may not grant the role “Bappeda province”: it is above your own."),
        (13, "Nama", "Enter the full name."),
        (
            13,
            "Kode wilayah",
            "A village operator works for a village, but Kecamatan Kalirejo (18.02.01) is a district.",
        ),
    ]
    # The user's own rows come back as they typed them.
    assert shown_cells(response, 9) == [
        "Siti Aminah",
        "desa.lamsel",
        "Operator desa",
        "18.01.01.2001",
        "—",
        "—",
        "—",
        "0812-1111-2222",
        "siti@example.org",
    ]
    assert 'id="row-2"' not in page  # a valid row is not shown again


def test_the_row_errors_read_in_indonesian_by_default(bappeda, template, lamsel_agency):
    bappeda.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    rows = [
        officer(username="opd.lamsel", role="Petugas perangkat daerah", region="18.02", agency="1.03.02"),
        officer(username="bappeda.lampung2", role="Bappeda provinsi", region="18.02"),
        officer(username="desa.lamsel", region="18.01.01.2001"),
        officer(username="desa.lamsel", region="18.02.01.2003"),
    ]
    response = upload(bappeda, fill(template, rows))
    assert shown_errors(response) == [
        (2, "Perangkat daerah", "Tidak ada perangkat daerah “1.03.02” di Kabupaten Lampung Tengah."),
        (3, "Peran", "Anda tidak boleh memberikan peran “Bappeda provinsi”: peran itu di atas peran Anda sendiri."),
        (4, "Kode wilayah", "Desa Merak Batin (18.01.01.2001) berada di luar wilayah Anda, Kabupaten Lampung Tengah."),
        (5, "Nama pengguna", "Nama pengguna “desa.lamsel” juga ada di baris 4 berkas ini."),
    ]
    assert "4 baris berisi kesalahan, jadi tidak ada yang diimpor." in response.content.decode()
    assert not User.objects.filter(username__in=["opd.lamsel", "bappeda.lampung2", "desa.lamsel"]).exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file chosen for the spreadsheet is empty."),
        (b"nama,username\nSiti,siti\n", "akun-lamteng.xlsx is not an Excel workbook (.xlsx)."),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_whole(bappeda, content, message):
    before = User.objects.count()
    response = upload(bappeda, content)
    assert message in html.unescape(response.content.decode())
    assert User.objects.count() == before


def test_a_header_that_is_not_the_templates_is_refused_with_what_is_wrong(bappeda, template):
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[SHEET]
    sheet["C1"] = "Jabatan"
    sheet["J1"] = "Nama"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = html.unescape(upload(bappeda, buffer.getvalue()).content.decode())
    assert "Columns missing from the header: “Peran”." in page
    assert "Unknown columns in the header: “Jabatan”." in page
    assert "Columns that appear twice in the header: “Nama”." in page


def test_a_file_of_only_a_header_creates_nothing_and_says_so(bappeda, template):
    page = html.unescape(upload(bappeda, template).content.decode())
    assert "The file holds no officers: fill them in below the header row." in page


def test_a_file_with_more_rows_than_the_limit_is_refused_before_any_row_is_checked(bappeda, template, monkeypatch):
    rows = [officer(username=f"desa.uji{n}") for n in range(MAX_ROWS + 1)]
    before = User.objects.count()
    page = html.unescape(upload(bappeda, fill(template, rows)).content.decode())
    assert f"The file holds more than {MAX_ROWS} officers. Split it into several files." in page
    assert User.objects.count() == before


def test_a_file_larger_than_the_limit_is_refused(bappeda, settings):
    settings.MAX_DOCUMENT_BYTES = 1000
    page = html.unescape(upload(bappeda, b"x" * 1001).content.decode())
    assert "akun-lamteng.xlsx is 1001\xa0bytes; a spreadsheet may be at most 1000\xa0bytes." in page


def test_a_bappeda_provinsi_imports_for_several_kabupaten_and_its_own_staff(
    client, bappeda_provinsi, ladder, pupr, lamsel_agency
):
    client.force_login(bappeda_provinsi)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    template = client.get(TEMPLATE_URL).content
    lists = openpyxl.load_workbook(io.BytesIO(template))[LISTS_SHEET]
    assert [row[0] for row in lists.iter_rows(min_row=2, max_col=1, values_only=True) if row[0]][-1] == (
        "Bappeda provinsi"
    )
    rows = [
        officer(username="bappeda.lamsel2", role="Bappeda kabupaten/kota", region="18.01"),
        officer(username="bappeda.lampung2", role="Bappeda provinsi", region="18"),
        officer(username="opd.lamsel", role="Petugas perangkat daerah", region="18.01", agency="1.03.02"),
        officer(username="opd.pupr9", role="Petugas perangkat daerah", region="", agency="1.03.01"),
    ]
    upload(client, fill(template, rows))
    assert sorted(
        User.objects.filter(username__in=[r["username"] for r in rows]).values_list("username", "region__code")
    ) == [
        ("bappeda.lampung2", "18"),
        ("bappeda.lamsel2", "18.01"),
        ("opd.lamsel", "18.01"),
        ("opd.pupr9", "18.02"),
    ]


def test_an_agency_code_shared_by_two_kabupaten_needs_its_region(client, bappeda_provinsi, ladder, pupr):
    AgencyFactory(region=ladder["18.01"], code="1.03.01", name="Dinas PUPR Lampung Selatan")
    client.force_login(bappeda_provinsi)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    template = client.get(TEMPLATE_URL).content
    response = upload(
        client, fill(template, [officer(username="opd.x", role="Agency officer", region="", agency="1.03.01")])
    )
    assert shown_errors(response) == [
        (
            2,
            "Perangkat daerah",
            "“1.03.01” names several agencies in your area: give its code and the code of its region.",
        )
    ]


def test_a_sheet_padded_with_thousands_of_empty_rows_is_refused_without_reading_them_all(bappeda, template):
    padded = fill(template, [officer(), *[{"username": " "}] * 6000, officer(username="desa.kedua")])
    before = User.objects.count()

    response = upload(bappeda, padded)

    assert response.status_code == 200
    assert "The sheet has more than 5000 rows (empty rows count too)." in response.content.decode()
    assert User.objects.count() == before


def test_a_file_from_the_template_before_dapil_and_fraksi_still_imports(bappeda, template):
    workbook = openpyxl.load_workbook(io.BytesIO(fill(template, [officer()])))
    sheet = workbook[SHEET]
    headers = [cell.value for cell in sheet[1]]
    sheet.delete_cols(headers.index("Dapil") + 1, 2)  # Dapil and Fraksi, side by side
    buffer = io.BytesIO()
    workbook.save(buffer)

    upload(bappeda, buffer.getvalue())

    assert User.objects.get(username="desa.srilangsep2").role == "village_operator"


def test_a_dprd_member_is_imported_with_dapil_and_fraksi(bappeda, template):
    from accounts.models import CouncilSeat

    rows = [officer(username="dprd.budi", role="Anggota DPRD", region="18.02", dapil="Dapil 1", faction="Fraksi A")]

    upload(bappeda, fill(template, rows))

    member = User.objects.get(username="dprd.budi")
    assert (member.role, member.council_seat.dapil, member.council_seat.faction) == (
        "dprd_member",
        "Dapil 1",
        "Fraksi A",
    )
    assert CouncilSeat.objects.count() == 1
