"""Reading an uploaded account spreadsheet (in the background worker: importing.py).

read_accounts checks the file as a whole (size, that it is an .xlsx, what it unpacks to, the
header row), then hands each filled row to the AccountForm the web page uses, so a row is refused
exactly when the page would refuse it, and a username may appear only once in the file. The
accounts come back unsaved, all or none, with a RowError for each problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from musrenbang.spreadsheets import RowError, ShownRow, filled_rows, shown_row

from ..forms import AccountForm, Directory
from ..models import User
from .columns import BY_FIELD, COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES, SHEET, role_choices


@dataclass
class Reading:
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    errors: list[RowError] = field(default_factory=list)
    shown: list[ShownRow] = field(default_factory=list)  # the rows with errors
    accounts: list[User] = field(default_factory=list)  # unsaved, and only when all is well


def read_accounts(upload, *, manager, progress=None) -> Reading:
    reading = Reading()
    filled = filled_rows(
        upload,
        reading.problems,
        sheet=SHEET,
        columns=COLUMNS,
        max_unpacked=MAX_UNPACKED_BYTES,
        too_much=_("%(name)s holds far more data than an account spreadsheet can."),
        max_rows=MAX_ROWS,
        too_many=_("The file holds more than %(n)d officers. Split it into several files."),
    )
    if filled:
        _check_rows(filled, manager, reading, progress or (lambda done, total: None))
    if reading.problems or reading.errors:
        reading.accounts = []
    elif not reading.accounts:
        reading.problems.append(_("The file holds no officers: fill them in below the header row."))
    return reading


def _check_rows(filled, manager, reading: Reading, progress) -> None:
    directory = Directory(manager)
    directory.preload(codes=[v["region"] for _n, v in filled], usernames=[v["username"] for _n, v in filled])
    roles = role_choices(manager)
    order = {column.field: i for i, column in enumerate(COLUMNS)}
    first_row_of: dict[str, int] = {}
    for done, (number, values) in enumerate(filled, start=1):
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
        progress(done, len(filled))
