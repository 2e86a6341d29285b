"""What every spreadsheet import shares, below every app: opening an uploaded workbook safely,
reading its header row, and the shapes its errors are shown in (a row's error, the rows with
errors as the file holds them). Each import (proposals, accounts, attendance) keeps its own
columns and rows.

Problems are appended to the caller's list as sentences for the user, and nothing is raised:
an import shows every problem of a file at once.
"""

from __future__ import annotations

import datetime
import io
import re
import time
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it
    column: str  # the header, or "" for the row as a whole
    message: str


@dataclass(frozen=True)
class Cell:
    header: str
    value: str  # as the file holds it
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShownRow:
    """A row with errors as the file holds it, each cell with its own errors, for the page that
    lists what to correct."""

    number: int
    cells: tuple[Cell, ...]
    errors: tuple[str, ...] = ()  # about the row as a whole


def shown_row(number: int, values: dict[str, str], errors: list[tuple[str, str]], columns) -> ShownRow:
    """`errors` are (field, message); a field that is no column's is the row's own error."""
    fields = {column.field for column in columns}
    cells = tuple(
        Cell(column.header, values.get(column.field, ""), tuple(m for name, m in errors if name == column.field))
        for column in columns
    )
    return ShownRow(number, cells, tuple(m for name, m in errors if name not in fields))


