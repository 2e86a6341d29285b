"""Tabel T-D.4: a kecamatan Musrenbang's agreed list as the spreadsheet Bappeda works from.

Permendagri 86/2017 names the table "Daftar Urutan Kegiatan Prioritas Kecamatan" (T-D.4): one
row per agreed item, in the order the forum ranked them, under the regional priority it serves.
The table is an official form, so its title and column names are Indonesian whatever the
interface language. Columns, and where each comes from:

- No: the item's place among the agreed items (forums.queries.ranking), 1, 2, 3, ...
- Prioritas Daerah, Sasaran Daerah: the proposal's regional priority and that priority's target
- Program, Sasaran Kegiatan: the proposal's programme and activity target (set by classification)
- Kegiatan Prioritas: the proposal's activity (kegiatan) with its title in brackets, so that two
  items under one activity stay apart; the title alone while it is not classified yet
- Lokasi: the village (desa/kelurahan)
- Volume: the volume and unit the forum agreed (its own change, else what the item arrived with)
- Pagu: the cost the forum agreed, a number in a Rupiah format, so the sheet can sum it
- Perangkat Daerah Penanggungjawab: the agency that would carry the item out now

A total row follows, then the district's indicative ceiling where one is set. Until the forum is
approved the list can still change, and the title says DRAFT.
"""

from __future__ import annotations

import io
from decimal import Decimal

import tablib
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from proposals.tables import RUPIAH_NUMBER_FORMAT, XLSX_CONTENT_TYPE, plain_volume, spreadsheet_safe
from regions.models import Level

from . import queries
from .models import AGREED, Forum, ForumKind

HEADER = [
    "No",
    "Prioritas Daerah",
    "Sasaran Daerah",
    "Program",
    "Kegiatan Prioritas",
    "Sasaran Kegiatan",
    "Lokasi",
    "Volume",
    "Pagu",
    "Perangkat Daerah Penanggungjawab",
]
WIDTHS = [5, 28, 32, 30, 40, 30, 22, 14, 18, 34]
# The title and a blank line sit above the header.
HEADER_ROW = 3


def applies_to(forum: Forum) -> bool:
    """T-D.4 is the table of a kecamatan's Musrenbang, not of any other forum."""
    return forum.kind == ForumKind.MUSRENBANG and forum.level == Level.KECAMATAN


def title(forum: Forum) -> str:
    text = (
        f"Tabel T-D.4 Daftar Urutan Kegiatan Prioritas Kecamatan {forum.region.name} Tahun {forum.planning_year.year}"
    )
    return text if forum.is_approved else f"DRAFT {text}"


def filename(forum: Forum) -> str:
    draft = "" if forum.is_approved else "-draft"
    return f"tabel-t-d4-kecamatan-{slugify(forum.region.name)}-{forum.planning_year.year}{draft}.xlsx"


def plain_number(value: Decimal) -> str:
    """600.00 -> "600", 12.50 -> "12,5": a volume as an Indonesian reader writes it."""
    text = f"{value.normalize():f}" if value != value.to_integral_value() else f"{value.to_integral_value():f}"
    return text.replace(".", ",")


def activity_cell(proposal) -> str:
    return f"{proposal.activity} ({proposal.title})" if proposal.activity else proposal.title


def rows(forum: Forum) -> tuple[list[list], int]:
    """The agreed items as table rows in rank order, and their total cost."""
    decisions = queries.decisions_of(forum).select_related("proposal__regional_priority")
    ranking = queries.ranking(forum, decisions)
    table = []
    for row in ranking.rows:
        decision = row.decision
        if decision.outcome not in AGREED:
            continue
        proposal = decision.proposal
        priority = proposal.regional_priority
        agency = proposal.current_agency
        table.append(
            [
                row.position,
                priority.name if priority else "",
                priority.target if priority else "",
                proposal.program,
                activity_cell(proposal),
                proposal.activity_target,
                proposal.village.display_name,
                f"{plain_number(decision.volume)} {proposal.unit}",
                decision.cost,
                agency.name if agency else "",
            ]
        )
    return table, ranking.agreed_total


