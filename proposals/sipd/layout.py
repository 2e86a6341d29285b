"""The columns of the national SIPD usulan export, and a proposal as intake knows it in them.

One header for both directions: reports/sipd.py writes the proposal list in it (with each forum's
recommendation, which only the read side can see), and the SIPD import (proposals/sipd/reading.py)
checks an uploaded file's header against it and reads its rows back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.timezone import localtime

from ..models import Proposal
from ..tables import plain_volume

SIPD_HEADER = [
    "ID Usulan",
    "Tanggal Usul",
    "Pengusul",
    "Profil",
    "Usulan",
    "Masalah",
    "Alamat",
    "Kabupaten/Kota",
    "Kecamatan",
    "Kelurahan/Desa",
    "OPD Tujuan Awal",
    "OPD Tujuan Akhir",
    "Status",
    "Catatan",
    "Rekomendasi Kelurahan/Desa",
    "Rekomendasi Kecamatan",
    "Rekomendasi OPD",
    "Volume",
    "Satuan",
    "Anggaran",
    "Jenis Belanja",
    "Sub Kegiatan",
]

# The columns a forum's decisions fill in: the read side writes them from the forums, or, for an
# imported proposal no forum of ours has decided, from its SIPD record.
DELIBERATION = ["Status", "Catatan", "Rekomendasi Kelurahan/Desa", "Rekomendasi Kecamatan", "Rekomendasi OPD"]


@dataclass(frozen=True)
class Column:
    """A column as musrenbang.spreadsheets reads a header and shows a row: here its header is its name."""

    field: str
    header: str


COLUMNS = [Column(header, header) for header in SIPD_HEADER]

# "Dusun III, RT 005 / RW 002": the address, then RT and RW where given ("-" for the one missing).
ADDRESS_RE = re.compile(r"^(?:(?P<address>.*?),\s*)?RT (?P<rt>\S+) / RW (?P<rw>\S+)$", re.DOTALL)


def address_text(proposal: Proposal) -> str:
    parts = [proposal.address] if proposal.address else []
    if proposal.rt or proposal.rw:
        parts.append(f"RT {proposal.rt or '-'} / RW {proposal.rw or '-'}")
    return ", ".join(parts)


def split_address(text: str) -> tuple[str, str, str]:
    """(address, RT, RW) from the text address_text() writes; other text is all address."""
    match = ADDRESS_RE.match(text)
    if not match:
        return text, "", ""
    rt, rw = (match[name] if match[name] != "-" else "" for name in ("rt", "rw"))
    return match["address"] or "", rt, rw


def split_usulan(text: str) -> tuple[str, str]:
    """(title, proposed work) from "title: proposed work"; without a colon, all title."""
    title, colon, work = text.partition(":")
    return (title.strip(), work.strip()) if colon else (text.strip(), "")


def intake_row(proposal: Proposal) -> dict[str, object]:
    """A proposal's SIPD row as intake knows it, by header. The deliberation's columns come from
    its SIPD record when it was imported, else they are its status and nothing decided yet; the
    read side writes the forums' decisions over them (reports/sipd.py). Reads the proposal's
    regions, agencies and `sipd` record: fetch them with it (select_related)."""
    record = getattr(proposal, "sipd", None)
    usulan = f"{proposal.title}: {proposal.proposed_work}" if proposal.proposed_work else proposal.title
    return {
        "ID Usulan": record.sipd_id if record else proposal.tracking_code or "",
        "Tanggal Usul": localtime(proposal.submitted_at).date() if proposal.submitted_at else None,
        "Pengusul": proposal.proposer_name,
        "Profil": proposal.get_proposer_type_display(),
        "Usulan": usulan,
        "Masalah": proposal.problem,
        "Alamat": address_text(proposal),
        "Kabupaten/Kota": proposal.kabupaten.name,
        "Kecamatan": proposal.kecamatan.name,
        "Kelurahan/Desa": proposal.village.name,
        "OPD Tujuan Awal": proposal.target_agency.name if proposal.target_agency else "",
        "OPD Tujuan Akhir": proposal.current_agency.name if proposal.current_agency else "",
        "Status": record.status if record else proposal.get_status_display(),
        "Catatan": record.note if record else "",
        "Rekomendasi Kelurahan/Desa": record.village_recommendation if record else "",
        "Rekomendasi Kecamatan": record.kecamatan_recommendation if record else "",
        "Rekomendasi OPD": record.agency_recommendation if record else "",
        "Volume": plain_volume(proposal.volume),
        "Satuan": proposal.unit,
        "Anggaran": proposal.estimated_cost,
        "Jenis Belanja": proposal.get_spending_type_display() if proposal.spending_type else "",
        "Sub Kegiatan": proposal.sub_activity,
    }
