"""Reading an uploaded spreadsheet (in the background worker: spreadsheet/importing.py).

read_proposals checks the file as a whole (size, that it is an .xlsx, what it unpacks to, the
header row against COLUMNS), then turns each filled row into the data the web form would receive
and validates it with a ProposalForm; the proposals come back unsaved, all or none, with a
RowError for each problem.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from catalogue.models import folded
from musrenbang.spreadsheets import RowError, filled_rows

from ..forms import ProposalForm
from ..models import Proposal
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


def read_proposals(upload, *, village, plan_year=None, progress=None) -> Reading:
    """Check an uploaded file and every row in it, as the web form for `plan_year` would (its
    catalogue, where the kabupaten keeps one); the proposals come back unsaved, all or none."""
    reading = Reading()
    filled = filled_rows(
        upload,
        reading.problems,
        sheet=SHEET,
        columns=COLUMNS,
        max_unpacked=MAX_UNPACKED_BYTES,
        too_much=_("%(name)s holds far more data than a proposal spreadsheet can."),
        max_rows=MAX_ROWS,
        too_many=_("The file holds more than %(n)d proposals. Split it into several files."),
        text=lambda value: value,  # each column reads its own kind of cell (_form_data)
    )
    if filled:
        _check_rows(filled, village, plan_year, reading, progress or (lambda done, total: None))
    if not reading.problems and not reading.errors:
        if not reading.proposals:
            reading.problems.append(_("The file holds no proposals: fill them in below the header row."))
    else:
        reading.proposals = []
    return reading


def _check_rows(filled, village, plan_year, reading: Reading, progress) -> None:
    lists = choice_lists(village, plan_year)
    if not lists["catalogue_item"].labels:
        plan_year = None  # no catalogue here this year: the form need not look for one on every row
    order = {column.field: i for i, column in enumerate(COLUMNS)}
    for done, (number, values) in enumerate(filled, start=1):
        data, errors = _form_data(values, lists)
        form = ProposalForm(data, village=village, plan_year=plan_year)
        valid = form.is_valid()
        for name, messages in form.errors.items():
            errors.extend((name, message) for message in messages)
        for name, message in sorted(errors, key=lambda error: order.get(error[0], -1)):
            column = BY_FIELD.get(name)
            reading.errors.append(RowError(number, column.header if column else "", message))
        if valid and not errors:
            reading.proposals.append(form.save(commit=False))
        progress(done, len(filled))


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
            # A catalogue item is found however its accents were typed, as the page's search finds it.
            chosen = lists[name].value_of(folded(text) if name == "catalogue_item" else text)
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
