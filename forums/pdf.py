"""The berita acara (minutes) of a forum as PDF: an official Indonesian document.

render_minutes() is called by the background worker (forums.workflow.minutes.seal), after the
approval has committed; the approval request only numbers the document. The items are read in
one query (decisions_of, without its scores) and one each for their villages, their kecamatan
and the items they were merged into, plus one for the ceiling, whatever their number. Nearly all
the time is WeasyPrint's, and it grows with the number of laid-out lines of text (about 0.6 ms
each on the 2-core server): the layout is plain (paragraphs, flat tables with fixed column
widths) and the item table keeps most cells to one line. forums/pdf_render.py lays the ranked
list out on a second core. scripts/bench_approve.py measures it.
Everything the template prints is prepared here as text; the template only loops.

The document is always rendered in Indonesian, whatever the officer's interface language.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from lokal import format_rupiah, terbilang

from regions.models import Level, Office

from .defaults import forum_names, official_name
from .models import Forum, ForumKind, Gender, Outcome
from .pdf_render import render_joined
from .queries import decisions_of, late_entry_reason, ranking

TEMPLATE = "forums/berita_acara.html"
PAGES_TEMPLATE = "forums/berita_acara_pages.html"

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # date.weekday() order
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# How the minutes word an agreed item's decision when it is not a plain "accepted".
AGREED_WORDING = {
    Outcome.ACCEPTED_CHANGED: "Disepakati dengan perubahan",
    Outcome.TO_PROVINCE: "Diteruskan ke provinsi",
}
# Why an item did not go on, as the minutes word it.
NOT_AGREED_WORDING = {
    Outcome.REJECTED: "Tidak disepakati",
    Outcome.RETURNED: "Dikembalikan untuk diperbaiki",
    Outcome.VILLAGE_BUDGET: "Dibiayai dengan anggaran desa (APB Desa)",
    "": "Belum diputuskan",
}


def ordinal(n: int) -> str:
    """The decision numbers of the minutes: 1 -> 'KESATU', 2 -> 'KEDUA', 12 -> 'KEDUA BELAS'."""
    return f"KE{terbilang(n).upper()}"


def date_long(day: datetime.date) -> str:
    """'9 Agustus 2016'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class DateInWords:
    """'Selasa', 'sembilan', 'Agustus', 'dua ribu enam belas': the date as an opening sentence says it."""

    day_name: str
    day: str
    month: str
    year: str


def date_in_words(day: datetime.date) -> DateInWords:
    return DateInWords(DAYS[day.weekday()], terbilang(day.day), MONTHS[day.month - 1], terbilang(day.year))


def time_zone_of(region_code: str) -> str:
    """WIB, WITA or WIT from the province code: the minutes give the local time with its zone."""
    province = int(region_code[:2])
    if province >= 81:  # Maluku, Maluku Utara and the Papua provinces
        return "WIT"
    if province in (51, 52, 53, 63, 64, 65) or 71 <= province <= 76:  # Bali, Nusa Tenggara, east Kalimantan, Sulawesi
        return "WITA"
    return "WIB"


