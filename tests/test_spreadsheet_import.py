"""A village imports proposals typed into a spreadsheet (/usulan/impor/).

Every workbook here starts from the template the page hands out, so the header is the real one;
rows are written by field name through proposals.spreadsheet.COLUMNS. Page text is read in
English unless a test says otherwise.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape

from proposals import workflow
from proposals.forms import ProposalForm
from proposals.models import EventAction, Proposal, ProposalEvent, ProposerType, Sector, Status, WorkKind
from proposals.spreadsheet import (
    BY_FIELD,
    CHOICE,
    COLUMNS,
    FLAG,
    GUIDE_SHEET,
    LISTS_SHEET,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    SHEET,
)
from proposals.tables import XLSX_CONTENT_TYPE
from uploads.models import Upload

from .factories import AgencyFactory, open_intake

IMPORT_URL = "/usulan/impor/"
TEMPLATE_URL = "/usulan/impor/templat.xlsx"
NON_VILLAGE_PERSONAS = [
    "kecamatan_operator",
    "other_kecamatan_operator",
    "agency_officer",
    "other_agency_officer",
    "bappeda_kabupaten",
    "other_bappeda_kabupaten",
    "bappeda_provinsi",
    "other_bappeda_provinsi",
    "admin_user",
]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def agencies(ladder, pupr, dinkes):
    """The agencies a Kalirejo proposal may aim at (its kabupaten's and its province's), and one it may not."""
    province = AgencyFactory(region=ladder["18"], code="1.03.01", name="Dinas Bina Marga Provinsi Lampung")
    elsewhere = AgencyFactory(region=ladder["18.01"], code="1.03.02", name="Dinas PU Lampung Selatan")
    return {"pupr": pupr, "dinkes": dinkes, "province": province, "elsewhere": elsewhere}


@pytest.fixture
def operator(client, village_operator, intake, agencies):
    client.force_login(village_operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def template(operator) -> bytes:
    response = operator.get(TEMPLATE_URL)
    assert response.status_code == 200
    return response.content


# --- building and sending workbooks ---------------------------------------------------------


# The columns of a template where the kabupaten keeps no catalogue (tests/test_catalogue.py has
# the catalogue's own).
TYPED = [column for column in COLUMNS if not column.optional]


def fill(template: bytes, rows: dict[int, dict[str, object]]) -> bytes:
    """The template with values written in the given sheet rows, by field name."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[SHEET]
    position = {str(cell.value).strip().casefold(): cell.column for cell in sheet[1]}
    for row, values in rows.items():
        for name, value in values.items():
            sheet.cell(row=row, column=position[BY_FIELD[name].header.casefold()], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name="usulan-desa.xlsx", follow=True, **extra):
    """Send a file and (in these tests the worker reads it at once) land on the upload's page."""
    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE), **extra}, follow=follow
    )


def saved(response) -> bool:
    """The upload's page says the file was imported."""
    return 'id="upload-saved"' in response.content.decode()


def row(**overrides) -> dict[str, object]:
    """A complete, valid row as a village secretary types it: labels from the drop-downs."""
    values = {
        "title": "Rabat beton jalan Dusun Sukamaju",
        "problem": "Jalan tanah licin dan berlubang saat hujan.",
        "proposed_work": "Rabat beton lebar 3 m, tebal 15 cm.",
        "proposer_type": "RT (rukun tetangga)",
        "proposer_name": "Ketua RT 03",
        "proposer_contact": "0812-3456-7890",
        "sector": "1.03 Pekerjaan Umum dan Penataan Ruang",
        "work_kind": "Fisik",
        "target_agency": "",
        "rt": "003",
        "rw": "001",
        "address": "Dusun Sukamaju",
        "latitude": None,
        "longitude": None,
        "volume": 300,
        "unit": "meter",
        "estimated_cost": 150_000_000,
        "beneficiaries": "Warga Dusun Sukamaju",
        "beneficiary_count": 240,
        "land_status_clear": "Ya",
        "has_certificate": "Tidak",
        "has_technical_details": "Tidak",
    }
    values.update(overrides)
    return values


