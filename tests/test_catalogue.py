"""The catalogue of proposals (kamus usulan): a kabupaten's Bappeda keeps it per plan year, a
village picks an item and its proposal takes the item's unit, agency, sector and cost; an item
outside the catalogue needs a reason and is marked; a later price never rewrites a filed one."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue import workflow as catalogue_workflow
from catalogue.models import CatalogueItem
from catalogue.spreadsheet import COLUMNS
from forums.models import Forum, ForumKind
from musrenbang.spreadsheets import XLSX_CONTENT_TYPE
from proposals import spreadsheet as sheets
from proposals import workflow
from proposals.models import Proposal, Sector
from regions.models import Level
from uploads.models import State, Upload

from . import test_spreadsheet_import as proposal_sheet
from .test_intake import form_data

ROAD = "Rabat beton jalan"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def add_item(kabupaten, year, agency, name=ROAD, *, price=285_000, unit="m²", sector="1.03", active=True, **extra):
    return CatalogueItem.objects.create(
        kabupaten=kabupaten,
        planning_year=year,
        name=name,
        search_name=name.casefold(),
        definition="Perkerasan jalan lingkungan dengan beton tebal 12 cm.",
        unit=unit,
        unit_price=price,
        price_source="hspk",
        agency=agency,
        sector=Sector.objects.get(code=sector),
        physical=True,
        active=active,
        **extra,
    )


@pytest.fixture
def road(ladder, intake, pupr):
    return add_item(ladder["18.02"], intake.planning_year, pupr)


@pytest.fixture
def operator(english, village_operator):
    english.force_login(village_operator)
    return english


def file_proposal(client, **overrides) -> Proposal:
    response = client.post(reverse("proposals:create"), form_data(**overrides))
    assert response.status_code == 302, response.context["form"].errors
    return Proposal.objects.latest("pk")


# --- the intake form ---------------------------------------------------------------------------


def test_a_village_files_a_proposal_by_picking_rabat_beton_jalan_and_the_cost_and_agency_come_out_right(
    operator, road, pupr, dinkes
):
    # What the page's script would have filled in is left as typed, or wrong: the server decides.
    proposal = file_proposal(
        operator,
        catalogue_item=road.pk,
        volume="120,5".replace(",", "."),
        unit="",
        estimated_cost="",
        sector=Sector.objects.get(code="1.02").pk,
        work_kind="nonfisik",
        target_agency=dinkes.pk,
    )

    saved = Proposal.objects.values(
        "catalogue_item",
        "catalogue_name",
        "catalogue_unit_price",
        "outside_catalogue_reason",
        "volume",
        "unit",
        "estimated_cost",
        "target_agency",
        "sector__code",
        "work_kind",
    ).get(pk=proposal.pk)
    assert saved == {
        "catalogue_item": road.pk,
        "catalogue_name": ROAD,
        "catalogue_unit_price": 285_000,
        "outside_catalogue_reason": "",
        "volume": Decimal("120.50"),
        "unit": "m²",
        "estimated_cost": 34_342_500,
        "target_agency": pupr.pk,
        "sector__code": "1.03",
        "work_kind": "fisik",
    }
    page = operator.get(proposal.get_absolute_url()).content.decode()
    assert "Rabat beton jalan · Rp285.000/m²" in page


def test_the_form_offers_the_active_items_of_the_village_kabupaten_and_year_only(operator, road, ladder, intake, pupr):
    add_item(ladder["18.02"], intake.planning_year, pupr, "Jembatan gantung lama", active=False)
    add_item(ladder["18.01"], intake.planning_year, pupr, "Talud Lampung Selatan")

    form = operator.get(reverse("proposals:create")).context["form"]

    assert [item.name for item in form.fields["catalogue_item"].queryset] == [ROAD]


def test_outside_the_catalogue_a_proposal_needs_a_reason(operator, road):
    response = operator.post(reverse("proposals:create"), form_data(catalogue_item="", unit=""))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "outside_catalogue_reason": ["Pick an item from the catalogue, or say why the proposal is outside it."],
        "unit": ["Enter the unit."],
    }
    assert Proposal.objects.count() == 0


def test_outside_the_catalogue_with_a_reason_is_filed_as_typed_and_marked_in_the_list_and_the_ranking(
    operator, road, village_operator, ladder
):
    reason = "Perbaikan atap balai desa tidak ada di kamus."
    proposal = file_proposal(operator, catalogue_item="", outside_catalogue_reason=reason)
    workflow.submit_proposal(actor=village_operator, proposal=proposal)
    forum = Forum.objects.get(kind=ForumKind.MUSRENBANG, level=Level.DESA, region=ladder["18.02.01.2003"])

    listed = operator.get(reverse("proposals:list")).content.decode()
    ranking = operator.get(reverse("forums:ranking", args=[forum.pk])).content.decode()

    saved = Proposal.objects.values_list("catalogue_item", "outside_catalogue_reason", "estimated_cost").get()
    assert saved == (None, reason, 150_000_000)
    assert listed.count("outside the catalogue</span>") == 1
    assert ranking.count("outside the catalogue</span>") == 1


def test_without_a_catalogue_the_form_asks_for_nothing_more(operator, intake):
    form = operator.get(reverse("proposals:create")).context["form"]
    proposal = file_proposal(operator)

    assert "catalogue_item" not in form.fields
    assert (proposal.catalogue_item_id, proposal.outside_catalogue_reason, proposal.estimated_cost) == (
        None,
        "",
        150_000_000,
    )


def test_a_changed_price_never_rewrites_a_filed_proposal(operator, road, bappeda_kabupaten):
    proposal = file_proposal(operator, catalogue_item=road.pk, volume="100")
    road.unit_price = 300_000
    catalogue_workflow.save_item(actor=bappeda_kabupaten, item=road)
    # The village edits its draft later: it keeps the price it was filed with.
    operator.post(
        reverse("proposals:edit", args=[proposal.pk]),
        form_data(catalogue_item=road.pk, volume="200"),
    )

    saved = Proposal.objects.values_list("catalogue_unit_price", "volume", "estimated_cost").get()
    assert saved == (285_000, Decimal("200.00"), 57_000_000)
    assert CatalogueItem.objects.get().unit_price == 300_000


def test_the_list_download_carries_the_catalogue_name_and_unit_price(operator, road):
    file_proposal(operator, catalogue_item=road.pk, volume="10")

    response = operator.get(reverse("proposals:list"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]

    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["Catalogue item"], record["Unit price"], record["Estimated cost"]) == (ROAD, 285_000, 2_850_000)


# --- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["rabat beton", "RABAT Béton", "  jalan   rabát ", "beton"])
def test_the_search_ignores_case_and_accents(operator, road, ladder, intake, pupr, typed):
    add_item(ladder["18.02"], intake.planning_year, pupr, "Sumur bor air bersih", unit="unit", price=45_000_000)
    add_item(ladder["18.02"], intake.planning_year, pupr, "Rabat beton lama", active=False)

    found = operator.get(reverse("catalogue:search"), {"q": typed, "tahun": intake.planning_year.year}).json()

    assert found == {
        "items": [
            {
                "id": road.pk,
                "name": ROAD,
                "unit": "m²",
                "unit_price": 285_000,
                "price": "Rp285.000",
                "agency": "Dinas PUPR",
                "sector": "Pekerjaan Umum dan Penataan Ruang",
            }
        ]
    }


def test_the_search_finds_nothing_in_another_kabupaten(english, road, other_bappeda_kabupaten, intake):
    english.force_login(other_bappeda_kabupaten)

    found = english.get(reverse("catalogue:search"), {"q": "rabat", "tahun": intake.planning_year.year}).json()

    assert found == {"items": []}


# --- the pages and who may open them -----------------------------------------------------------


def item_data(**overrides) -> dict:
    data = {
        "name": "Talud penahan tanah",
        "definition": "Dinding penahan tanah dari pasangan batu kali.",
        "unit": "m³",
        "unit_price": "Rp1.150.000",
        "price_source": "hspk",
        "agency": "",
        "sector": Sector.objects.get(code="1.03").pk,
        "physical": "on",
        "sub_activity_code": "1.03.10.2.01.0017",
        "active": "on",
    }
    return data | overrides


def test_bappeda_adds_an_item_to_its_catalogue_and_the_audit_log_keeps_it(english, bappeda_kabupaten, intake, pupr):
    english.force_login(bappeda_kabupaten)

    response = english.post(reverse("catalogue:add") + f"?tahun={intake.planning_year.year}", item_data(agency=pupr.pk))

    assert response.status_code == 302
    saved = CatalogueItem.objects.values_list(
        "kabupaten__code", "planning_year__year", "name", "search_name", "unit_price", "agency", "sub_activity_code"
    ).get()
    assert saved == (
        "18.02",
        intake.planning_year.year,
        "Talud penahan tanah",
        "talud penahan tanah",
        1_150_000,
        pupr.pk,
        "1.03.10.2.01.0017",
    )
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(object_pk=str(CatalogueItem.objects.get().pk)).count() == 1


def test_a_second_item_of_the_same_name_is_refused_whatever_its_case_and_accents(
    english, bappeda_kabupaten, road, intake, pupr
):
    english.force_login(bappeda_kabupaten)

    response = english.post(
        reverse("catalogue:add") + f"?tahun={intake.planning_year.year}",
        item_data(name="RABAT Betón jalan", agency=pupr.pk),
    )

    assert response.context["form"].errors == {"name": ["The catalogue of this year already has an item of this name."]}
    assert CatalogueItem.objects.count() == 1


def test_bappeda_deactivates_an_item_and_villages_no_longer_find_it(english, bappeda_kabupaten, road, village_operator):
    english.force_login(bappeda_kabupaten)
    english.post(reverse("catalogue:active", args=[road.pk]), {"active": "0"})
    english.force_login(village_operator)

    found = english.get(reverse("catalogue:search"), {"q": "rabat", "tahun": road.planning_year.year}).json()

    assert CatalogueItem.objects.get().active is False
    assert found == {"items": []}


PERSONAS = [
    "village_operator",
    "kecamatan_operator",
    "agency_officer",
    "bappeda_kabupaten",
    "other_bappeda_kabupaten",
    "bappeda_provinsi",
    "admin_user",
]
# (the list, an item's page, deactivating it): 403 for whoever keeps no catalogue, 404 for an item
# out of scope, for the administrator the list asks for a kabupaten first.
EXPECTED = {
    "village_operator": (403, 404, 404),
    "kecamatan_operator": (403, 404, 404),
    "agency_officer": (403, 404, 404),
    "bappeda_kabupaten": (200, 200, 302),
    "other_bappeda_kabupaten": (200, 404, 404),
    "bappeda_provinsi": (403, 404, 404),
    "admin_user": (200, 200, 302),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_the_catalogue(english, road, request, persona):
    english.force_login(request.getfixturevalue(persona))

    codes = (
        english.get(reverse("catalogue:list")).status_code,
        english.get(reverse("catalogue:edit", args=[road.pk])).status_code,
        english.post(reverse("catalogue:active", args=[road.pk]), {"active": "0"}).status_code,
    )

    assert codes == EXPECTED[persona]
    assert CatalogueItem.objects.get().active is (codes[2] != 302)


def test_another_kabupaten_named_in_the_address_is_a_404_for_a_bappeda(english, bappeda_kabupaten, road):
    english.force_login(bappeda_kabupaten)

    assert english.get(reverse("catalogue:list"), {"wilayah": "18.01"}).status_code == 404
    assert english.get(reverse("catalogue:download"), {"wilayah": "18.01"}).status_code == 404


def test_the_administrator_chooses_a_kabupaten_then_reads_its_list(english, admin_user, road):
    english.force_login(admin_user)

    choose = english.get(reverse("catalogue:list")).content.decode()
    listed = english.get(reverse("catalogue:list"), {"wilayah": "18.02"}).content.decode()

    assert 'href="?wilayah=18.02"' in choose
    assert ROAD in listed and "Rp285.000" in listed


def test_the_list_filters_by_words_and_status(english, bappeda_kabupaten, road, ladder, intake, pupr):
    add_item(ladder["18.02"], intake.planning_year, pupr, "Rabat beton gang", active=False)
    add_item(ladder["18.02"], intake.planning_year, pupr, "Sumur bor air bersih")
    english.force_login(bappeda_kabupaten)

    page = english.get(reverse("catalogue:list"), {"q": "rabát", "status": "aktif"}).context["page"]

    assert [item.name for item in page] == [ROAD]


def test_the_list_runs_the_same_queries_for_any_number_of_items(
    english, bappeda_kabupaten, ladder, intake, pupr, dinkes, django_assert_max_num_queries
):
    english.force_login(bappeda_kabupaten)
    for n in range(30):
        add_item(ladder["18.02"], intake.planning_year, pupr if n % 2 else dinkes, f"Item {n:02d}")

    with django_assert_max_num_queries(14):
        response = english.get(reverse("catalogue:list"))

    assert len(response.context["page"].object_list) == 30


# --- the spreadsheet ---------------------------------------------------------------------------


def test_the_download_holds_the_items_in_the_import_layout(english, bappeda_kabupaten, road):
    english.force_login(bappeda_kabupaten)

    response = english.get(reverse("catalogue:download"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        [column.header for column in COLUMNS],
        [
            ROAD,
            "Perkerasan jalan lingkungan dengan beton tebal 12 cm.",
            "m²",
            285_000,
            "HSPK",
            "Dinas Pekerjaan Umum dan Penataan Ruang",
            "1.03 Pekerjaan Umum dan Penataan Ruang",
            "Ya",
            None,
            "Ya",
        ],
    ]


def upload(client, rows, year):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kamus usulan"
    sheet.append([column.header for column in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("kamus.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    client.post(reverse("catalogue:import") + f"?tahun={year.year}", {"file": file})
    return Upload.objects.get()


def test_a_good_file_updates_the_item_of_its_name_and_adds_the_others(english, bappeda_kabupaten, road, intake):
    english.force_login(bappeda_kabupaten)
    rows = [
        ["RABAT BETON JALAN", "Beton K-250 tebal 15 cm.", "m²", 310_000, "HSPK", "Dinas PUPR", "1.03", "Ya", "", "Ya"],
        ["Pelatihan kader posyandu", "Dua hari.", "orang", "Rp450.000", "asb", "1.03.01", "1.02", "Tidak", "", ""],
    ]

    done = upload(english, rows, intake.planning_year)

    assert done.state == State.SAVED
    assert done.outcome["saved"]["message"] == "1 new items and 1 changed items from kamus.xlsx were saved."
    assert list(CatalogueItem.objects.order_by("name").values_list("name", "unit_price", "physical", "active")) == [
        ("Pelatihan kader posyandu", 450_000, False, True),
        ("RABAT BETON JALAN", 310_000, True, True),
    ]


def test_a_bad_file_is_refused_by_row_and_column_and_nothing_is_saved(english, bappeda_kabupaten, road, intake):
    english.force_login(bappeda_kabupaten)
    rows = [
        ["Sumur bor air bersih", "Sampai 60 m.", "unit", 45_000_000, "HSPK", "Dinas PUPR", "1.04", "Ya", "", "Ya"],
        ["Rabat beton jalan", "Beton.", "m²", "murah", "SNI", "Dinas Rahasia", "1.03", "Mungkin", "1.3", "Ya"],
        ["Sumur Bor Air Bersih", "", "unit", 40_000_000, "HSPK", "Dinas PUPR", "1.04", "Ya", "", "Ya"],
    ]

    done = upload(english, rows, intake.planning_year)

    assert done.state == State.REFUSED
    errors = [(e["row"], e["column"], e["message"]) for e in done.outcome["refused"]["errors"]]
    assert errors == [
        (3, "Harga satuan (Rp)", "Unit price must be an amount in rupiah, for example 150.000.000."),
        (3, "Sumber harga", "Write SSH, HSPK or ASB."),
        (3, "Perangkat daerah", "No agency of this regency/city or its province has this name or code."),
        (3, "Fisik", "Write Ya or Tidak."),
        (3, "Kode sub kegiatan", "Write the sub kegiatan code as in the budget, e.g. 1.03.10.2.01.0017."),
        (4, "Nama usulan", "This item is also on row 2 of this file."),
        (4, "Definisi operasional", "Enter the operational definition."),
    ]
    assert list(CatalogueItem.objects.values_list("name", "unit_price")) == [(ROAD, 285_000)]


def test_the_forum_ranking_and_its_download_show_the_catalogue_item_and_its_price(
    operator, road, village_operator, ladder
):
    proposal = file_proposal(operator, catalogue_item=road.pk, volume="100")
    workflow.submit_proposal(actor=village_operator, proposal=proposal)
    forum = Forum.objects.get(kind=ForumKind.MUSRENBANG, level=Level.DESA, region=ladder["18.02.01.2003"])

    page = operator.get(reverse("forums:ranking", args=[forum.pk])).content.decode()
    download = operator.get(reverse("forums:ranking_export", args=[forum.pk, "xlsx"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))

    assert "Catalogue: Rabat beton jalan · Rp285.000/m²" in page
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["Catalogue item"], record["Unit price"], record["Cost"]) == (ROAD, 285_000, 28_500_000)


def test_a_wrong_method_changes_nothing(english, bappeda_kabupaten, road):
    english.force_login(bappeda_kabupaten)

    codes = (
        english.get(reverse("catalogue:active", args=[road.pk])).status_code,
        english.post(reverse("catalogue:download")).status_code,
        english.post(reverse("catalogue:search"), {"q": "rabat"}).status_code,
    )

    assert codes == (405, 405, 405)
    assert CatalogueItem.objects.get().active is True


@pytest.mark.parametrize("persona", ["village_operator", "agency_officer", "bappeda_provinsi"])
def test_who_keeps_no_catalogue_may_not_download_or_import_one(english, road, request, persona):
    english.force_login(request.getfixturevalue(persona))

    codes = (
        english.get(reverse("catalogue:download")).status_code,
        english.get(reverse("catalogue:import")).status_code,
        english.get(reverse("catalogue:add")).status_code,
    )

    assert codes == (403, 403, 403)


# --- the proposal spreadsheet ------------------------------------------------------------------


def test_the_proposal_template_offers_the_catalogue_where_the_kabupaten_keeps_one(operator, road):
    book = openpyxl.load_workbook(io.BytesIO(operator.get(reverse("proposals:import_template")).content))
    headers = [cell.value for cell in book[sheets.SHEET][1]]

    assert headers[1:3] == ["Kamus usulan", "Alasan di luar kamus"]
    lists = book[sheets.LISTS_SHEET]
    column = next(cell.column for cell in lists[1] if cell.value == "Kamus usulan")
    names = [cells[0].value for cells in lists.iter_rows(min_row=2, min_col=column, max_col=column)]
    assert [name for name in names if name] == [ROAD]


def test_an_imported_row_picks_its_catalogue_item_or_says_why_none_fits(operator, road, pupr, dinkes):
    template = operator.get(reverse("proposals:import_template")).content
    content = proposal_sheet.fill(
        template,
        {
            # Typed with other accents and case, and with another unit, sector and cost: the item decides.
            2: proposal_sheet.row(
                title="Rabat beton Dusun I", catalogue_item="RABAT betón jalan", volume=120, unit="meter"
            ),
            3: proposal_sheet.row(
                title="Pelatihan kader", catalogue_item=None, outside_catalogue_reason="Tidak ada di kamus."
            ),
        },
    )

    response = proposal_sheet.upload(operator, content)

    assert proposal_sheet.saved(response), proposal_sheet.error_table(response)
    picked = Proposal.objects.get(title="Rabat beton Dusun I")
    assert (picked.catalogue_item, picked.catalogue_name, picked.catalogue_unit_price) == (road, ROAD, 285_000)
    assert (picked.estimated_cost, picked.unit, picked.target_agency) == (120 * 285_000, "m²", pupr)
    outside = Proposal.objects.get(title="Pelatihan kader")
    assert (outside.catalogue_item, outside.outside_catalogue_reason) == (None, "Tidak ada di kamus.")


def test_an_imported_row_outside_the_catalogue_without_a_reason_saves_nothing(operator, road):
    template = operator.get(reverse("proposals:import_template")).content
    content = proposal_sheet.fill(
        template,
        {
            2: proposal_sheet.row(catalogue_item=ROAD),
            3: proposal_sheet.row(title="Tanpa alasan"),
            4: proposal_sheet.row(catalogue_item="Jembatan"),
        },
    )

    response = proposal_sheet.upload(operator, content)

    assert proposal_sheet.error_table(response) == [
        (3, "Alasan di luar kamus", "Pick an item from the catalogue, or say why the proposal is outside it."),
        (4, "Kamus usulan", "Choose the catalogue item from the options given."),
    ]
    assert not Proposal.objects.exists()