def quantity(value: Decimal) -> str:
    """12.50 -> '12,5'; 1500.00 -> '1.500' (Indonesian separators, no trailing zeros)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.translate(str.maketrans(",.", ".,"))


def outside_window(forum: Forum, name: str) -> str:
    """Why the forum met outside its stage window, in the minutes' words: its own recorded reason,
    or the late entry Bappeda granted for a past season (planning.models.LateEntry)."""
    if forum.outside_window_reason.strip():
        return (
            f"{name} ini diselenggarakan di luar jadwal tahapan yang ditetapkan Bappeda, dengan "
            f"alasan: {forum.outside_window_reason.strip().rstrip('.')}."
        )
    late = late_entry_reason(forum).strip().rstrip(".")
    if late:
        return f"{name} ini dicatat sebagai input susulan yang dibuka Bappeda, dengan alasan: {late}."
    return ""


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def paragraphs(text: str) -> list[str]:
    """Split on blank lines; the line breaks inside one paragraph become spaces."""
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _short_kind(name: str) -> str:
    """'Kecamatan Kalirejo' -> 'Kec. Kalirejo': a narrow column keeps to one line."""
    return name.replace("Kecamatan ", "Kec. ", 1)


def _item(decision, *, whole_kabupaten: bool) -> dict:
    proposal = decision.proposal
    # A desa or kecamatan forum's items all lie in one kecamatan: naming it on every row only
    # wraps the location onto a second line (and every line costs rendering time).
    location = official_name(proposal.village)
    if whole_kabupaten:
        location = f"{location}, {_short_kind(official_name(proposal.kecamatan))}"
    return {
        "code": proposal.tracking_code or "",
        "title": proposal.title,
        # SIPD's own word for a legislator's item, printed beside its title.
        "pokir": proposal.is_pokir,
        "sector": proposal.sector.name,
        "location": location,
        "volume": f"{quantity(decision.volume)} {proposal.unit}",
        "cost": format_rupiah(decision.cost),
        "agency": str(proposal.current_agency) if proposal.current_agency else "-",
    }


def _not_agreed(decision) -> str:
    if decision.outcome == Outcome.MERGED:
        survivor = decision.merged_into
        return f"Digabungkan dengan usulan {survivor.tracking_code} ({survivor.title})"
    if decision.outcome == Outcome.HANDED_OVER:
        return f"Diserahkan kepada {decision.handed_to.name}"
    return NOT_AGREED_WORDING[decision.outcome]


def verification_address(verify_code: str) -> str:
    """The short public address of a document's verification page (public/urls.py serves /v/<code>/)."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/v/{verify_code}/"


def verification_qr(address: str) -> str:
    """The address as a QR code, an SVG data URI WeasyPrint embeds: vector, so it prints sharp,
    and the same address always gives the same bytes."""
    return segno.make(address, error="m", micro=False).svg_data_uri(border=0, omitsize=True)


@dataclass(frozen=True)
class Letterhead:
    """The office block under the unit's name: one line of contacts and the logo, if Bappeda set them."""

    contacts: str = ""
    logo: str = ""  # a data: URI, so that WeasyPrint needs no file access (the storage may be S3)


LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def letterhead(forum: Forum) -> Letterhead:
    """The letterhead of the unit holding the forum: the agency for its own forum, else the region's
    government. Nothing set: the name alone (never the meeting place, which is not an address)."""
    office = (
        Office.objects.filter(agency=forum.agency) if forum.agency_id else Office.objects.filter(region=forum.region)
    )
    office = office.first()
    if office is None:
        return Letterhead()
    contacts = " · ".join(
        part
        for part in (
            office.address,
            f"Telp. {office.phone}" if office.phone else "",
            f"Pos-el: {office.email}" if office.email else "",
            f"Laman: {office.website}" if office.website else "",
        )
        if part
    )
    logo = ""
    if office.logo:
        kind = LOGO_TYPES.get(office.logo.name.rsplit(".", 1)[-1].lower())
        try:
            with office.logo.open("rb") as file:
                data = file.read()
        except OSError:  # a missing file must not stop the minutes: they print without the logo
            data = b""
        if kind and data:
            logo = f"data:{kind};base64,{base64.b64encode(data).decode()}"
    return Letterhead(contacts=contacts, logo=logo)