def error_table(response) -> list[tuple[int, str, str]]:
    """(row, column, message) of each line of the page's error table."""
    page = response.content.decode()
    found = re.findall(r'<tr><td class="num">(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>', page)
    return [(int(number), html.unescape(column), html.unescape(message)) for number, column, message in found]


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def snapshot():
    return Proposal.objects.count(), ProposalEvent.objects.count()


# --- the template ---------------------------------------------------------------------------


def test_the_template_has_one_column_per_form_field_the_village_types(template):
    sheet = openpyxl.load_workbook(io.BytesIO(template))[SHEET]
    assert [cell.value for cell in sheet[1]] == [column.header for column in TYPED]
    # Every field of the web form except the attachments, and nothing else; the catalogue's two
    # where the form offers them.
    assert [column.field for column in TYPED] == ProposalForm.Meta.fields
    assert [column.field for column in COLUMNS if column.optional] == ["catalogue_item", "outside_catalogue_reason"]
    assert sheet.max_row == 1  # no sample row that would be imported by mistake


def _list_values(workbook, formula: str) -> list[str]:
    match = re.fullmatch(rf"'?{LISTS_SHEET}'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert match, formula
    letter, first, _, last = match.groups()
    cells = workbook[LISTS_SHEET][f"{letter}{first}:{letter}{last}"]
    return [cell.value for (cell,) in cells]


def test_the_choice_columns_have_drop_downs_of_the_allowed_values(template, agencies):
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[SHEET]
    letters = {cell.value: cell.column_letter for cell in sheet[1]}
    drop_downs = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    with translation.override("id"):
        proposer_types = [str(label) for value, label in ProposerType.choices if value != ProposerType.DPRD]
        work_kinds = [str(label) for label in WorkKind.labels]
    expected = {
        "proposer_type": proposer_types,
        "sector": [f"{s.code} {s.name}" for s in Sector.objects.order_by("code")],
        "work_kind": work_kinds,
        # The village's kabupaten and province: not Lampung Selatan's office.
        "target_agency": [
            f"{a.code} {a.name}"
            for a in sorted(
                [agencies["province"], agencies["dinkes"], agencies["pupr"]], key=lambda a: (a.region.code, a.code)
            )
        ],
    }
    checked = set()
    for column in TYPED:
        if column.kind not in (CHOICE, FLAG):
            continue
        letter = letters[column.header]
        validation = drop_downs[f"{letter}2:{letter}{MAX_ROWS + 1}"]
        assert validation.type == "list"
        values = _list_values(workbook, validation.formula1)
        assert values == (["Ya", "Tidak"] if column.kind == FLAG else expected[column.field]), column.field
        checked.add(column.field)
    assert checked == {
        "proposer_type",
        "sector",
        "work_kind",
        "target_agency",
        "land_status_clear",
        "has_certificate",
        "has_technical_details",
        "photos_public",
    }
    assert len(drop_downs) == len(checked)


def test_the_instructions_sheet_explains_every_column(template, village):
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    assert workbook.sheetnames == [SHEET, GUIDE_SHEET, LISTS_SHEET]
    lines = {r[0]: r[1:] for r in workbook[GUIDE_SHEET].iter_rows(values_only=True) if r and r[0]}
    required = {name: field.required for name, field in ProposalForm(village=village).fields.items()}
    for column in TYPED:
        needed, fmt, example, meaning = lines[column.header]
        assert needed == ("Yes" if required[column.field] else "No"), column.header
        assert fmt and meaning, column.header
        assert example == (column.example or None), column.header
    assert "Rp1.250.000" in lines["Perkiraan biaya (Rp)"][1]
    assert "Ya or Tidak" in lines["Status lahan jelas"][1]
    assert "Warga; RT (rukun tetangga)" in lines["Jenis pengusul"][1]


def test_the_instructions_follow_the_page_language_and_the_headers_do_not(client, village_operator, intake):
    client.force_login(village_operator)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(TEMPLATE_URL, HTTP_ACCEPT_LANGUAGE="id").content))
    assert [cell.value for cell in workbook[SHEET][1]] == [column.header for column in TYPED]
    guide = [r for r in workbook[GUIDE_SHEET].iter_rows(values_only=True) if r and r[0] == "Judul usulan"]
    assert guide[0][1] == "Ya"
    assert guide[0][4] == "Nama singkat pekerjaan yang diusulkan."