def cell_text(value) -> str:
    """A cell as text: a whole number without ".0", a date as YYYY-MM-DD, runs of spaces made one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return " ".join(str(value).split())


# Rows an import reads at most, blank ones included, and for how long: a file of a few MB can hold
# half a million blank rows, which took a worker 13.8 s to skip before any row limit counted.
MAX_ROWS_READ = 5000
MAX_READ_SECONDS = 10


def bounded(rows, problems: list[str]):
    """The sheet's rows as they are read, stopping (with a problem for the user) after
    MAX_ROWS_READ rows, blank ones included, or MAX_READ_SECONDS."""
    started = time.monotonic()
    for count, cells in enumerate(rows, start=1):
        if count > MAX_ROWS_READ or time.monotonic() - started > MAX_READ_SECONDS:
            problems.append(
                _(
                    "The sheet has more than %(n)d rows (empty rows count too). Delete the empty rows "
                    "below the list, or split it into several files."
                )
                % {"n": MAX_ROWS_READ}
            )
            return
        yield cells


def key(text) -> str:
    """How a header or a choice is compared: case, spacing and a trailing '*' do not matter."""
    return re.sub(r"\s+", " ", str(text)).strip().rstrip("*").strip().casefold()


def size_problem(upload) -> str | None:
    """What is wrong with an upload's size (empty, or over MAX_DOCUMENT_BYTES), if anything:
    checked by the request too, so that a file too big to read is never stored."""
    if not upload.size:
        return _("%(name)s is empty.") % {"name": upload.name}
    if upload.size > settings.MAX_DOCUMENT_BYTES:
        return _("%(name)s is %(size)s; a spreadsheet may be at most %(limit)s.") % {
            "name": upload.name,
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(settings.MAX_DOCUMENT_BYTES),
        }
    return None


def open_workbook(upload, problems: list[str], *, max_unpacked: int, too_much: str):
    """The upload as a read-only openpyxl workbook, or None after saying why not.

    Checked before openpyxl reads it: empty, larger than MAX_DOCUMENT_BYTES, not a zip, or a
    zip that unpacks to more than `max_unpacked` bytes (`too_much` says so, with %(name)s).
    """
    name = upload.name
    if problem := size_problem(upload):
        problems.append(problem)
        return None
    upload.seek(0)
    data = upload.read()
    not_xlsx = _(
        "%(name)s is not an Excel workbook (.xlsx). Open it in a spreadsheet program, save it as "
        "“Excel Workbook (.xlsx)” and upload it again."
    ) % {"name": name}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        problems.append(not_xlsx)
        return None
    if unpacked > max_unpacked:
        problems.append(too_much % {"name": name})
        return None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # A zip that is not a workbook (an .ods, a .docx, a damaged file) makes openpyxl raise
        # almost anything (KeyError, InvalidFileException, XML errors): all mean "not an xlsx".
        problems.append(not_xlsx)
        return None


def header_positions(cells, sheet_title: str, columns, problems: list[str]) -> dict[str, int] | None:
    """field -> position in the row for each of `columns` (each with .header and .field), or
    None after naming what is wrong with the header row."""
    names = [key(cell) if cell is not None else "" for cell in cells or ()]
    if not any(names):
        problems.append(_("The sheet “%(sheet)s” has no header row. Start from the template.") % {"sheet": sheet_title})
        return None
    known = {key(column.header): column for column in columns}
    positions: dict[str, int] = {}
    unknown, twice = [], []
    for position, (name, cell) in enumerate(zip(names, cells, strict=True)):
        if not name:
            continue
        column = known.get(name)
        if column is None:
            unknown.append(str(cell).strip())
        elif column.field in positions:
            twice.append(column.header)
        else:
            positions[column.field] = position
    # A column added after templates were in use (optional) is not required of an older file.
    missing = [c.header for c in columns if c.field not in positions and not getattr(c, "optional", False)]
    found = len(problems)
    for message, headers in (
        (_("Columns missing from the header: %(columns)s."), missing),
        (_("Unknown columns in the header: %(columns)s."), unknown),
        (_("Columns that appear twice in the header: %(columns)s."), twice),
    ):
        if headers:
            problems.append(message % {"columns": ", ".join(f"“{h}”" for h in headers)})
    if len(problems) > found:
        problems.append(_("Download the template again and copy your rows into it."))
        return None
    return positions


def filled_rows(
    upload,
    problems: list[str],
    *,
    sheet: str,
    columns,
    max_unpacked: int,
    too_much: str,
    max_rows: int,
    too_many: str,
    text=cell_text,
) -> list[tuple[int, dict]]:
    """The rows of an uploaded import that hold anything, as (row number, {field: text(cell)}),
    read from the sheet named `sheet` (else the first) under its header row; or [] after saying
    in `problems` why the file cannot be read (open_workbook, header_positions, bounded) or that it
    holds more than `max_rows` rows (`too_many`, with %(n)d), counted before any row is checked
    so that a huge file is refused at once."""
    book = open_workbook(upload, problems, max_unpacked=max_unpacked, too_much=too_much)
    if book is None:
        return []
    filled = []
    try:
        found = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
        found.reset_dimensions()  # some writers record a wrong sheet size; read what is there
        rows = bounded(found.iter_rows(values_only=True), problems)
        positions = header_positions(next(rows, None), found.title, columns, problems)
        for number, cells in enumerate(rows if positions else (), start=2):
            values = {name: text(cells[pos] if pos < len(cells) else None) for name, pos in positions.items()}
            if all(value is None or (isinstance(value, str) and not value.strip()) for value in values.values()):
                continue
            filled.append((number, values))
            if len(filled) > max_rows:
                problems.append(too_many % {"n": max_rows})
                break
    finally:
        book.close()
    return [] if problems else filled


def rows_refused(errors) -> str:
    """What an import says above its row errors (each with a .row): nothing was saved, and why."""
    rows = len({error.row for error in errors})
    return ngettext(
        "%(count)d row has errors, so nothing was imported. Correct it and upload the file again.",
        "%(count)d rows have errors, so nothing was imported. Correct them and upload the file again.",
        rows,
    ) % {"count": rows}


def refused_row(number: int, values: dict[str, str], errors: list[tuple[str, str]], columns):
    """A row's errors, (field, message) each, as RowErrors under their columns' headers (a field
    no column holds: the row's own), with the row as the file holds it."""
    headers = {column.field: column.header for column in columns}
    found = [RowError(number, headers.get(name, ""), message) for name, message in errors]
    return found, shown_row(number, values, errors, columns)
