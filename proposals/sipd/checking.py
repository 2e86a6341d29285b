"""Checking a SIPD export's rows against a kabupaten: what each row would create or change.

Each row is matched by its ID Usulan: a proposal imported earlier with that SIPD id is updated;
a proposal entered in this app whose tracking code it is stays as it is (the app is where it
changes); any other id is a new proposal. Regions and agencies are looked up by name within the
kabupaten. Every row is checked before anything is decided; the lookups are a fixed handful of
queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from musrenbang.spreadsheets import RowError, ShownRow, cell_text, key, shown_row
from regions.models import Agency, Region

from ..enums import ProposerType, SpendingType, Status, WorkKind
from ..models import MAX_COST, Proposal, SipdRecord
from .layout import COLUMNS, DELIBERATION, SIPD_HEADER, intake_row, split_address, split_usulan
from .reading import Row

# The proposal's own fields an import sets; the SIPD record's are its deliberation's columns.
FIELDS = [
    "submitted_at",
    "proposer_name",
    "proposer_type",
    "title",
    "proposed_work",
    "problem",
    "address",
    "rt",
    "rw",
    "village",
    "kecamatan",
    "target_agency",
    "current_agency",
    "volume",
    "unit",
    "estimated_cost",
    "spending_type",
    "sub_activity",
]
RECORD_FIELDS = ["status", "note", "village_recommendation", "kecamatan_recommendation", "agency_recommendation"]
SECTOR_CODE = re.compile(r"^(\d\.\d{2})\b")


@dataclass
class Planned:
    number: int
    proposal: Proposal  # unsaved when new; else the stored one with the file's values set
    record: SipdRecord
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new)


@dataclass
class Plan:
    problems: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    shown: list[ShownRow] = field(default_factory=list)
    new: list[Planned] = field(default_factory=list)
    changed: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    ours: int = 0  # rows of proposals entered in this app, left as they are

    def preview(self) -> dict:
        """What the import would do, as the dry run shows it (and the confirmation checks again)."""

        def named(planned: Planned) -> dict:
            proposal = planned.proposal
            return {"row": planned.number, "id": planned.record.sipd_id, "title": proposal.title}

        return {
            "new": [
                named(p) | {"village": p.proposal.village.name, "cost": p.proposal.estimated_cost} for p in self.new
            ],
            "changed": [named(p) | {"changes": [list(change) for change in p.changes]} for p in self.changed],
            "unchanged": self.unchanged,
            "ours": self.ours,
        }


def text(value) -> str:
    """A cell as text, with a line break kept, and the apostrophe the export puts before text a
    spreadsheet would run as a formula taken off again."""
    if isinstance(value, str):
        value = value.strip()
        return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value
    return cell_text(value)


def exported(proposal: Proposal) -> dict[str, str]:
    """A proposal's row as the export writes it (in Indonesian), each cell as text."""
    with translation.override("id"):
        row = intake_row(proposal)
    return {name: shown(value) for name, value in row.items()}


def shown(value) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, datetime.date) else str(value)


class Lookups:
    """Everything the rows are matched against, read once."""

    def __init__(self, kabupaten: Region, ids: set[str]):
        self.kabupaten = kabupaten
        self.kecamatan = {key(r.name): r for r in Region.objects.filter(parent=kabupaten)}
        self.villages = {
            (r.parent_id, key(r.name)): r for r in Region.objects.filter(parent__parent=kabupaten).order_by("code")
        }
        self.agencies: dict[str, Agency] = {}
        # The kabupaten's own agencies win over a province agency of the same name.
        for agency in Agency.objects.filter(Q(region=kabupaten) | Q(region_id=kabupaten.parent_id)).order_by(
            "-region__level", "code"
        ):
            for name in (agency.name, agency.short_name):
                if name:
                    self.agencies.setdefault(key(name), agency)
        self.imported = {
            p.sipd.sipd_id: p
            for p in Proposal.objects.filter(kabupaten=kabupaten, sipd__sipd_id__in=ids).select_related(
                "village", "kecamatan", "kabupaten", "target_agency", "current_agency", "sipd"
            )
        }
        self.ours = set(
            Proposal.objects.filter(kabupaten=kabupaten, tracking_code__in=ids, sipd__isnull=True).values_list(
                "tracking_code", flat=True
            )
        )
        self.profiles = _labels(ProposerType)
        self.spending = _labels(SpendingType)