def test_the_examples_in_the_instructions_import_as_a_valid_proposal(operator, template):
    guide = openpyxl.load_workbook(io.BytesIO(template))[GUIDE_SHEET]
    examples = {r[0]: r[3] for r in guide.iter_rows(values_only=True) if r and r[0]}
    values = {column.field: examples[column.header] for column in TYPED}
    response = upload(operator, fill(template, {2: values}))
    assert saved(response), error_table(response) or page_text(response)
    proposal = Proposal.objects.get()
    assert proposal.title == examples["Judul usulan"]
    assert proposal.estimated_cost == int(examples["Perkiraan biaya (Rp)"])


# --- a file with errors ---------------------------------------------------------------------


def test_a_file_with_errors_in_three_rows_is_refused_whole_and_each_error_is_listed(operator, template):
    content = fill(
        template,
        {
            2: row(title="Sumur bor"),
            3: row(title=""),
            4: row(title="Lampu jalan"),
            5: row(sector="Bidang Antariksa"),
            # row 6 left empty: skipped, and the rows below keep the numbers the spreadsheet shows
            7: row(estimated_cost=-5, beneficiary_count="banyak"),
        },
    )
    response = upload(operator, content)
    assert response.status_code == 200
    assert snapshot() == (0, 0)
    assert error_table(response) == [
        (3, "Judul usulan", "Enter the title."),
        (5, "Bidang urusan", "Choose the sector from the options given."),
        (7, "Perkiraan biaya (Rp)", "Estimated cost must be 0 or more."),
        (7, "Jumlah penerima manfaat", "Number of beneficiaries must be a whole number."),
    ]
    assert "3 rows have errors, so nothing was imported." in page_text(response)


def test_errors_are_listed_in_the_users_language(client, village_operator, intake, agencies):
    client.force_login(village_operator)
    template = client.get(TEMPLATE_URL).content
    response = upload(client, fill(template, {2: row(title="", volume="tiga ratus")}))
    assert error_table(response) == [(2, "Judul usulan", "Isi judul."), (2, "Volume", "Volume harus berupa angka.")]
    assert "1 baris berisi kesalahan" in page_text(response)
    assert Proposal.objects.count() == 0


def test_rules_of_the_web_form_that_span_two_cells_apply_to_each_row(operator, template):
    content = fill(
        template,
        {
            2: row(latitude=-4.9, longitude=None),
            3: row(latitude=40.5, longitude=105.1),
            4: row(land_status_clear="Mungkin"),
            5: row(proposer_type="Bupati"),
        },
    )
    response = upload(operator, content)
    assert error_table(response) == [
        (2, "Bujur", "Give both latitude and longitude, or neither."),
        (3, "Lintang", "This point is outside Indonesia. Check the coordinates."),
        (4, "Status lahan jelas", "Write Ya or Tidak."),
        (5, "Jenis pengusul", "Choose who proposes it from the options given."),
    ]
    assert snapshot() == (0, 0)


# --- a valid file ---------------------------------------------------------------------------


