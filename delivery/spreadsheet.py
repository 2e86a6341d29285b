"""Progress kept in a spreadsheet: an agency downloads its items as XLSX, brings them up to date,
and uploads the file; the background worker files one report for each row that changed.

COLUMNS is the one description of the file: the download writes it, the reader checks the
header against it. Each changed row goes through the ReportForm the item's page uses, so a row
is refused exactly when the page would refuse it; nothing is saved unless every row is valid
(uploads/ carries the file to the worker and shows its outcome). Headers and stage names are
Indonesian whatever the page's language: the file is a shared format.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from musrenbang.errors import WorkflowError
from musrenbang.spreadsheets import RowError, ShownRow, filled_rows, key, refused_row
from uploads.readers import Refused, Saved, refusal

from . import access, workflow
from .forms import ReportForm
from .models import FACTS, Delivery, Stage

KIND = "delivery"
SHEET = "Realisasi"
# A kabupaten's plan takes in a few hundred to a few thousand items a year.
MAX_ROWS = 3000
MAX_UNPACKED_BYTES = 30 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    writable: bool = True
    width: int = 16


COLUMNS = [
    Column("code", "Kode pelacakan", False, 12),
    Column("title", "Judul usulan", False, 40),
    Column("village", "Desa/kelurahan", False, 20),
    Column("agency", "Perangkat daerah", False, 22),
    Column("agreed_cost", "Biaya disepakati (Rp)", False, 18),
    Column("stage", "Tahap", width=18),
    Column("progress", "Kemajuan (%)", width=12),
    Column("budget_year", "Tahun APBD", width=11),
    Column("budget_amount", "Anggaran (Rp)", width=18),
    Column("sub_activity_code", "Kode sub kegiatan", width=18),
    Column("contract_number", "Nomor kontrak", width=20),
    Column("contract_date", "Tanggal kontrak", width=14),
    Column("contract_value", "Nilai kontrak (Rp)", width=18),
    Column("due_on", "Rencana selesai", width=14),
    Column("completed_on", "Tanggal selesai", width=14),
    Column("final_cost", "Biaya akhir (Rp)", width=18),
    Column("output_volume", "Volume keluaran", width=14),
    Column("reason", "Alasan tidak dilaksanakan", width=30),
    Column("as_of", "Per tanggal", width=14),
    Column("note", "Catatan laporan", width=36),
]


def _stage_labels() -> dict[str, str]:
    """Stage -> its name in the file (Indonesian)."""
    with translation.override("id"):
        return {stage.value: str(stage.label) for stage in Stage}


def workbook(items) -> bytes:
    """The items as the file an agency keeps: one row each, its delivery as it stands."""
    labels = _stage_labels()
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([column.header for column in COLUMNS])
    sheet.freeze_panes = "C2"
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        if column.writable:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    rows = 0
    for item in items:
        delivery = getattr(item, "delivery", None)
        facts = {name: getattr(delivery, name) if delivery else None for name in FACTS}
        facts["stage"] = labels[delivery.stage] if delivery else None
        sheet.append(
            [item.tracking_code, item.title, item.village.name, str(item.current_agency or ""), item.agreed_cost]
            + [facts[column.field] for column in COLUMNS[5:-2]]
            + [None, None]
        )
        rows += 1
    stages = DataValidation(type="list", formula1='"' + ",".join(labels.values()) + '"', allow_blank=True)
    sheet.add_data_validation(stages)
    stages.add(f"F2:F{max(rows, 1) + 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Reading:
    problems: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    shown: list[ShownRow] = field(default_factory=list)
    reports: list[tuple] = field(default_factory=list)  # (proposal, valid ReportForm), changed rows only


def read_reports(upload, *, actor, progress=None) -> Reading:
    reading = Reading()
    filled = filled_rows(
        upload,
        reading.problems,
        sheet=SHEET,
        columns=COLUMNS,
        max_unpacked=MAX_UNPACKED_BYTES,
        too_much=_("%(name)s holds far more data than a delivery spreadsheet can."),
        max_rows=MAX_ROWS,
        too_many=_("The file holds more than %(n)d items. Split it into several files."),
    )
    if not reading.problems:
        _check(filled, actor, reading, progress or (lambda done, total: None))
    if not reading.problems and not reading.errors and not reading.reports:
        reading.problems.append(_("No row of the file changes anything: nothing to report."))
    return reading


def _check(filled, actor, reading: Reading, progress) -> None:
    codes = {values["code"].upper() for _n, values in filled}
    items = {item.tracking_code: item for item in access.items_for(actor).filter(tracking_code__in=codes)}
    stages = (
        {key(label): value for value, label in _stage_labels().items()}
        | {key(label): value for value, label in Stage.choices}
        | {value: value for value in Stage.values}
    )
    seen: dict[str, int] = {}
    for done, (number, values) in enumerate(filled, start=1):
        progress(done, len(filled))
        errors = _row(number, values, items, stages, seen, actor, reading)
        if errors:
            found, shown = refused_row(number, values, errors, COLUMNS)
            reading.errors += found
            reading.shown.append(shown)


def _row(number, values, items, stages, seen, actor, reading) -> list[tuple[str, str]]:
    code = values["code"].upper()
    item = items.get(code)
    if item is None:
        return [("code", _("No item taken into the plan that you may see has this tracking code."))]
    if code in seen:
        return [("code", _("This item is also on row %(row)d of this file.") % {"row": seen[code]})]
    seen[code] = number
    if not access.can_report(actor, item):
        return [("code", _("You may not report on this item."))]
    delivery = getattr(item, "delivery", None)
    if not values["stage"] and delivery is None:
        return []  # never reported, and nothing typed: a row left as it was downloaded
    data = {name: values[name] for name in FACTS if name != "stage"}
    data["stage"] = stages.get(key(values["stage"]), values["stage"])
    # A blank progress cell keeps the progress as it stands (none yet: 0), as the item's page does.
    data["progress"] = values["progress"] or str(delivery.progress if delivery else 0)
    data["as_of"] = values["as_of"] or timezone.localdate().isoformat()
    data["note"] = values["note"]
    form = ReportForm(data, instance=delivery or Delivery(), proposal=item)
    if delivery is not None and not values["note"] and not (set(form.changed_data) & set(FACTS)):
        return []  # as downloaded
    if form.is_valid():
        reading.reports.append((item, form))
        return []
    return [(name, message) for name, messages in form.errors.items() for message in messages]


def import_in_worker(upload, file, progress):
    """The file as the background worker imports it (uploads.readers says how)."""
    reading = read_reports(file, actor=upload.user, progress=progress)
    if refused := refusal(reading, COLUMNS):
        return refused

    def save():
        try:
            with transaction.atomic():
                for item, form in reading.reports:
                    workflow.file_report(
                        actor=upload.user,
                        proposal=item,
                        facts=form.save(commit=False),
                        as_of=form.cleaned_data["as_of"],
                        note=form.cleaned_data["note"],
                    )
        except WorkflowError as error:
            return Refused(problems=[str(error)])
        count = len(reading.reports)
        message = ngettext(
            "%(count)d report from %(name)s was saved.", "%(count)d reports from %(name)s were saved.", count
        ) % {"count": count, "name": upload.filename}
        return Saved(message, reverse("delivery:list"), _("Back to the delivery of the plan"))

    return save