def workbook(forum: Forum) -> bytes:
    """The T-D.4 workbook of a kecamatan forum, as XLSX bytes."""
    body, total = rows(forum)
    book = Workbook()
    sheet = book.active
    sheet.title = "T-D.4"
    bold = Font(bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    sheet.cell(row=1, column=1, value=title(forum)).font = Font(bold=True, size=12)
    for column, name in enumerate(HEADER, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=name)
        cell.font, cell.border = bold, box
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for offset, values in enumerate(body, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=column, value=spreadsheet_safe(value))
            cell.border, cell.alignment = box, wrap
            if column == HEADER.index("Pagu") + 1:
                cell.number_format = RUPIAH_NUMBER_FORMAT
    total_row = HEADER_ROW + len(body) + 1
    sheet.cell(row=total_row, column=1, value="Jumlah").font = bold
    sheet.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=HEADER.index("Pagu"))
    total_cell = sheet.cell(row=total_row, column=HEADER.index("Pagu") + 1, value=total)
    total_cell.font, total_cell.number_format = bold, RUPIAH_NUMBER_FORMAT
    for column in range(1, len(HEADER) + 1):
        sheet.cell(row=total_row, column=column).border = box
    ceiling = queries.ceiling_for(forum)
    if ceiling is not None:
        sheet.cell(row=total_row + 1, column=1, value="Pagu indikatif kewilayahan")
        sheet.merge_cells(
            start_row=total_row + 1, start_column=1, end_row=total_row + 1, end_column=HEADER.index("Pagu")
        )
        sheet.cell(
            row=total_row + 1, column=HEADER.index("Pagu") + 1, value=ceiling.amount
        ).number_format = RUPIAH_NUMBER_FORMAT

    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the ranking page's list as CSV or XLSX ---------------------------------------------------
#
# Unlike T-D.4 this is the interface's own list, not an official form: every item of any forum,
# agreed or not, in the order the ranking page shows, with headers in the reader's language.

RANKING_FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


def ranking_dataset(forum: Forum) -> tablib.Dataset:
    """The forum's items as the ranking page lists them, one row each, in a fixed number of queries.

    Position counts the agreed items only (empty for the rest), as the cut line does. Cost is the
    one the forum works with, a whole number of Rupiah, so that a spreadsheet can sum it.
    """
    ranking = queries.ranking(forum, queries.decisions_of(forum))
    dataset = tablib.Dataset(
        headers=[
            _("No."),
            _("Tracking code"),
            _("Title"),
            _("Channel"),
            _("Village"),
            _("Score"),
            _("Volume"),
            _("Unit"),
            _("Catalogue item"),
            _("Unit price"),
            _("Cost"),
            _("Decision"),
            _("Reason"),
            _("Agency"),
            _("Below the cut line"),
        ],
        title=_("Ranking"),
    )
    for row in ranking.rows:
        decision, proposal = row.decision, row.decision.proposal
        values = [
            row.position,
            proposal.tracking_code or "",
            proposal.title,
            proposal.get_channel_display(),  # Musrenbang or Pokir DPRD
            proposal.village.display_name,
            plain_volume(decision.score) if decision.score is not None else None,
            plain_volume(decision.volume),
            proposal.unit,
            proposal.catalogue_name,  # as filed: a price changed later is not this item's
            proposal.catalogue_unit_price,
            int(decision.cost),
            decision.get_outcome_display() if decision.outcome else _("Waiting"),
            decision.reason,
            proposal.current_agency.name if proposal.current_agency else "",
            _("Yes") if row.below_line else _("No"),
        ]
        dataset.append([spreadsheet_safe(value) for value in values])
    return dataset


def ranking_file(forum: Forum, fmt: str) -> str | bytes:
    """The ranking as a CSV text or XLSX bytes; fmt is a key of RANKING_FORMATS."""
    dataset = ranking_dataset(forum)
    if fmt == "csv":
        # The byte-order mark makes Excel read the file as UTF-8 (units such as m²), as in the SIPD CSV.
        return "\ufeff" + dataset.export("csv")
    return dataset.export("xlsx")


def ranking_filename(forum: Forum, fmt: str) -> str:
    return f"peringkat-{forum.pk}-{forum.planning_year.year}.{fmt}"
