"""Writing the XLSX template a Bappeda fills in with its officers.

The header row on the accounts sheet, a drop-down of the roles the Bappeda may grant, an
instructions sheet in the user's language, and a lists sheet with the roles and, for reference,
the codes of the Bappeda's regions and agencies.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from regions.models import Region

from .. import access
from .columns import CHOICE, COLUMNS, GUIDE_SHEET, LISTS_SHEET, MAX_LISTED, MAX_ROWS, SHEET, role_choices


def template_workbook(*, manager) -> bytes:
    roles = role_choices(manager).labels
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    guide = workbook.create_sheet(GUIDE_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    bold = Font(bold=True)

    sheet.append([column.header for column in COLUMNS])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.column_dimensions[letter].width = column.width
        # Every column is text: codes keep their dots and phone numbers their leading zero.
        sheet.column_dimensions[letter].number_format = "@"
        if column.kind == CHOICE:
            validation = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(LISTS_SHEET)}!$A$2:$A${len(roles) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error=_("Choose a value from the list."),
            )
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)

    _write_lists(lists, manager=manager, roles=roles)
    _write_guide(guide, manager=manager, roles=roles)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_lists(lists, *, manager, roles: list[str]) -> None:
    bold = Font(bold=True)
    area = access.area_of(manager)
    regions = Region.objects.order_by("code") if area is None else Region.objects.subtree(area).order_by("code")
    agencies = access.agencies_in_area(manager).order_by("region__code", "code")
    lists.append(
        ["Peran", "", "Kode wilayah", "Nama wilayah", "", "Kode wilayah", "Kode perangkat daerah", "Perangkat daerah"]
    )
    for cell in lists[1]:
        cell.font = bold
    for row, label in enumerate(roles, start=2):
        lists.cell(row=row, column=1, value=label)
    for row, region in enumerate(regions.only("code", "name", "kind", "level")[:MAX_LISTED], start=2):
        lists.cell(row=row, column=3, value=region.code)
        lists.cell(row=row, column=4, value=region.display_name)
    for row, agency in enumerate(agencies[:MAX_LISTED], start=2):
        lists.cell(row=row, column=6, value=agency.region.code)
        lists.cell(row=row, column=7, value=agency.code)
        lists.cell(row=row, column=8, value=agency.name)
    for letter, width in zip("ABCDEFGH", (26, 3, 16, 34, 3, 14, 22, 50), strict=True):
        lists.column_dimensions[letter].width = width
    lists.freeze_panes = "A2"
    lists.protection.sheet = True  # the drop-down reads these cells: not to be edited by accident


def _write_guide(guide, *, manager, roles: list[str]) -> None:
    area = access.area_of(manager)
    guide.append([_("How to fill in the account spreadsheet")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in (
        _("Fill in one officer per row on the sheet “%(sheet)s”, from row 2 down. Do not change the header row.")
        % {"sheet": SHEET},
        _("Yellow headers are required. Empty rows are skipped. One file holds at most %(n)d officers.")
        % {"n": MAX_ROWS},
        _("Roles you may grant: %(roles)s.") % {"roles": "; ".join(roles)},
        _("Regions and agencies of your area are listed on the sheet “%(sheet)s”.") % {"sheet": LISTS_SHEET}
        if area is not None
        else _("The sheet “%(sheet)s” lists regions and agencies, up to %(n)d of each.")
        % {"sheet": LISTS_SHEET, "n": MAX_LISTED},
        _(
            "The file is imported only when every row is valid. Otherwise the page lists each error with its "
            "row and column, and nothing is saved."
        ),
        _(
            "No passwords: after the import you print a sheet with a one-time link for each officer, "
            "who opens it and chooses their own password."
        ),
    ):
        guide.append([line])
    guide.append([])
    guide.append([_("Column"), _("Required"), _("Example"), _("Meaning")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guide.append([column.header, _("Yes") if column.required else _("No"), column.example, str(column.meaning)])
        for cell in guide[guide.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (20, 10, 20, 80), strict=True):
        guide.column_dimensions[letter].width = width