def _labels(choices) -> dict[str, str]:
    """A choice's label in Indonesian or English, or its value, -> its value."""
    found = {key(value): value for value in choices.values}
    for language in ("en", "id"):
        with translation.override(language):
            found |= {key(label): value for value, label in choices.choices}
    return found


def check_rows(rows: list[Row], *, kabupaten, planning_year, sector, sectors, actor, progress) -> Plan:
    """What the rows would create and change in `kabupaten`, every row checked; new proposals
    are filed under `planning_year` and, when their Sub Kegiatan's code names none of `sectors`
    (code -> Sector), under `sector`."""
    plan = Plan()
    lookups = Lookups(kabupaten, {text(values["ID Usulan"]) for _number, values in rows})
    seen: dict[str, int] = {}
    for done, (number, values) in enumerate(rows, start=1):
        progress(done, len(rows))
        errors = _check(number, values, lookups, seen, plan, planning_year, sector, sectors, actor)
        if errors:
            plan.errors += [RowError(number, column, message) for column, message in errors]
            plan.shown.append(shown_row(number, {h: text(values[h]) for h in SIPD_HEADER}, errors, COLUMNS))
    if plan.errors:
        plan.new, plan.changed = [], []
    return plan


def _check(number, values, lookups: Lookups, seen, plan: Plan, planning_year, sector, sectors, actor) -> list:
    sipd_id = text(values["ID Usulan"])
    if not sipd_id:
        return [("ID Usulan", _("Every usulan needs its SIPD id, to be matched when it is imported again."))]
    if sipd_id in seen:
        return [("ID Usulan", _("This id is also on row %(row)d of this file.") % {"row": seen[sipd_id]})]
    seen[sipd_id] = number
    if sipd_id in lookups.ours:
        plan.ours += 1
        return []
    errors: list[tuple[str, str]] = []
    fields, record = _fields(values, lookups, errors)
    if errors:
        return errors
    existing = lookups.imported.get(sipd_id)
    if existing is None:
        proposal = Proposal(
            planning_year=planning_year,
            kabupaten=lookups.kabupaten,
            provinsi_id=lookups.kabupaten.parent_id,
            status=Status.DRAFT,
            sector=sectors.get(_sector_code(fields["sub_activity"]), sector),
            work_kind=WorkKind.NON_PHYSICAL
            if fields["spending_type"] in (SpendingType.OPERATING, SpendingType.TRANSFER)
            else WorkKind.PHYSICAL,
            beneficiaries="",
            beneficiary_count=0,
            created_by=actor,
            **fields,
        )
        planned = Planned(number, proposal, SipdRecord(kabupaten=lookups.kabupaten, sipd_id=sipd_id, **record))
        proposal.sipd = planned.record
        plan.new.append(planned)
        return []
    before = exported(existing)
    if timezone.localtime(existing.submitted_at).date() == timezone.localtime(fields["submitted_at"]).date():
        fields["submitted_at"] = existing.submitted_at  # the same day: the time SIPD does not give stays
    for name, value in fields.items():
        setattr(existing, name, value)
    for name, value in record.items():
        setattr(existing.sipd, name, value)
    after = exported(existing)
    changes = [(h, before[h], after[h]) for h in SIPD_HEADER if before[h] != after[h]]
    if changes:
        plan.changed.append(Planned(number, existing, existing.sipd, changes))
    else:
        plan.unchanged += 1
    return []


def _sector_code(sub_activity: str) -> str:
    match = SECTOR_CODE.match(sub_activity)
    return match[1] if match else ""


