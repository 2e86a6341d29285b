"""Writing the XLSX template a village fills in offline.

template_workbook builds it from COLUMNS: the header row on the proposals sheet, a drop-down for
every choice and Ya/Tidak column pointing at the lists sheet, and an instructions sheet (in the
user's language) that says for each column whether it is required, its format, an example and
what it means.
"""

from __future__ import annotations

import io
import math

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..forms import ProposalForm
from .columns import (
    CHOICE,
    COLUMNS,
    DECIMAL,
    FLAG,
    GUIDE_SHEET,
    INTEGER,
    LISTS_SHEET,
    MAX_ROWS,
    NO,
    RUPIAH,
    SHEET,
    TEXT,
    YES,
    Choices,
    Column,
    choice_lists,
)

# ---------------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------------


def _format(column: Column, form_field, lists: dict[str, Choices], list_columns: dict[str, str]) -> str:
    if column.kind == TEXT:
        if getattr(form_field, "max_length", None):
            return _("Text, at most %(n)d characters.") % {"n": form_field.max_length}
        return _("Text.")
    if column.kind != CHOICE:
        return {
            INTEGER: _("A whole number."),
            DECIMAL: _("A number."),
            RUPIAH: _("Whole Rupiah, without decimals; “Rp1.250.000” and “1.250.000” are accepted too."),
            FLAG: _("Ya or Tidak; an empty cell means Tidak."),
        }[column.kind]
    where = _("Choose from the drop-down list (sheet %(sheet)s, column %(column)s).") % {
        "sheet": LISTS_SHEET,
        "column": list_columns[column.field],
    }
    labels = lists[column.field].labels
    if len(labels) <= 6:
        return f"{where} {_('Allowed values: %(values)s.') % {'values': '; '.join(labels)}}"
    return where


def template_workbook(*, village, plan_year=None) -> bytes:
    """The XLSX a village fills in: the header, drop-downs for choices, a sheet of instructions;
    the catalogue's columns only where the kabupaten keeps one for the plan year."""
    lists = choice_lists(village, plan_year)
    form_fields = ProposalForm(village=village, plan_year=plan_year).fields
    columns = [column for column in COLUMNS if column.field in form_fields]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    guide = workbook.create_sheet(GUIDE_SHEET)
    daftar = workbook.create_sheet(LISTS_SHEET)

    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    sheet.append([column.header for column in columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if form_fields[column.field].required:
            cell.fill = required_fill
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        # Text columns stay text, so "003" and "0812..." keep their leading zeros.
        dimension.number_format = {TEXT: "@", RUPIAH: "#,##0", INTEGER: "0"}.get(column.kind, "General")

    # The lists, one column each; the drop-downs point at them (a list typed into the validation
    # itself may hold only 255 characters, far less than 32 sectors).
    list_columns: dict[str, str] = {}
    sources = [(column.header, lists[column.field].labels, column.field) for column in columns if column.kind == CHOICE]
    sources.append((f"{YES}/{NO}", [YES, NO], FLAG))
    for index, (header, labels, key) in enumerate(sources, start=1):
        letter = get_column_letter(index)
        list_columns[key] = letter
        daftar.cell(row=1, column=index, value=header).font = bold
        daftar.column_dimensions[letter].width = max([len(header), *map(len, labels)]) + 2
        for row, label in enumerate(labels, start=2):
            daftar.cell(row=row, column=index, value=label)
    daftar.protection.sheet = True  # the drop-downs read these cells: not to be edited by accident

    last_row = MAX_ROWS + 1
    for index, column in enumerate(columns, start=1):
        if column.kind not in (CHOICE, FLAG):
            continue
        key = FLAG if column.kind == FLAG else column.field
        count = 2 if column.kind == FLAG else len(lists[column.field].labels)
        if not count:
            continue  # no agency recorded for this kabupaten yet: the column stays free (and empty)
        letter = list_columns[key]
        validation = DataValidation(
            type="list",
            # As the file stores it: no leading "=" (Excel repairs a workbook that has one).
            formula1=f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.header,
            error=_("Choose a value from the list."),
        )
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)

    _write_guide(
        guide, village=village, columns=columns, lists=lists, form_fields=form_fields, list_columns=list_columns
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_guide(guide, *, village, columns, lists, form_fields, list_columns) -> None:
    bold = Font(bold=True)
    guide.append([_("How to fill in the proposal spreadsheet")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in (
        _("Fill in one proposal per row on the sheet “%(sheet)s”, from row 2 down. Do not change the header row.")
        % {"sheet": SHEET},
        _("Yellow headers are required. Empty rows are skipped. One file holds at most %(n)d proposals.")
        % {"n": MAX_ROWS},
        _(
            "The file is imported only when every row is valid. Otherwise the page lists each error with its "
            "row and column, and nothing is saved."
        ),
        _(
            "Imported proposals are saved as drafts of %(village)s: check them, add photos and documents, "
            "then submit each one."
        )
        % {"village": village.display_name},
    ):
        guide.append([line])
    guide.append([])
    guide.append([_("Column"), _("Required"), _("Format"), _("Example"), _("Meaning")])
    header_row = guide.max_row
    for cell in guide[header_row]:
        cell.font = bold
    for column in columns:
        guide.append(
            [
                column.header,
                _("Yes") if form_fields[column.field].required else _("No"),
                _format(column, form_fields[column.field], lists, list_columns),
                column.example,
                str(column.meaning),
            ]
        )
    widths = (26, 10, 48, 30, 60)
    for letter, width in zip("ABCDE", widths, strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # Not every program grows a row to fit wrapped text: give each the lines its longest cell needs.
        lines = max(math.ceil(len(str(c.value or "")) / (width - 2)) for c, width in zip(row, widths, strict=True))
        guide.row_dimensions[row[0].row].height = 15 * max(lines, 1)
    guide.freeze_panes = guide.cell(row=header_row + 1, column=1)
    # Printed for the people who fill in the paper forms: one page wide.
    guide.page_setup.orientation = "landscape"
    guide.sheet_properties.pageSetUpPr.fitToPage = True
    guide.page_setup.fitToWidth, guide.page_setup.fitToHeight = 1, 0
