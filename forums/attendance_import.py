"""A forum's attendance list typed into a spreadsheet and imported in one go.

COLUMNS is the one description of the file: the template is written from it, and the reader
checks the header against it (musrenbang.spreadsheets) and hands each filled row to the
AttendeeRowForm the attendance page's table uses. The rows come back checked, all or none, with
a RowError (row number as the spreadsheet shows it, the column's header, the message) for each
problem. Headers are Indonesian whatever the page's language: the file is a shared format.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from musrenbang.spreadsheets import RowError, ShownRow, cell_text, filled_rows, key, shown_row
from uploads.readers import Refused, Saved, refusal

from .forms import AttendeeRowForm
from .models import Element, Forum, Gender
from .workflow import WorkflowError, add_attendees

SHEET, GUIDE_SHEET, LISTS_SHEET = "Daftar hadir", "Petunjuk", "Daftar"
# A kabupaten's Musrenbang seats a few hundred; more is almost surely a mistake (or another list).
MAX_ROWS = 500
# An .xlsx is a zip: refuse one that unpacks to far more than 500 rows of text could.
MAX_UNPACKED_BYTES = 10 * 1024 * 1024
YES, NO = "Ya", "Tidak"


@dataclass(frozen=True)
class Column:
    field: str  # the AttendeeRowForm field the cell goes to
    header: str
    required: bool
    meaning: object
    example: str
    width: int


COLUMNS = [
    Column("name", "Nama", True, gettext_lazy("The attendee's full name."), "Siti Aminah", 28),
    Column(
        "element",
        "Unsur",
        True,
        gettext_lazy("The element the attendee represents: one of the list on the sheet “Daftar”."),
        "Kelompok perempuan",
        34,
    ),
    Column("institution", "Instansi/lembaga", False, gettext_lazy("Institution or group, if any."), "PKK", 26),
    Column("gender", "L/P", True, gettext_lazy("L (male) or P (female)."), "P", 6),
    Column(
        "signs",
        "Tanda tangan berita acara",
        False,
        gettext_lazy("Ya when the attendee signs the minutes for the participants; empty or Tidak otherwise."),
        YES,
        14,
    ),
    Column(
        "contact",
        "Alamat atau telepon",
        False,
        gettext_lazy("Kept in the app for the forum's officers; never printed in the berita acara."),
        "0812-3456-7890",
        22,
    ),
]
BY_FIELD = {column.field: column for column in COLUMNS}


def _accepted(choices) -> dict[str, str]:
    """Every spelling of a choice the reader understands: its value, its Indonesian and English label."""
    accepted = {}
    for value, label in choices:
        accepted[key(value)] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                accepted[key(label)] = value
    return accepted


def element_labels() -> list[str]:
    with translation.override("id"):
        return [str(e.label) for e in Element]


GENDERS = {**_accepted(Gender.choices), "laki-laki": Gender.MALE, "laki laki": Gender.MALE, "pria": Gender.MALE}
SIGNS = {"ya": True, "yes": True, "y": True, "1": True, "v": True, "x": True, "tidak": False, "no": False, "0": False}


@dataclass
class Reading:
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    errors: list[RowError] = field(default_factory=list)
    shown: list[ShownRow] = field(default_factory=list)  # the rows with errors, as typed
    rows: list[dict] = field(default_factory=list)  # for workflow.add_attendees, only when all is well


def read_attendees(upload, *, progress=None) -> Reading:
    reading = Reading()
    filled = filled_rows(
        upload,
        reading.problems,
        sheet=SHEET,
        columns=COLUMNS,
        max_unpacked=MAX_UNPACKED_BYTES,
        too_much=_("%(name)s holds far more data than an attendance list can."),
        max_rows=MAX_ROWS,
        too_many=_("The file holds more than %(n)d attendees. Split it into several files."),
        text=_text,
    )
    _check_rows(filled, reading, progress or (lambda done, total: None))
    if reading.problems or reading.errors:
        reading.rows = []
    elif not reading.rows:
        reading.problems.append(_("The file holds no attendees: fill them in below the header row."))
    return reading


def _check_rows(filled, reading: Reading, progress) -> None:
    elements = _accepted(Element.choices)
    order = {column.field: i for i, column in enumerate(COLUMNS)}
    for done, (number, values) in enumerate(filled, start=1):
        data = dict(values)
        # An unknown element or gender goes to the form as typed, which refuses it with its own message.
        data["element"] = elements.get(key(values["element"]), values["element"])
        data["gender"] = GENDERS.get(key(values["gender"]), values["gender"])
        errors = []
        signs = SIGNS.get(key(values["signs"])) if values["signs"] else False
        if signs is None:
            errors.append(("signs", _("Write %(yes)s or %(no)s, or leave it empty.") % {"yes": YES, "no": NO}))
        data["signs"] = "on" if signs else ""
        form = AttendeeRowForm(data)
        valid = form.is_valid()
        errors += [(name, message) for name, messages in form.errors.items() for message in messages]
        errors.sort(key=lambda error: order.get(error[0], -1))
        for name, message in errors:
            column = BY_FIELD.get(name)
            reading.errors.append(RowError(number, column.header if column else "", message))
        if errors:
            reading.shown.append(shown_row(number, values, errors, COLUMNS))
        elif valid:
            reading.rows.append(form.row())
        progress(done, len(filled))


def _text(value) -> str:
    if isinstance(value, bool):  # a cell typed TRUE/FALSE in the "signs" column
        return YES if value else NO
    return cell_text(value)


KIND = "attendance"


def import_in_worker(upload, file, progress):
    """The list as the background worker imports it (uploads.readers says how): every row checked
    with progress on the upload's page, then everyone added through the same workflow verb, which
    refuses an approved forum or a sender who is no longer its officer."""
    reading = read_attendees(file, progress=progress)
    if refused := refusal(reading, COLUMNS):
        return refused

    def save():
        forum = Forum.objects.get(pk=upload.params["forum"])
        try:
            added = add_attendees(actor=upload.user, forum=forum, rows=reading.rows)
        except WorkflowError as error:
            return Refused(problems=[str(error)])
        message = ngettext("%(count)d attendee was added.", "%(count)d attendees were added.", len(added)) % {
            "count": len(added)
        }
        return Saved(message, reverse("forums:attendance", args=[forum.pk]), _("Back to the attendance list"))

    return save


def template_workbook() -> bytes:
    """The empty list to fill in: the header row, drop-downs for the element, L/P and signing, the
    elements on a sheet of their own, and instructions in the user's language."""
    labels = element_labels()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    guide = workbook.create_sheet(GUIDE_SHEET)
    bold = Font(bold=True)
    sheet.append([column.header for column in COLUMNS])
    sheet.freeze_panes = "A2"
    drop_downs = {
        "element": f"{quote_sheetname(LISTS_SHEET)}!$A$2:$A${len(labels) + 1}",
        "gender": '"L,P"',
        "signs": f'"{YES},{NO}"',
    }
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = "@"  # phone numbers keep their leading zero
        if column.field in drop_downs:
            validation = DataValidation(
                type="list", formula1=drop_downs[column.field], allow_blank=True, showErrorMessage=True
            )
            validation.error, validation.errorTitle = _("Choose a value from the list."), column.header
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)
    lists.append(["Unsur"])
    lists["A1"].font = bold
    for label in labels:
        lists.append([label])
    lists.column_dimensions["A"].width = 50
    lists.protection.sheet = True  # the drop-down reads these cells
    _write_guide(guide)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_guide(guide) -> None:
    guide.append([_("How to fill in the attendance list")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in (
        _("One attendee per row on the sheet “%(sheet)s”, from row 2 down. Do not change the header row.")
        % {"sheet": SHEET},
        _("Yellow headers are required. Empty rows are skipped. One file holds at most %(n)d attendees.")
        % {"n": MAX_ROWS},
        _(
            "The file is imported only when every row is valid. Otherwise the page lists each error with its "
            "row and column, and nothing is saved."
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
    for letter, width in zip("ABCD", (26, 10, 20, 80), strict=True):
        guide.column_dimensions[letter].width = width
