"""Proposals entered on paper, typed into a spreadsheet and imported in one go.

COLUMNS is the one description of the file: the template is written from it, the reader checks
the header against it and maps each cell back to a ProposalForm field, and the tests build their
workbooks from it. Every row is validated by a ProposalForm, so a row is refused exactly when
the web form would refuse the same values; the reader only turns cells into what the form
expects (drop-down labels into choice values, Ya/Tidak into a ticked box).

The headers are Indonesian whatever the page's language: the file is a shared format, and a
template downloaded in English must still import in Indonesian. The instructions sheet and the
error messages follow the user's language.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .forms import ProposalForm
from .models import Proposal, ProposerType, Sector, WorkKind
from .tables import XLSX_CONTENT_TYPE

SHEET = "Usulan"
GUIDE_SHEET = "Petunjuk"
LISTS_SHEET = "Daftar"
# A village's yearly intake is a few dozen items; a larger file is almost surely a mistake
# (a whole kecamatan pasted in) and would keep one request busy for long.
MAX_ROWS = 500
# An .xlsx is a zip: a small upload may unpack to gigabytes. A 500-row sheet unpacks to well
# under a megabyte, so this leaves room for formatting while refusing a zip bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

TEXT, INTEGER, DECIMAL, RUPIAH, CHOICE, FLAG = "text", "integer", "decimal", "rupiah", "choice", "flag"

YES, NO = "Ya", "Tidak"
# What people type for a ticked or an empty box besides Ya and Tidak.
_TRUE = {"ya", "y", "yes", "true", "1", "v", "x", "✓", "✔"}
_FALSE = {"tidak", "t", "no", "n", "false", "0", "-", ""}


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str
    meaning: str
    example: str = ""
    width: int = 16


COLUMNS: list[Column] = [
    Column(
        "title",
        "Judul usulan",
        TEXT,
        gettext_lazy("A short name for the proposed work."),
        "Rabat beton jalan Dusun Sukamaju",
        34,
    ),
    Column(
        "problem",
        "Permasalahan",
        TEXT,
        gettext_lazy("The problem the work would solve, as residents describe it."),
        "Jalan tanah sepanjang 300 m licin dan berlubang saat hujan.",
        40,
    ),
    Column(
        "proposed_work",
        "Usulan kegiatan",
        TEXT,
        gettext_lazy("What should be done: the work or activity proposed."),
        "Rabat beton lebar 3 m, tebal 15 cm.",
        40,
    ),
    Column("proposer_type", "Jenis pengusul", CHOICE, gettext_lazy("Who proposes it."), "RT (rukun tetangga)", 26),
    Column(
        "proposer_name",
        "Nama pengusul",
        TEXT,
        gettext_lazy("The person, RT/RW or institution proposing it."),
        "Ketua RT 03 Sukamaju",
        24,
    ),
    Column(
        "proposer_contact",
        "Kontak pengusul",
        TEXT,
        gettext_lazy("A phone number or address to reach the proposer."),
        "0812-3456-7890",
        18,
    ),
    Column(
        "sector",
        "Bidang urusan",
        CHOICE,
        gettext_lazy("The government affairs field (bidang urusan) the work belongs to."),
        "1.03 Pekerjaan Umum dan Penataan Ruang",
        34,
    ),
    Column(
        "work_kind",
        "Jenis kegiatan",
        CHOICE,
        gettext_lazy("Physical work (construction) or non-physical work (training, services)."),
        "Fisik",
        14,
    ),
    Column(
        "target_agency",
        "Perangkat daerah tujuan",
        CHOICE,
        gettext_lazy("The regional agency (OPD) that would carry the work out; leave it empty if not known yet."),
        "",
        34,
    ),
    Column("rt", "RT", TEXT, gettext_lazy("The RT where the work is located."), "003", 7),
    Column("rw", "RW", TEXT, gettext_lazy("The RW where the work is located."), "001", 7),
    Column(
        "address",
        "Alamat/lokasi",
        TEXT,
        gettext_lazy("Where the work is: hamlet, street, a landmark."),
        "Dusun Sukamaju, dekat masjid",
        30,
    ),
    Column(
        "latitude",
        "Lintang",
        DECIMAL,
        gettext_lazy(
            "Latitude of the location in decimal degrees, negative south of the equator. "
            "Give both coordinates or neither."
        ),
        "-4.912345",
        12,
    ),
    Column(
        "longitude",
        "Bujur",
        DECIMAL,
        gettext_lazy("Longitude of the location in decimal degrees. Give both coordinates or neither."),
        "105.123456",
        12,
    ),
    Column("volume", "Volume", DECIMAL, gettext_lazy("How much of the unit: more than zero."), "300", 10),
    Column("unit", "Satuan", TEXT, gettext_lazy("The unit of the volume, e.g. meter, unit, paket."), "meter", 10),
    Column("estimated_cost", "Perkiraan biaya (Rp)", RUPIAH, gettext_lazy("The estimated cost."), "150000000", 18),
    Column("beneficiaries", "Penerima manfaat", TEXT, gettext_lazy("Who benefits."), "Warga Dusun Sukamaju", 26),
    Column(
        "beneficiary_count",
        "Jumlah penerima manfaat",
        INTEGER,
        gettext_lazy("How many people benefit."),
        "240",
        12,
    ),
    Column("land_status_clear", "Status lahan jelas", FLAG, gettext_lazy("Is the status of the land clear?"), YES, 12),
    Column("has_certificate", "Sertifikat lahan ada", FLAG, gettext_lazy("Is there a land certificate?"), NO, 12),
    Column(
        "has_technical_details",
        "Detail teknis ada",
        FLAG,
        gettext_lazy("Are technical details (drawings, specifications) available?"),
        NO,
        12,
    ),
]
BY_FIELD = {column.field: column for column in COLUMNS}


def _key(text) -> str:
    """How a header or a choice is compared: case, spacing and a trailing '*' do not matter."""
    return re.sub(r"\s+", " ", str(text)).strip().rstrip("*").strip().casefold()


# ---------------------------------------------------------------------------------------------
# The drop-down lists
# ---------------------------------------------------------------------------------------------


@dataclass
class Choices:
    """One drop-down: the labels the template offers, and every spelling the reader accepts."""

    labels: list[str] = field(default_factory=list)
    accepted: dict[str, object] = field(default_factory=dict)

    def add(self, label: str, value, *aliases: str) -> None:
        self.labels.append(label)
        self._accept(label, value)
        for alias in aliases:
            self._accept(alias, value)

    def _accept(self, text: str, value) -> None:
        key = _key(text)
        if not key:
            return
        # A spelling shared by two choices (two agencies named alike) points at neither.
        if self.accepted.get(key, value) != value:
            self.accepted[key] = None
        else:
            self.accepted[key] = value

    def value_of(self, text: str):
        return self.accepted.get(_key(text))


def _text_choices(enum) -> Choices:
    choices = Choices()
    for value in enum.values:
        labels = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                labels.append(str(enum(value).label))
        # The drop-down shows the Indonesian label: the file is Indonesian whatever the page says.
        with translation.override("id"):
            shown = str(enum(value).label)
        choices.add(shown, value, value, *labels)
    return choices


def choice_lists(village) -> dict[str, Choices]:
    """field -> its drop-down, for one village: the agencies are those the web form offers it."""
    lists = {"proposer_type": _text_choices(ProposerType), "work_kind": _text_choices(WorkKind)}
    sectors = Choices()
    for sector in Sector.objects.all():
        sectors.add(f"{sector.code} {sector.name}", sector.pk, sector.code, sector.name)
    lists["sector"] = sectors
    agencies = list(ProposalForm(village=village).fields["target_agency"].queryset)
    plain = [f"{agency.code} {agency.name}" for agency in agencies]
    choices = Choices()
    for agency, label in zip(agencies, plain, strict=True):
        if plain.count(label) > 1:  # a kabupaten's and its province's office with one code and name
            label = f"{label} ({agency.region.name})"
        choices.add(label, agency.pk, agency.code, agency.name, agency.short_name)
    lists["target_agency"] = choices
    return lists


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


def template_workbook(*, village) -> bytes:
    """The XLSX a village fills in: the header, drop-downs for choices, a sheet of instructions."""
    lists = choice_lists(village)
    form_fields = ProposalForm(village=village).fields
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    guide = workbook.create_sheet(GUIDE_SHEET)
    daftar = workbook.create_sheet(LISTS_SHEET)

    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    sheet.append([column.header for column in COLUMNS])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
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
    sources = [(column.header, lists[column.field].labels, column.field) for column in COLUMNS if column.kind == CHOICE]
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
    for index, column in enumerate(COLUMNS, start=1):
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

    _write_guide(guide, village=village, lists=lists, form_fields=form_fields, list_columns=list_columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_guide(guide, *, village, lists, form_fields, list_columns) -> None:
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
    for column in COLUMNS:
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


# ---------------------------------------------------------------------------------------------
# Reading an uploaded file
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it
    column: str  # the header, or "" for the row as a whole
    message: str


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
        rows = sheet.iter_rows(values_only=True)
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
    name = upload.name
    if not upload.size:
        reading.problems.append(_("%(name)s is empty.") % {"name": name})
        return None
    if upload.size > settings.MAX_DOCUMENT_BYTES:
        reading.problems.append(
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
        reading.problems.append(not_xlsx)
        return None
    if unpacked > MAX_UNPACKED_BYTES:
        reading.problems.append(_("%(name)s holds far more data than a proposal spreadsheet can.") % {"name": name})
        return None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # A zip that is not a workbook (an .ods, a .docx, a damaged file) makes openpyxl raise
        # almost anything (KeyError, InvalidFileException, XML errors): all mean "not an xlsx".
        reading.problems.append(not_xlsx)
        return None


def _header(cells, sheet_title: str, reading: Reading) -> dict[str, int] | None:
    """field -> position in the row, or None after naming what is wrong with the header row."""
    names = [_key(cell) if cell is not None else "" for cell in cells or ()]
    if not any(names):
        reading.problems.append(
            _("The sheet “%(sheet)s” has no header row. Start from the template.") % {"sheet": sheet_title}
        )
        return None
    known = {_key(column.header): column for column in COLUMNS}
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
    missing = [column.header for column in COLUMNS if column.field not in positions]
    for message, headers in (
        (_("Columns missing from the header: %(columns)s."), missing),
        (_("Unknown columns in the header: %(columns)s."), unknown),
        (_("Columns that appear twice in the header: %(columns)s."), twice),
    ):
        if headers:
            reading.problems.append(message % {"columns": ", ".join(f"“{h}”" for h in headers)})
    if reading.problems:
        reading.problems.append(_("Download the template again and copy your rows into it."))
        return None
    return positions


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


class ImportForm(forms.Form):
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
            rows = len({error.row for error in reading.errors})
            raise forms.ValidationError(
                ngettext(
                    "%(count)d row has errors, so nothing was imported. Correct it and upload the file again.",
                    "%(count)d rows have errors, so nothing was imported. Correct them and upload the file again.",
                    rows,
                )
                % {"count": rows}
            )
        self.proposals = reading.proposals
        return upload
