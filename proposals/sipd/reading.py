"""Reading an uploaded SIPD usulan export, XLSX or CSV, into its filled rows.

The file is checked as a whole first (size, format, what it unpacks to, the header against
SIPD_HEADER); then each filled row comes back as its cells by header, as the file holds them
(a date cell as a datetime, a number as a number). Checking the rows is checking.py's.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from musrenbang.spreadsheets import bounded, header_positions, open_workbook, size_problem

from .layout import COLUMNS

SHEET = "Usulan"
# A kabupaten files a few hundred to a few thousand usulan a year.
MAX_ROWS = 3000
MAX_UNPACKED_BYTES = 30 * 1024 * 1024

Row = tuple[int, dict[str, object]]  # the row's number as the spreadsheet shows it, its cells by header


def read_rows(upload, problems: list[str]) -> list[Row]:
    """The filled rows of an uploaded SIPD export, or [] after saying in `problems` what is wrong."""
    if upload.name.lower().endswith(".csv"):
        return _filled(_csv_rows(upload, problems), upload.name, problems)
    book = open_workbook(
        upload,
        problems,
        max_unpacked=MAX_UNPACKED_BYTES,
        too_much=_("%(name)s holds far more data than a SIPD usulan export can."),
    )
    if book is None:
        return []
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong sheet size; read what is there
        return _filled(sheet.iter_rows(values_only=True), sheet.title, problems)
    finally:
        book.close()


def _csv_rows(upload, problems: list[str]):
    if problem := size_problem(upload):
        problems.append(problem)
        return
    upload.seek(0)
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("%(name)s is not a CSV file in UTF-8. Save it as “CSV UTF-8” and upload it again.")
        problems.append(message % {"name": upload.name})
        return
    first = text.split("\n", 1)[0]
    # A spreadsheet set to Indonesian writes its CSV with semicolons (the comma is the decimal mark).
    delimiter = ";" if first.count(";") > first.count(",") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _filled(rows, sheet_title: str, problems: list[str]) -> list[Row]:
    rows = bounded(rows, problems)
    positions = header_positions(next(rows, None), sheet_title, COLUMNS, problems)
    if positions is None:
        return []
    filled = []
    for number, cells in enumerate(rows, start=2):
        values = {name: cells[pos] if pos < len(cells) else None for name, pos in positions.items()}
        if all(value is None or str(value).strip() == "" for value in values.values()):
            continue
        filled.append((number, values))
        if len(filled) > MAX_ROWS:
            problems.append(
                _("The file holds more than %(n)d proposals. Split it into several files.") % {"n": MAX_ROWS}
            )
            return []
    if problems:
        return []
    if not filled:
        problems.append(_("The file holds no proposals below its header row."))
    return filled
