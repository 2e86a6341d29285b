"""A catalogue in a spreadsheet: a Bappeda downloads its items of a year as XLSX, and uploads a
file of items that the background worker checks and saves, all or nothing.

COLUMNS is the one description of the file: the download writes it, the reader checks the header
against it. A row is matched to an item of the same kabupaten and year by its name (case and
accents aside), the key villages and officers know an item by and the one the catalogue keeps
unique; standard price lists (SSH, HSPK) number their entries differently in every kabupaten, so
no code would be shared. A matched item is updated, any other row becomes a new item. Each row
is checked by the form of the item's page; the errors come by row and column. Headers, sources
and yes/no are Indonesian whatever the page's language: the file is a shared format.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from musrenbang.errors import WorkflowError
from musrenbang.spreadsheets import RowError, ShownRow, filled_rows, refused_row
from planning.models import PlanningYear, Sector
from regions.models import Region
from uploads.readers import Refused, Saved, refusal

from . import workflow
from .forms import CatalogueItemForm, agencies_of
from .models import CatalogueItem, PriceSource, folded

KIND = "catalogue"
SHEET = "Kamus usulan"
MAX_ROWS = 2000  # a kabupaten's catalogue holds some hundreds of items
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
YES, NO = "Ya", "Tidak"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    width: int = 16


COLUMNS = [
    Column("name", "Nama usulan", 36),
    Column("definition", "Definisi operasional", 44),
    Column("unit", "Satuan", 10),
    Column("unit_price", "Harga satuan (Rp)", 16),
    Column("price_source", "Sumber harga", 12),
    Column("agency", "Perangkat daerah", 30),
    Column("sector", "Bidang urusan", 34),
    Column("physical", "Fisik", 8),
    Column("sub_activity_code", "Kode sub kegiatan", 18),
    Column("active", "Aktif", 8),
]


def workbook(items) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([column.header for column in COLUMNS])
    sheet.freeze_panes = "B2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for item in items:
        sheet.append(
            [
                item.name,
                item.definition,
                item.unit,
                item.unit_price,
                item.price_source.upper(),
                item.agency.name,
                f"{item.sector.code} {item.sector.name}",
                YES if item.physical else NO,
                item.sub_activity_code,
                YES if item.active else NO,
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = '"Rp"#,##0'
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Reading:
    problems: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    shown: list[ShownRow] = field(default_factory=list)
    items: list[CatalogueItem] = field(default_factory=list)


def read_items(upload, *, kabupaten, planning_year, progress=None) -> Reading:
    reading = Reading()
    filled = filled_rows(
        upload,
        reading.problems,
        sheet=SHEET,
        columns=COLUMNS,
        max_unpacked=MAX_UNPACKED_BYTES,
        too_much=_("%(name)s holds far more data than a catalogue can."),
        max_rows=MAX_ROWS,
        too_many=_("The file holds more than %(n)d items. Split it into several files."),
    )
    if not reading.problems:
        _check(filled, kabupaten, planning_year, reading, progress or (lambda done, total: None))
    if not reading.problems and not reading.errors and not reading.items:
        reading.problems.append(_("The file holds no item."))
    return reading


def _lookups(kabupaten):
    agencies = {}
    for agency in agencies_of(kabupaten):
        for text in (agency.code, agency.name, agency.short_name):
            if text:
                agencies[folded(text)] = agency.pk
    sectors = {}
    for sector in Sector.objects.all():
        for text in (sector.code, sector.name, f"{sector.code} {sector.name}"):
            sectors[folded(text)] = sector.pk
    sources = {folded(value): value for value in PriceSource.values}
    sources |= {folded(label): value for value, label in PriceSource.choices}
    return agencies, sectors, sources


def _check(filled, kabupaten, planning_year, reading: Reading, progress) -> None:
    agencies, sectors, sources = _lookups(kabupaten)
    existing = {item.search_name: item for item in CatalogueItem.objects.of(kabupaten, planning_year)}
    seen: dict[str, int] = {}
    flags = {folded(YES): "on", folded(NO): "", "": None}
    for done, (number, values) in enumerate(filled, start=1):
        progress(done, len(filled))
        errors: list[tuple[str, str]] = []
        data = dict(values)
        for name, found, message in (
            ("agency", agencies, _("No agency of this regency/city or its province has this name or code.")),
            ("sector", sectors, _("Write the sector as its code, e.g. 1.03, or its name.")),
            ("price_source", sources, _("Write SSH, HSPK or ASB.")),
        ):
            data[name] = found.get(folded(values[name]), "")
            if values[name] and not data[name]:
                errors.append((name, message))
        for name, blank in (("physical", ""), ("active", "on")):
            flag = flags.get(folded(values[name]), "?")
            if flag == "?":
                errors.append((name, _("Write Ya or Tidak.")))
            data[name] = blank if flag in (None, "?") else flag
        key = folded(values["name"])
        if key in seen:
            errors.append(("name", _("This item is also on row %(row)d of this file.") % {"row": seen[key]}))
        seen.setdefault(key, number)
        form = CatalogueItemForm(
            {name: value for name, value in data.items() if value != ""},
            instance=existing.get(key) or CatalogueItem(),
            kabupaten=kabupaten,
            planning_year=planning_year,
        )
        if form.is_valid() and not errors:
            reading.items.append(form.save(commit=False))
            continue
        reported = {name for name, _message in errors}
        errors += [
            (name, message) for name, messages in form.errors.items() if name not in reported for message in messages
        ]
        order = [column.field for column in COLUMNS]
        errors.sort(key=lambda error: order.index(error[0]) if error[0] in order else len(order))
        found, shown = refused_row(number, values, errors, COLUMNS)
        reading.errors += found
        reading.shown.append(shown)


def import_in_worker(upload, file, progress):
    """The file as the background worker imports it (uploads.readers says how)."""
    kabupaten = Region.objects.get(pk=upload.params["kabupaten"])
    planning_year = PlanningYear.objects.get(pk=upload.params["year"])
    reading = read_items(file, kabupaten=kabupaten, planning_year=planning_year, progress=progress)
    if refused := refusal(reading, COLUMNS):
        return refused

    def save():
        try:
            created, changed = workflow.import_items(actor=upload.user, items=reading.items)
        except WorkflowError as error:
            return Refused(problems=[str(error)])
        message = _("%(created)d new items and %(changed)d changed items from %(name)s were saved.") % {
            "created": created,
            "changed": changed,
            "name": upload.filename,
        }
        url = reverse("catalogue:list") + f"?wilayah={kabupaten.code}&tahun={planning_year.year}"
        return Saved(message, url, _("Back to the catalogue"))

    return save
