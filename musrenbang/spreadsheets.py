"""What every spreadsheet import shares, below every app: opening an uploaded workbook safely
and reading its header row. Each import (proposals, accounts) keeps its own columns and rows.

Problems are appended to the caller's list as sentences for the user, and nothing is raised:
an import shows every problem of a file at once.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook


def key(text) -> str:
    """How a header or a choice is compared: case, spacing and a trailing '*' do not matter."""
    return re.sub(r"\s+", " ", str(text)).strip().rstrip("*").strip().casefold()


def open_workbook(upload, problems: list[str], *, max_unpacked: int, too_much: str):
    """The upload as a read-only openpyxl workbook, or None after saying why not.

    Checked before openpyxl reads it: empty, larger than MAX_DOCUMENT_BYTES, not a zip, or a
    zip that unpacks to more than `max_unpacked` bytes (`too_much` says so, with %(name)s).
    """
    name = upload.name
    if not upload.size:
        problems.append(_("%(name)s is empty.") % {"name": name})
        return None
    if upload.size > settings.MAX_DOCUMENT_BYTES:
        problems.append(
            _("%(name)s is %(size)s; a spreadsheet may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_DOCUMENT_BYTES)}
        )
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
    missing = [column.header for column in columns if column.field not in positions]
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


def rows_refused(errors) -> str:
    """What an import says above its row errors (each with a .row): nothing was saved, and why."""
    rows = len({error.row for error in errors})
    return ngettext(
        "%(count)d row has errors, so nothing was imported. Correct it and upload the file again.",
        "%(count)d rows have errors, so nothing was imported. Correct them and upload the file again.",
        rows,
    ) % {"count": rows}