def test_a_valid_file_creates_one_draft_per_row_with_the_values_typed(operator, template, village_operator, agencies):
    rows = {
        2: row(),
        3: row(
            title="Pelatihan kader posyandu",
            proposer_type="Lembaga kemasyarakatan",
            proposer_name="PKK Desa Kalirejo",
            proposer_contact="081234567890",
            sector="1.02",  # the code alone is accepted too
            work_kind="Nonfisik",
            target_agency=f"{agencies['dinkes'].code} {agencies['dinkes'].name}",
            rt="",
            rw="",
            address="",
            volume=2.5,
            unit="kegiatan",
            estimated_cost="Rp1.250.000",
            beneficiary_count=35,
            land_status_clear="Tidak",
            has_technical_details="Ya",
        ),
        5: row(
            title="Talud saluran irigasi",
            proposer_type="Warga",
            sector="1.03 Pekerjaan Umum dan Penataan Ruang",
            target_agency=f"{agencies['province'].code} {agencies['province'].name}",
            latitude=-4.912345,
            longitude=105.123456,
            estimated_cost="75.500.000",
            has_certificate="Ya",
        ),
    }
    response = upload(operator, fill(template, rows), name="usulan-desa.xlsx")
    assert saved(response)
    assert "3 proposals from usulan-desa.xlsx were saved as drafts." in page_text(response)
    assert f'href="{reverse("proposals:drafts")}"' in response.content.decode()

    created = {p.title: p for p in Proposal.objects.select_related("sector", "target_agency")}
    assert len(created) == len(rows)
    expected = {
        "Rabat beton jalan Dusun Sukamaju": dict(
            proposer_type="rt", sector="1.03", work_kind="fisik", target_agency=None, rt="003", rw="001",
            volume=Decimal("300"), estimated_cost=150_000_000, latitude=None, longitude=None,
            land_status_clear=True, has_certificate=False, has_technical_details=False,
            proposer_contact="0812-3456-7890", beneficiary_count=240,
        ),
        "Pelatihan kader posyandu": dict(
            proposer_type="lembaga", sector="1.02", work_kind="nonfisik", target_agency=agencies["dinkes"], rt="",
            rw="", volume=Decimal("2.5"), estimated_cost=1_250_000, latitude=None, longitude=None,
            land_status_clear=False, has_certificate=False, has_technical_details=True,
            proposer_contact="081234567890", beneficiary_count=35,
        ),
        "Talud saluran irigasi": dict(
            proposer_type="warga", sector="1.03", work_kind="fisik", target_agency=agencies["province"], rt="003",
            rw="001", volume=Decimal("300"), estimated_cost=75_500_000, latitude=Decimal("-4.912345"),
            longitude=Decimal("105.123456"), land_status_clear=True, has_certificate=True,
            has_technical_details=False, proposer_contact="0812-3456-7890", beneficiary_count=240,
        ),
    }  # fmt: skip
    for title, fields in expected.items():
        proposal = created[title]
        typed = next(values for values in rows.values() if values["title"] == title)
        actual = {name: getattr(proposal, name) for name in fields if name != "sector"}
        actual["sector"] = proposal.sector.code
        assert actual == fields, title
        for name in ("problem", "proposed_work", "proposer_name", "address", "unit", "beneficiaries"):
            assert getattr(proposal, name) == typed[name], (title, name)
        assert proposal.status == Status.DRAFT
        assert proposal.village == village_operator.region
        assert proposal.kecamatan == village_operator.region.parent
        assert proposal.created_by == village_operator
        assert proposal.tracking_code is None

    events = ProposalEvent.objects.order_by("proposal_id")
    assert [(e.proposal_id, e.action, e.actor_id, e.note) for e in events] == [
        (p.pk, EventAction.CREATED, village_operator.pk, "Diimpor dari spreadsheet usulan-desa.xlsx")
        for p in sorted(created.values(), key=lambda p: p.pk)
    ]

    # The upload's page, read again later, still says what came of it; its file is gone.
    upload_row = Upload.objects.get()
    assert (upload_row.state, upload_row.done, upload_row.total, upload_row.file.name) == ("saved", 3, 3, "")
    again = operator.get(upload_row.get_absolute_url())
    assert "3 proposals from usulan-desa.xlsx were saved as drafts." in page_text(again)


