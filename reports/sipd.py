"""The proposal list in the layout of the national SIPD usulan export, as XLSX or CSV.

A Bappeda officer pastes this into the budget team's SIPD workbooks, so the columns keep SIPD's
order and names, and the cells are written in Indonesian whatever the interface language. The
rows are those of the list page: its filters, its scope (proposals.access) and its order. It
lives on the read side because it reads every forum's recommendation; reports/apps.py offers it
to the proposal list (proposals.seams.offer_list_export), which serves it at ?_export=sipd-xlsx
and ?_export=sipd-csv.

Column            Where it comes from
---------------   ----------------------------------------------------------------------------
ID Usulan         the public tracking code (empty for a draft, which has none yet); SIPD's own id
                  for a proposal imported from a SIPD export
Tanggal Usul      the day the village submitted it (empty for a draft)
Pengusul          the proposer's name
Profil            the kind of proposer: warga, RT, RW, lembaga, desa/kelurahan
Usulan            the title, a colon, and the proposed work
Masalah           the problem
Alamat            the address, then RT and RW where given
Kabupaten/Kota    the regency or city
Kecamatan         the district
Kelurahan/Desa    the village
OPD Tujuan Awal   the agency the village aimed at
OPD Tujuan Akhir  the agency that would carry it out now (another after a hand-over)
Status            the proposal's status
Catatan           the latest reason any forum wrote down for it
Rekomendasi       the decision of the Musrenbang Desa/Kelurahan, the Musrenbang Kecamatan and
 Kelurahan/Desa,  the Forum Perangkat Daerah (the latest one, after a hand-over): the outcome,
 Kecamatan, OPD   the agreed volume and cost when the forum changed them, and the reason;
                  "Menunggu" while that forum has not decided; empty before it is reached
Volume, Satuan,   the latest agreed figures: those of the last forum that agreed to the item,
 Anggaran         else the village's own volume and estimated cost (Rupiah, a whole number)
Jenis Belanja     the spending type, as classified by a forum from the kecamatan up
Sub Kegiatan      the sub-activity (sub kegiatan), likewise

A proposal imported from a SIPD export (proposals/sipd/) that no forum of ours has decided on
writes Status, Catatan and the three Rekomendasi as SIPD wrote them (its SipdRecord), and its own
volume and cost: export, import and export again give the same rows. The header is
proposals.sipd.layout.SIPD_HEADER, shared with the import.

Text a spreadsheet would run as a formula (= + - @) is written as text (tables.spreadsheet_safe).
The export runs a fixed number of queries: the decisions of all rows come in one prefetch.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from lokal import format_rupiah
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from forums.models import AGREED, Decision, ForumKind, Outcome
from proposals.models import Proposal
from proposals.sipd.layout import SIPD_HEADER, intake_row
from proposals.tables import RUPIAH_NUMBER_FORMAT, XLSX_CONTENT_TYPE, plain_volume, spreadsheet_safe
from regions.models import Level

DATE_FORMAT = "yyyy-mm-dd"
WIDTHS = [12, 12, 24, 16, 48, 40, 28, 24, 18, 20, 30, 30, 16, 36, 36, 36, 36, 10, 10, 16, 22, 32]


def for_sipd(queryset):
    """The list's rows with everything a SIPD row needs, in a fixed number of queries."""
    return queryset.select_related(
        "village", "kecamatan", "kabupaten", "target_agency", "current_agency", "sipd"
    ).prefetch_related(Prefetch("decisions", queryset=Decision.objects.select_related("forum").order_by("id")))


def recommendation(decision: Decision | None, unit: str) -> str:
    """What one forum decided: the outcome, the changed figures, the reason."""
    if decision is None:
        return ""
    if not decision.outcome:
        return _("Waiting")
    text = str(Outcome(decision.outcome).label)
    if decision.outcome == Outcome.ACCEPTED_CHANGED:
        volume = str(plain_volume(decision.adjusted_volume)).replace(".", ",")
        text += f" ({volume} {unit}, {format_rupiah(decision.adjusted_cost)})"
    return f"{text}: {decision.reason}" if decision.reason else text


def sipd_row(proposal: Proposal) -> list:
    """One proposal as a SIPD row; call inside translation.override("id")."""
    row = intake_row(proposal)
    decisions = list(proposal.decisions.all())  # prefetched, in the order the item climbed
    # An imported proposal no forum of ours has decided keeps what SIPD's deliberation said.
    if decisions or getattr(proposal, "sipd", None) is None:
        row.update(_deliberation(proposal, decisions))
    return [row[name] for name in SIPD_HEADER]


def _deliberation(proposal: Proposal, decisions: list[Decision]) -> dict:
    desa = kecamatan = agency = None
    for decision in decisions:
        if decision.forum.kind == ForumKind.AGENCY:
            agency = decision  # after a hand-over, the agency that holds it now
        elif decision.forum.level == Level.DESA:
            desa = decision
        elif decision.forum.level == Level.KECAMATAN:
            kecamatan = decision
    reasons = [d.reason for d in decisions if d.reason]
    agreed = [d for d in decisions if d.outcome in AGREED]
    volume, cost = (agreed[-1].volume, agreed[-1].cost) if agreed else (proposal.volume, proposal.estimated_cost)
    return {
        "Status": proposal.get_status_display(),
        "Catatan": reasons[-1] if reasons else "",
        "Rekomendasi Kelurahan/Desa": recommendation(desa, proposal.unit),
        "Rekomendasi Kecamatan": recommendation(kecamatan, proposal.unit),
        "Rekomendasi OPD": recommendation(agency, proposal.unit),
        "Volume": plain_volume(volume),
        "Anggaran": cost,
    }


def sipd_rows(proposals: Iterable[Proposal]) -> Iterator[list]:
    """The SIPD rows of proposals fetched through for_sipd(), in their order, formula-safe."""
    with translation.override("id"):
        for proposal in proposals:
            yield [spreadsheet_safe(value) for value in sipd_row(proposal)]


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_response(proposals: Iterable[Proposal]) -> HttpResponse:
    # The byte-order mark makes Excel read the file as UTF-8 (units such as m², names with accents).
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(SIPD_HEADER)
    for row in sipd_rows(proposals):
        writer.writerow(
            ["" if value is None else value.isoformat() if isinstance(value, date) else value for value in row]
        )
    return _attachment(response, "usulan-sipd.csv")


def xlsx_response(proposals: Iterable[Proposal]) -> HttpResponse:
    # Write-only: a kabupaten's few thousand rows go straight to the file, not into a cell grid.
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Usulan")
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in SIPD_HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    date_column, cost_column = SIPD_HEADER.index("Tanggal Usul"), SIPD_HEADER.index("Anggaran")
    for row in sipd_rows(proposals):
        cells = [WriteOnlyCell(sheet, value=value) for value in row]
        cells[date_column].number_format = DATE_FORMAT
        cells[cost_column].number_format = RUPIAH_NUMBER_FORMAT
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, "usulan-sipd.xlsx")


# The list page's ?_export= values for the two SIPD files: how to fetch the rows, how to write them.
EXPORTS = {"sipd-xlsx": (for_sipd, xlsx_response), "sipd-csv": (for_sipd, csv_response)}