def minutes_context(
    forum: Forum,
    *,
    number: str,
    issued_at,
    revision: int = 0,
    reason: str = "",
    verify_code: str = "",
    chain_anchor=None,
) -> dict:
    """Everything the template prints, as plain text and lists."""
    names = forum_names(forum)
    # Approval requires the date; the fallback only keeps a preview of an unfinished forum printable.
    held_on = forum.held_on or timezone.localdate(issued_at)
    decisions = list(decisions_of(forum, scores=False))
    result = ranking(forum, decisions)

    # Items passed to the province are agreed, but for the province's plan: listed apart, with a
    # total of their own, so that this forum's total is what it agreed for its own level.
    agreed, to_province, not_agreed = [], [], []
    own_total = province_total = 0
    whole_kabupaten = forum.level in (Level.KABUPATEN, Level.PROVINSI)
    for row in result.rows:
        decision = row.decision
        if row.position is not None:
            item = _item(decision, whole_kabupaten=whole_kabupaten)
            item["position"] = row.position
            item["below_line"] = row.below_line
            if decision.outcome != Outcome.ACCEPTED:
                item["note"] = f"{AGREED_WORDING[decision.outcome]}: {decision.reason}"
            if decision.outcome == Outcome.TO_PROVINCE:
                to_province.append(item)
                province_total += decision.cost
            else:
                agreed.append(item)
                own_total += decision.cost
        else:
            item = _item(decision, whole_kabupaten=whole_kabupaten)
            item["position"] = len(not_agreed) + 1
            item["decision"] = _not_agreed(decision)
            item["reason"] = decision.reason
            not_agreed.append(item)

    ceiling = None
    if result.ceiling is not None:
        ceiling = {
            "amount": format_rupiah(result.ceiling.amount),
            "remaining": format_rupiah(result.ceiling.amount - result.agreed_total),
            "max_items": result.ceiling.max_items,
        }

    attendees = list(forum.attendees.all())
    women = sum(1 for a in attendees if a.gender == Gender.FEMALE)
    delegates = list(forum.delegates.all())
    previous = None
    if revision:
        previous = forum.documents.filter(revision__lt=revision).order_by("-revision").first()

    year = held_on.year
    return {
        "forum": forum,
        "names": names,
        "letterhead": letterhead(forum),
        "number": number,
        "revision": revision,
        "reason": reason,
        "previous_number": previous.number if previous else "",
        "title": (
            f"Berita Acara {'Hasil' if forum.kind == ForumKind.AGENCY else 'Kesepakatan Hasil'} "
            f"{names.forum} Tahun {year}"
        ).upper(),
        "subtitle": f"Dalam rangka penyusunan {forum.planning_year} {names.plan_region}".upper(),
        "held_on": date_in_words(held_on),
        "held_on_long": date_long(held_on),
        "starts_at": f"{forum.starts_at:%H.%M} {time_zone_of(forum.region.code)}" if forum.starts_at else "",
        "attendee_count": len(attendees),
        "attendee_count_words": terbilang(len(attendees)),
        "men": len(attendees) - women,
        "women": women,
        "outside_window": outside_window(forum, names.forum),
        "resource_people": lines(forum.resource_people),
        "considerations": lines(forum.considerations),
        "resolutions": [(ordinal(i), text) for i, text in enumerate(paragraphs(forum.resolutions), start=1)],
        "signatories": [a for a in attendees if a.signs],
        "attendees": attendees,
        "delegates": delegates,
        "agreed": agreed,
        "agreed_total": format_rupiah(own_total),
        "to_province": to_province,
        "to_province_total": format_rupiah(province_total),
        "any_below_line": any(item["below_line"] for item in agreed),
        "ceiling": ceiling,
        "not_agreed": not_agreed,
        "issued_at": timezone.localtime(issued_at),
        "verify_address": verification_address(verify_code) if verify_code else "",
        "verify_qr": verification_qr(verification_address(verify_code)) if verify_code else "",
        # The head of the public chain of sealed minutes when this PDF was rendered (forums/chain.py).
        "chain_anchor": chain_anchor,
    }


def render_minutes(
    forum: Forum,
    *,
    number: str,
    issued_at,
    revision: int = 0,
    reason: str = "",
    verify_code: str = "",
    chain_anchor=None,
) -> bytes:
    """The forum's berita acara as PDF bytes (A4, Indonesian), numbered `number`.

    A revision (revision > 0) names the document it corrects and the reason. With a
    verify_code, the first page carries a QR code of its public verification address
    (settings.PUBLIC_BASE_URL + /v/<code>/) and the address in words. The same forum, number,
    time and code give the same bytes, so a stored file can be checked against its SHA-256.
    With a chain_anchor (a forums.models.ChainEntry), it prints that link of the public chain.
    """
    with translation.override("id"):
        context = minutes_context(
            forum,
            number=number,
            issued_at=issued_at,
            revision=revision,
            reason=reason,
            verify_code=verify_code,
            chain_anchor=chain_anchor,
        )
        main = render_to_string(TEMPLATE, {**context, "part": "main"})
        ranked = render_to_string(TEMPLATE, {**context, "part": "ranked"})

    def page_chrome(pages: int) -> str:
        return render_to_string(PAGES_TEMPLATE, {**context, "pages": range(pages)})

    return render_joined(main, ranked, page_chrome, before="lampiran-iii")
