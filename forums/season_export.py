"""The season board as an XLSX workbook: the rows the board shows, with its filters, in its order.

Headers and statuses are in the reader's language (the board's own list, not an official form);
dates are date cells and money whole Rupiah numbers, so that a spreadsheet sorts and sums them.
"""

from __future__ import annotations

import io

from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from proposals.tables import RUPIAH_NUMBER_FORMAT, XLSX_CONTENT_TYPE, spreadsheet_safe

from .season import GROUPS, Board

__all__ = ["XLSX_CONTENT_TYPE", "filename", "workbook"]

DATE_FORMAT = "DD/MM/YYYY"
HEADER_ROW = 3


def columns() -> list[tuple[str, int]]:
    """(header, width) of each column, in the reader's language."""
    return [
        (_("Level"), 30),
        (_("Forum"), 44),
        (_("Region code"), 14),
        (_("Date"), 12),
        (_("Time"), 8),
        (_("Place"), 30),
        (_("Status"), 14),
        (_("Items"), 8),
        (_("Waiting"), 8),
        (_("Agreed total"), 18),
        (_("Ceiling"), 18),
        (_("Monitoring team"), 24),
        (_("Team leader"), 28),
    ]


def title(board: Board, planning_year) -> str:
    where = board.area.display_name if board.area is not None else _("Indonesia")
    return _("Forums of the season: %(area)s, %(year)s") % {"area": where, "year": planning_year}


def filename(board: Board, planning_year) -> str:
    where = slugify(board.area.name) if board.area is not None else "indonesia"
    return f"jadwal-musyawarah-{where}-{planning_year.year}.xlsx"


def workbook(board: Board, planning_year) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Season")[:31]
    sheet.cell(row=1, column=1, value=title(board, planning_year)).font = Font(bold=True, size=12)
    sheet.cell(row=2, column=1, value=_("As of %(date)s") % {"date": formats.date_format(board.today, "j F Y")})
    heads = columns()
    for column, (name, width) in enumerate(heads, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, forum in enumerate(board.rows, start=HEADER_ROW + 1):
        team = forum.team
        values = [
            str(GROUPS[(forum.level, forum.kind)]),
            str(forum),
            forum.region.code,
            forum.held_on,
            forum.starts_at.strftime("%H:%M") if forum.starts_at else None,
            forum.place,
            str(forum.season_label),
            forum.items,
            forum.pending,
            forum.agreed,
            forum.ceiling,
            team.name if team else "",
            team.leader if team else "",
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=spreadsheet_safe(value))
            if column == 4 and value is not None:
                cell.number_format = DATE_FORMAT
            elif column in (10, 11):
                cell.number_format = RUPIAH_NUMBER_FORMAT
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(heads))}{HEADER_ROW + len(board.rows)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