def test_empty_optional_cells_import_as_an_empty_form_field_would(operator, template):
    optional = [c.field for c in COLUMNS if c.field in ("proposer_contact", "target_agency", "rt", "rw", "address")]
    flags = [c.field for c in COLUMNS if c.kind == FLAG]
    response = upload(operator, fill(template, {2: row(**dict.fromkeys(optional + flags, None))}))
    assert saved(response), error_table(response)
    proposal = Proposal.objects.get()
    assert {name: getattr(proposal, name) for name in optional} == {
        "proposer_contact": "",
        "target_agency": None,
        "rt": "",
        "rw": "",
        "address": "",
    }
    assert {name: getattr(proposal, name) for name in flags} == dict.fromkeys(flags, False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        pytest.param(150_000_000, 150_000_000, id="number"),
        pytest.param(150_000_000.0, 150_000_000, id="whole-float"),
        pytest.param("150000000", 150_000_000, id="digits-as-text"),
        pytest.param("Rp1.250.000", 1_250_000, id="rupiah"),
        pytest.param("Rp. 1.250.000,-", 1_250_000, id="rupiah-with-dash"),
    ],
)
def test_a_cost_is_read_as_people_type_it(operator, template, typed, stored):
    response = upload(operator, fill(template, {2: row(estimated_cost=typed)}))
    assert saved(response), error_table(response)
    assert Proposal.objects.get().estimated_cost == stored


def test_a_cost_with_decimals_is_refused_rather_than_read_as_a_bigger_number(operator, template):
    # The dots of "1.250.000" group thousands; a real number 1250000.5 must not become 12500005.
    response = upload(operator, fill(template, {2: row(estimated_cost=1_250_000.5)}))
    assert error_table(response) == [
        (2, "Perkiraan biaya (Rp)", "Estimated cost must be an amount in rupiah, for example 150.000.000.")
    ]
    assert snapshot() == (0, 0)


def test_the_imported_drafts_belong_to_the_open_intakes_planning_year(operator, template, intake):
    upload(operator, fill(template, {2: row()}))
    assert Proposal.objects.get().planning_year == intake.planning_year


def test_a_database_refusal_at_the_last_row_leaves_no_proposal_and_no_event(village_operator, village, intake):
    # More rows than one INSERT takes (100), so the first ones are in the database before the
    # last is refused: only the transaction takes them out again.
    sector = Sector.objects.get(code="1.03")
    rows = [
        Proposal(
            title=f"Usulan {n}",
            problem="-",
            proposed_work="-",
            proposer_type="warga",
            proposer_name="-",
            sector=sector,
            work_kind="fisik",
            volume=1,
            unit="unit",
            estimated_cost=1_000_000,
            beneficiaries="-",
            beneficiary_count=1,
        )
        for n in range(150)
    ]
    rows[-1].estimated_cost = -1  # the cost_within_bounds constraint refuses it
    with pytest.raises(IntegrityError):
        workflow.import_drafts(actor=village_operator, village=village, rows=rows, source_name="x.xlsx")
    assert snapshot() == (0, 0)


# --- files that are not what they should be -------------------------------------------------


