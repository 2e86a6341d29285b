"""An agency's Renja list: what the plan year's Musrenbang took into the plan for it, with the
figures the forums agreed, as a page, an XLSX workbook and a PDF.

The Renja (rencana kerja perangkat daerah) is each agency's work plan; the Musrenbang hands it
the items the forums agreed. An item is on an agency's list when it was taken into the plan
(Status.ACCOMMODATED) and the agency carries it now (Proposal.current_agency, so after a
hand-over it is on the receiving agency's list, not the first one's). Its volume and cost are
those of the highest approved forum that agreed to it (the kabupaten/kota's Musrenbang, or the
province's); the source forum is that forum. The list reads in three queries whatever its length.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch
from openpyxl import Workbook
from openpyxl.styles import Font

from forums.models import AGREED, Decision, Forum, ForumStatus
from proposals.models import Proposal, Status
from proposals.tables import RUPIAH_NUMBER_FORMAT, plain_volume, spreadsheet_safe

HEADER = [
    "No",
    "Program",
    "Kegiatan",
    "Sub Kegiatan",
    "Usulan",
    "Kode Usulan",
    "Kelurahan/Desa",
    "Kecamatan",
    "Volume",
    "Satuan",
    "Pagu Disepakati (Rp)",
    "Usulan Awal (Rp)",
    "Sumber",
]
WIDTHS = [5, 30, 30, 34, 44, 12, 22, 20, 10, 10, 20, 18, 40]


@dataclass(frozen=True)
class RenjaRow:
    proposal: Proposal
    volume: Decimal
    cost: int
    forum: Forum | None


def renja_rows(agency, planning_year) -> list[RenjaRow]:
    agreed = (
        Decision.objects.filter(outcome__in=AGREED, forum__status=ForumStatus.APPROVED)
        .select_related("forum__region", "forum__planning_year", "forum__agency")
        .order_by("-forum__level", "decided_at", "id")  # levels count down: provinsi is 1
    )
    proposals = (
        Proposal.objects.filter(planning_year=planning_year, status=Status.ACCOMMODATED, current_agency=agency)
        .select_related("village", "kecamatan")
        .prefetch_related(Prefetch("decisions", queryset=agreed, to_attr="agreed"))
        .order_by("program", "activity", "sub_activity", "kecamatan__name", "village__name", "id")
    )
    rows = []
    for proposal in proposals:
        last = proposal.agreed[-1] if proposal.agreed else None
        if last is None:  # taken in without a recorded agreement (not through the forums)
            rows.append(RenjaRow(proposal, proposal.volume, proposal.estimated_cost, None))
        else:
            rows.append(RenjaRow(proposal, last.volume, last.cost, last.forum))
    return rows


def counts(agencies, planning_year) -> dict[int, int]:
    """How many items each agency's Renja list holds, in one query."""
    rows = (
        Proposal.objects.filter(planning_year=planning_year, status=Status.ACCOMMODATED, current_agency__in=agencies)
        .values("current_agency")
        .annotate(n=Count("id"))
    )
    return {row["current_agency"]: row["n"] for row in rows}


def workbook(agency, planning_year, rows: list[RenjaRow]) -> bytes:
    """The list as an XLSX sheet; headers in Indonesian whatever the interface language (a shared format)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Renja"
    sheet.append([f"Daftar usulan Musrenbang untuk Renja {agency.name}, RKPD {planning_year.year}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=1):
        p = row.proposal
        sheet.append(
            [
                number,
                *(spreadsheet_safe(text) for text in (p.program, p.activity, p.sub_activity, p.title)),
                p.tracking_code,
                p.village.name,
                p.kecamatan.name,
                plain_volume(row.volume),
                spreadsheet_safe(p.unit),
                row.cost,
                p.estimated_cost,
                str(row.forum) if row.forum else "",
            ]
        )
    total = len(rows) + 3
    sheet.cell(row=total, column=5, value="Jumlah").font = Font(bold=True)
    sheet.cell(row=total, column=11, value=sum(row.cost for row in rows)).font = Font(bold=True)
    sheet.cell(row=total, column=12, value=sum(row.proposal.estimated_cost for row in rows))
    for column in (11, 12):
        for (cell,) in sheet.iter_rows(min_row=3, max_row=total, min_col=column, max_col=column):
            cell.number_format = RUPIAH_NUMBER_FORMAT
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
