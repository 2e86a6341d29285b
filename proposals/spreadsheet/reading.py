"""Reading an uploaded spreadsheet, and the form it is uploaded through.

read_proposals checks the file as a whole (size, that it is an .xlsx, what it unpacks to, the
header row against COLUMNS), then turns each filled row into the data the web form would receive
and validates it with a ProposalForm; the proposals come back unsaved, all or none, with a
RowError for each problem. ImportForm is the upload form that runs it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musrenbang.form_messages import SpecificMessagesMixin
from musrenbang.spreadsheets import RowError, bounded, header_positions, open_workbook, rows_refused

from ..forms import ProposalForm
from ..models import Proposal
from ..tables import XLSX_CONTENT_TYPE
from .columns import (
    BY_FIELD,
    CHOICE,
    COLUMNS,
    DECIMAL,
    FLAG,
    INTEGER,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    RUPIAH,
    SHEET,
    Choices,
    _key,
    choice_lists,
)

# What people type for a ticked or an empty box besides Ya and Tidak.
_TRUE = {"ya", "y", "yes", "true", "1", "v", "x", "✓", "✔"}
_FALSE = {"tidak", "t", "no", "n", "false", "0", "-", ""}


# ---------------------------------------------------------------------------------------------
# Reading an uploaded file
# ---------------------------------------------------------------------------------------------


@dataclass
class Reading:
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    errors: list[RowError] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)  # unsaved, and only when all is well


def read_proposals(upload, *, village) -> Reading:
    """Check an uploaded file and every row in it; the proposals come back unsaved, all or none."""
    reading = Reading()
    workbook = _open(upload, reading)
    if workbook is None:
        return reading
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong sheet size; read what is there
        rows = bounded(sheet.iter_rows(values_only=True), reading.problems)
        positions = _header(next(rows, None), sheet.title, reading)
        if positions is None:
            return reading
        _read_rows(rows, positions, village, reading)
    finally:
        workbook.close()
    if not reading.problems and not reading.errors:
        if not reading.proposals:
            reading.problems.append(_("The file holds no proposals: fill them in below the header row."))
    else:
        reading.proposals = []
    return reading


def _open(upload, reading: Reading):
    return open_workbook(
        upload,
        reading.problems,
        max_unpacked=MAX_UNPACKED_BYTES,
        too_much=_("%(name)s holds far more data than a proposal spreadsheet can."),
    )


def _header(cells, sheet_title: str, reading: Reading) -> dict[str, int] | None:
    return header_positions(cells, sheet_title, COLUMNS, reading.problems)


def _read_rows(rows: Iterable[tuple], positions: dict[str, int], village, reading: Reading) -> None:
    filled = []
    for number, cells in enumerate(rows, start=2):
        values = {name: (cells[pos] if pos < len(cells) else None) for name, pos in positions.items()}
        if all(_blank(value) for value in values.values()):
            continue
        filled.append((number, values))
        if len(filled) > MAX_ROWS:  # counted before any row is checked: a huge file is refused at once
            reading.problems.append(
                _("The file holds more than %(n)d proposals. Split it into several files.") % {"n": MAX_ROWS}
            )
            return
    if reading.problems:  # the sheet was too long to read to its end: nothing to check
        return
    lists = choice_lists(village)
    order = {column.field: i for i, column in enumerate(COLUMNS)}
    for number, values in filled:
        data, errors = _form_data(values, lists)
        form = ProposalForm(data, village=village)
        valid = form.is_valid()
        for name, messages in form.errors.items():
            errors.extend((name, message) for message in messages)
        for name, message in sorted(errors, key=lambda error: order.get(error[0], -1)):
            column = BY_FIELD.get(name)
            reading.errors.append(RowError(number, column.header if column else "", message))
        if valid and not errors:
            reading.proposals.append(form.save(commit=False))


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _form_data(values: dict, lists: dict[str, Choices]) -> tuple[dict, list[tuple[str, str]]]:
    """The POST data the web form would receive for this row, and the errors only a cell can have."""
    data, errors = {}, []
    for name, value in values.items():
        column = BY_FIELD[name]
        if column.kind == FLAG:
            if isinstance(value, bool):
                text = "ya" if value else ""
            else:
                text = _key(_cell_text(value))
            if text in _TRUE:
                data[name] = "on"
            elif text not in _FALSE:
                errors.append((name, _("Write Ya or Tidak.")))
        elif column.kind == CHOICE:
            text = _cell_text(value)
            chosen = lists[name].value_of(text)
            # An unknown value goes to the form as typed, which refuses it with its own message.
            data[name] = text if chosen is None else chosen
        elif (
            column.kind in (INTEGER, DECIMAL, RUPIAH)
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            # Numbers reach the form as numbers: turned into text, 1250000.5 would become
            # "1250000.5", which the Rupiah field reads as 12.500.005 (dots group thousands).
            data[name] = int(value) if isinstance(value, float) and value.is_integer() else value
        else:
            data[name] = _cell_text(value)
    return data, errors


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).strip()


# ---------------------------------------------------------------------------------------------
# The upload form
# ---------------------------------------------------------------------------------------------


class ImportForm(SpecificMessagesMixin, forms.Form):
    """One file; valid only when every row in it is a valid proposal (then see .proposals)."""

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.village = village
        self.row_errors: list[RowError] = []
        self.proposals: list[Proposal] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        reading = read_proposals(upload, village=self.village)
        if reading.problems:
            raise forms.ValidationError(reading.problems)
        if reading.errors:
            self.row_errors = reading.errors
            raise forms.ValidationError(rows_refused(reading.errors))
        self.proposals = reading.proposals
        return upload