def _zip_of(name: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("usulan.xlsx", b"%PDF-1.4\n% not a spreadsheet\n", id="pdf-named-xlsx"),
        pytest.param("usulan.csv", b"Judul usulan;Permasalahan\nSumur;Kering\n", id="csv"),
        pytest.param("usulan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, id="old-excel"),
        pytest.param("usulan.xlsx", _zip_of("content.xml", "<office:document/>"), id="zip-not-a-workbook"),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_refused_by_its_content(operator, name, content):
    response = upload(operator, content, name=name)
    assert response.status_code == 200
    assert f"{name} is not an Excel workbook (.xlsx)." in page_text(response)
    assert error_table(response) == []
    assert snapshot() == (0, 0)


def test_a_small_file_that_unpacks_to_a_huge_one_is_refused_unread(operator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < 1024 * 1024
    response = upload(operator, buffer.getvalue(), name="bom.xlsx")
    assert "bom.xlsx holds far more data than a proposal spreadsheet can." in page_text(response)
    assert snapshot() == (0, 0)


def test_a_header_with_missing_and_unknown_columns_names_them(operator, template):
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[SHEET]
    sheet["A1"] = "Judul"  # was "Judul usulan"
    sheet.cell(row=1, column=len(COLUMNS) + 1, value="Catatan")
    sheet["B2"] = "Jalan rusak"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(operator, buffer.getvalue())
    text = page_text(response)
    assert "Columns missing from the header: “Judul usulan”." in text
    assert "Unknown columns in the header: “Judul”, “Catatan”." in text
    assert snapshot() == (0, 0)


def test_headers_are_matched_whatever_their_order_and_case(operator, template):
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[SHEET]
    sheet.move_range(f"A1:A{sheet.max_row}", cols=len(COLUMNS))  # the title column moved to the end
    sheet.delete_cols(1)
    sheet.cell(row=1, column=len(COLUMNS), value="JUDUL USULAN ")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(operator, fill(buffer.getvalue(), {2: row(title="Embung desa")}))
    assert saved(response), page_text(response)
    assert Proposal.objects.get().title == "Embung desa"


def test_an_empty_file_is_refused(operator):
    response = upload(operator, b"")
    assert "The file chosen for the spreadsheet is empty." in page_text(response)
    assert snapshot() == (0, 0)


def test_the_template_with_no_rows_is_refused_as_holding_no_proposals(operator, template):
    response = upload(operator, fill(template, {3: {"title": "  ", "problem": None}}))  # blank cells only
    assert "The file holds no proposals: fill them in below the header row." in page_text(response)
    assert snapshot() == (0, 0)


def test_a_workbook_with_an_empty_sheet_is_refused_as_having_no_header(operator):
    workbook = openpyxl.Workbook()
    workbook.active.title = SHEET
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(operator, buffer.getvalue())
    assert "The sheet “Usulan” has no header row. Start from the template." in page_text(response)
    assert snapshot() == (0, 0)


def test_a_file_over_the_size_limit_is_refused(operator, template, settings):
    content = fill(template, {2: row()})
    settings.MAX_DOCUMENT_BYTES = len(content) - 1
    response = upload(operator, content)
    assert "usulan-desa.xlsx is " in page_text(response)
    assert "a spreadsheet may be at most" in page_text(response)
    assert snapshot() == (0, 0)


def test_a_file_with_more_rows_than_the_limit_is_refused_before_any_row_is_checked(
    operator, template, django_assert_max_num_queries
):
    content = fill(template, {n: {"title": f"Usulan {n}"} for n in range(2, MAX_ROWS + 3)})
    # The request, the worker's reading and the upload's page: a ProposalForm would take queries per row.
    with django_assert_max_num_queries(20):
        response = upload(operator, content)
    assert Upload.objects.get().total is None  # no row's progress was ever reported
    assert f"The file holds more than {MAX_ROWS} proposals. Split it into several files." in page_text(response)
    assert error_table(response) == []
    assert snapshot() == (0, 0)


# --- who may import, where, and when --------------------------------------------------------


@pytest.fixture
def valid_file(client, village_operator, intake, agencies) -> bytes:
    client.force_login(village_operator)
    content = fill(client.get(TEMPLATE_URL).content, {2: row()})
    client.logout()
    return content


@pytest.mark.parametrize("persona", NON_VILLAGE_PERSONAS)
def test_only_a_village_operator_may_import_or_download_the_template(persona, client, request, valid_file):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    response = upload(client, valid_file)
    assert response.status_code == 403
    assert snapshot() == (0, 0)


def test_an_anonymous_visitor_is_sent_to_log_in(client, valid_file):
    response = upload(client, valid_file, follow=False)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert snapshot() == (0, 0)


def test_an_import_always_lands_in_the_importers_own_village(
    client, neighbour_village_operator, village_operator, valid_file, ladder
):
    client.force_login(neighbour_village_operator)
    # A forged field naming another village changes nothing: the village is the operator's own.
    response = upload(client, valid_file, village=ladder["18.02.01.2003"].pk)
    assert saved(response)
    proposal = Proposal.objects.get()
    assert proposal.village == neighbour_village_operator.region
    assert proposal.created_by == neighbour_village_operator
    client.force_login(village_operator)
    assert proposal.title not in client.get(reverse("proposals:list")).content.decode()


def test_the_workflow_refuses_to_import_into_another_village(village_operator, ladder, intake):
    with pytest.raises(workflow.WorkflowError):
        workflow.import_drafts(actor=village_operator, village=ladder["18.02.01.2001"], rows=[], source_name="x")
    assert snapshot() == (0, 0)


def test_the_template_lists_only_the_agencies_of_the_importers_own_kabupaten_and_province(template, agencies):
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    listed = {cell.value for column in workbook[LISTS_SHEET].iter_cols(values_only=False) for cell in column}
    assert f"{agencies['pupr'].code} {agencies['pupr'].name}" in listed
    assert f"{agencies['elsewhere'].code} {agencies['elsewhere'].name}" not in listed


def test_an_agency_of_another_kabupaten_is_refused_in_a_row(operator, template, agencies):
    other = agencies["elsewhere"]
    response = upload(operator, fill(template, {2: row(target_agency=f"{other.code} {other.name}")}))
    assert error_table(response) == [(2, "Perangkat daerah tujuan", "Choose the target agency from the options given.")]
    assert snapshot() == (0, 0)


def _closed_message(window) -> str:
    with translation.override("en"):
        return f"Proposal intake for {window.planning_year} closed on {formats.date_format(window.closes_on)}."


def test_while_intake_is_closed_the_page_says_so_and_an_upload_is_refused(client, village_operator, valid_file):
    window = village_operator.region.parent.parent.stage_windows.get()
    today = timezone.localdate()
    window.opens_on, window.closes_on = today - datetime.timedelta(days=40), today - datetime.timedelta(days=1)
    window.save()
    client.force_login(village_operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(IMPORT_URL)
    assert escape(_closed_message(window)) in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    response = upload(client, valid_file)
    assert response.status_code == 200
    assert escape(_closed_message(window)) in response.content.decode()
    assert snapshot() == (0, 0)


def test_the_workflow_refuses_an_import_outside_the_intake_window(village_operator, village, ladder):
    window = open_intake(ladder["18.02"], days_before=-5, days_after=30)  # opens in five days
    with translation.override("en"), pytest.raises(workflow.WorkflowError) as refused:
        workflow.import_drafts(actor=village_operator, village=village, rows=[], source_name="x")
    with translation.override("en"):
        assert str(refused.value) == (
            f"Proposal intake for {window.planning_year} opens on {formats.date_format(window.opens_on)}."
        )


def test_the_import_page_answers_other_methods_with_405(operator):
    response = operator.put(IMPORT_URL)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_the_proposal_list_offers_the_import_to_village_operators_only(operator, client, kecamatan_operator):
    assert f'href="{IMPORT_URL}"' in operator.get(reverse("proposals:list")).content.decode()
    client.force_login(kecamatan_operator)
    assert f'href="{IMPORT_URL}"' not in client.get(reverse("proposals:list")).content.decode()


def test_a_row_costs_two_queries_at_most_however_many_rows_the_file_holds(operator, template):
    # The form asked the database once per check constraint (six a row, 7,017 queries and 11.6 s
    # for 500 rows); its own fields check those values. What is left is the sector's lookup and
    # its existence check, two a row.
    def queries(rows: int) -> int:
        content = fill(template, {n: row(title=f"Usulan {n}") for n in range(2, rows + 2)})
        with CaptureQueriesContext(connection) as captured:
            assert saved(upload(operator, content))
        return len(captured.captured_queries)

    few, many = queries(5), queries(25)

    assert Proposal.objects.count() == 30
    assert many - few <= 2 * 20


def test_a_sheet_padded_with_thousands_of_empty_rows_is_refused_without_reading_them_all(operator, template):
    # A good row, then 6,000 rows that hold only a space (a file can hold half a million such rows
    # in a few MB; skipping them kept a worker busy 13.8 s), then another good row.
    padded = fill(template, {2: row(), **{n: {"title": " "} for n in range(3, 6003)}, 6003: row(title="Drainase")})
    before = snapshot()

    response = upload(operator, padded)

    assert response.status_code == 200
    assert (
        "The sheet has more than 5000 rows (empty rows count too). Delete the empty rows below the list, "
        "or split it into several files." in page_text(response)
    )
    assert error_table(response) == []  # no row was checked
    assert snapshot() == before
