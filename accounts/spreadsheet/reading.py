"""Reading an uploaded account spreadsheet, and the form it is uploaded through.

read_accounts checks the file as a whole (size, that it is an .xlsx, what it unpacks to, the
header row), then hands each filled row to the AccountForm the web page uses, so a row is refused
exactly when the page would refuse it, and a username may appear only once in the file. The
accounts come back unsaved, all or none, with a RowError for each problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musrenbang.form_messages import SpecificMessagesMixin
from musrenbang.spreadsheets import (
    XLSX_CONTENT_TYPE,
    RowError,
    ShownRow,
    bounded,
    cell_text,
    header_positions,
    open_workbook,
    rows_refused,
    shown_row,
)

from ..forms import AccountForm, Directory
from ..models import User
from .columns import BY_FIELD, COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES, SHEET, role_choices


@dataclass
class Reading:
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    errors: list[RowError] = field(default_factory=list)
    shown: list[ShownRow] = field(default_factory=list)  # the rows with errors
    accounts: list[User] = field(default_factory=list)  # unsaved, and only when all is well


def read_accounts(upload, *, manager) -> Reading:
    reading = Reading()
    workbook = _open(upload, reading)
    if workbook is None:
        return reading
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong sheet size; read what is there
        rows = bounded(sheet.iter_rows(values_only=True), reading.problems)
        positions = _header(next(rows, None), sheet.title, reading)
        filled = _filled_rows(rows, positions, reading) if positions else []
    finally:
        workbook.close()
    if reading.problems:  # the sheet was too long to read to its end: nothing to check
        filled = []
    if filled:
        _check_rows(filled, manager, reading)
    if reading.problems or reading.errors:
        reading.accounts = []
    elif not reading.accounts:
        reading.problems.append(_("The file holds no officers: fill them in below the header row."))
    return reading


def _open(upload, reading: Reading):
    return open_workbook(
        upload,
        reading.problems,
        max_unpacked=MAX_UNPACKED_BYTES,
        too_much=_("%(name)s holds far more data than an account spreadsheet can."),
    )


def _header(cells, sheet_title: str, reading: Reading) -> dict[str, int] | None:
    return header_positions(cells, sheet_title, COLUMNS, reading.problems)


def _filled_rows(rows, positions: dict[str, int], reading: Reading) -> list[tuple[int, dict[str, str]]]:
    filled = []
    for number, cells in enumerate(rows, start=2):
        values = {name: cell_text(cells[pos] if pos < len(cells) else None) for name, pos in positions.items()}
        if not any(values.values()):
            continue
        filled.append((number, values))
        if len(filled) > MAX_ROWS:  # counted before any row is checked: a huge file is refused at once
            reading.problems.append(
                _("The file holds more than %(n)d officers. Split it into several files.") % {"n": MAX_ROWS}
            )
            return []
    return filled


def _check_rows(filled, manager, reading: Reading) -> None:
    directory = Directory(manager)
    directory.preload(codes=[v["region"] for _n, v in filled], usernames=[v["username"] for _n, v in filled])
    roles = role_choices(manager)
    order = {column.field: i for i, column in enumerate(COLUMNS)}
    first_row_of: dict[str, int] = {}
    for number, values in filled:
        data = dict(values)
        # An unknown role goes to the form as typed, which refuses it with its own message.
        data["role"] = roles.value_of(values["role"]) or values["role"]
        form = AccountForm(data, manager=manager, directory=directory)
        valid = form.is_valid()
        errors = [(name, message) for name, messages in form.errors.items() for message in messages]
        folded = values["username"].casefold()
        if folded and folded in first_row_of:
            errors.append(
                (
                    "username",
                    _("The username “%(username)s” is also on row %(row)d of this file.")
                    % {"username": values["username"], "row": first_row_of[folded]},
                )
            )
        else:
            first_row_of.setdefault(folded, number)
        errors.sort(key=lambda error: order.get(error[0], -1))
        for name, message in errors:
            column = BY_FIELD.get(name)
            reading.errors.append(RowError(number, column.header if column else "", message))
        if errors:
            reading.shown.append(shown_row(number, values, errors, COLUMNS))
        elif valid:
            reading.accounts.append(form.instance)


class ImportForm(SpecificMessagesMixin, forms.Form):
    """One file; valid only when every row in it is a valid account (then see .accounts)."""

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        self.row_errors: list[RowError] = []
        self.shown_rows: list[ShownRow] = []
        self.accounts: list[User] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        reading = read_accounts(upload, manager=self.manager)
        if reading.problems:
            raise forms.ValidationError(reading.problems)
        if reading.errors:
            self.row_errors, self.shown_rows = reading.errors, reading.shown
            raise forms.ValidationError(rows_refused(reading.errors))
        self.accounts = reading.accounts
        return upload