def _fields(values, lookups: Lookups, errors: list) -> tuple[dict, dict]:
    """The proposal's fields and the SIPD record's from one row; what is wrong goes to `errors`."""
    cell = {header: text(values[header]) for header in SIPD_HEADER}

    def bounded(header: str, limit: int, *, required: bool = False) -> str:
        value = cell[header]
        if required and not value:
            errors.append((header, _("Fill this in.")))
        elif len(value) > limit:
            message = _("At most %(n)d characters; this has %(count)d.") % {"n": limit, "count": len(value)}
            errors.append((header, message))
        return value

    fields: dict[str, object] = {"submitted_at": _submitted(values["Tanggal Usul"], errors)}
    fields["proposer_name"] = bounded("Pengusul", 120, required=True)
    fields["proposer_type"] = lookups.profiles.get(key(cell["Profil"]))
    if fields["proposer_type"] is None:
        errors.append(("Profil", _("Not a kind of proposer: use warga, RT, RW, lembaga or desa/kelurahan.")))
    title, work = split_usulan(bounded("Usulan", 10_000, required=True))
    if len(title) > 200:
        errors.append(("Usulan", _("The title before the colon may have at most 200 characters.")))
    fields |= {"title": title, "proposed_work": work, "problem": cell["Masalah"]}
    address, rt, rw = split_address(cell["Alamat"])
    if len(address) > 255 or len(rt) > 3 or len(rw) > 3:
        errors.append(("Alamat", _("An address of at most 255 characters, then RT and RW of at most 3 each.")))
    fields |= {"address": address, "rt": rt, "rw": rw}
    if key(cell["Kabupaten/Kota"]) != key(lookups.kabupaten.name):
        errors.append(
            ("Kabupaten/Kota", _("This file is imported for %(name)s only.") % {"name": lookups.kabupaten.name})
        )
    kecamatan = lookups.kecamatan.get(key(cell["Kecamatan"]))
    village = lookups.villages.get((kecamatan.pk, key(cell["Kelurahan/Desa"]))) if kecamatan else None
    if kecamatan is None:
        errors.append(("Kecamatan", _("No district of %(name)s has this name.") % {"name": lookups.kabupaten.name}))
    elif village is None:
        errors.append(("Kelurahan/Desa", _("No village of %(name)s has this name.") % {"name": kecamatan.name}))
    fields |= {"kecamatan": kecamatan, "village": village}
    for header, name in (("OPD Tujuan Awal", "target_agency"), ("OPD Tujuan Akhir", "current_agency")):
        fields[name] = lookups.agencies.get(key(cell[header])) if cell[header] else None
        if cell[header] and fields[name] is None:
            errors.append((header, _("No agency of %(name)s has this name.") % {"name": lookups.kabupaten.name}))
    fields["volume"] = _volume(cell["Volume"], errors)
    fields["unit"] = bounded("Satuan", 30, required=True)
    fields["estimated_cost"] = _rupiah(cell["Anggaran"], errors)
    fields["spending_type"] = lookups.spending.get(key(cell["Jenis Belanja"]), "") if cell["Jenis Belanja"] else ""
    if cell["Jenis Belanja"] and not fields["spending_type"]:
        errors.append(("Jenis Belanja", _("Not a spending type: belanja operasi, modal or transfer.")))
    fields["sub_activity"] = bounded("Sub Kegiatan", 255)
    record = dict(zip(RECORD_FIELDS, (cell[h] for h in DELIBERATION), strict=True))
    bounded("Status", 100)
    return fields, record


def _submitted(value, errors: list) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        raw = text(value)
        day = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                day = datetime.datetime.strptime(raw, pattern).date()
                break
            except ValueError:
                continue
    if day is None or day > timezone.localdate():
        errors.append(("Tanggal Usul", _("The day it was proposed, as YYYY-MM-DD, not in the future.")))
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _volume(raw: str, errors: list) -> Decimal | None:
    try:
        volume = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        volume = None
    if volume is None or not volume.is_finite() or volume <= 0 or volume >= 10**10 or volume != round(volume, 2):
        errors.append(("Volume", _("A number above zero with at most two decimals, such as 150 or 2,5.")))
        return None
    return volume


def _rupiah(raw: str, errors: list) -> int | None:
    plain = re.sub(r"^Rp\s*", "", raw)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", plain):
        plain = plain.replace(".", "")
    if not plain.isdigit() or int(plain) > MAX_COST:
        errors.append(("Anggaran", _("Whole Rupiah, without decimals, at most Rp100.000.000.000.")))
        return None
    return int(plain)
