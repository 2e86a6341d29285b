"""A national data set in the project's real schema, written with COPY: `manage.py seed_national`.

The state it builds is the one right after the village intake closes: every proposal submitted
and waiting in its village's Musrenbang Desa, as intake and forums would have left it, with
every derived column filled the way the workflows fill it:
- ancestors (kecamatan, kabupaten, provinsi) copied from the village, a unique tracking code,
  `submitted_at`, the current agency equal to the target agency;
- two history events each (created, then submitted into the village forum);
- one Musrenbang Desa per village with proposals, and one pending decision per proposal,
  ranked in the order the items arrived, with the village's volume and cost as incoming figures;
- one village operator per such village (unusable password: the benchmark logs in directly),
  six agencies per kabupaten/kota, a national desa stage window that has closed.
The full-text and trigram indexes read the same columns the app searches, so search works.

One province goes further (benchmarks/approvals.py): its village and kecamatan forums are held,
decide every item and are approved, with their berita acara issued and queued for the worker,
and the agreed items wait in the forums of their kabupaten/kota. By default the seeded province
with the fewest villages: the whole ladder at little cost.

Village sizes are skewed (log-normal), as real ones are. The same arguments and seed give the
same rows. PostgreSQL only: the data set is for measuring production's database.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
import random
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from planning.models import PlanningYear, Sector, StageWindow
from proposals.codes import ALPHABET
from regions.models import Agency, Level, Region

from .approvals import approve_province
from .copy import copy_rows, move_sequence, next_id
from .vocabulary import AGENCIES, FIRST_NAMES, LAST_NAMES, PLACES, PROBLEMS, PROPOSERS, WORKS

# proposals/codes.py's characters; 31^8 codes. A multiplier coprime to 31^8 walks them all in a
# scattered order, so code i is unique for every i below that.
_SPACE = len(ALPHABET) ** 8
_STEP = 1_000_000_007


# The tables written with ids chosen here, whose identity sequences move past them afterwards.
COPIED = ("accounts_user", "forums_forum", "proposals_proposal", "proposals_proposalevent", "forums_decision")
# approved_province: the seeded province with the fewest villages.
SMALLEST = "smallest"


class SeedError(Exception):
    """The data set cannot be built here; str(error) says why."""


@dataclass
class Counts:
    proposals: int = 0
    villages: int = 0
    users: int = 0
    agencies: int = 0
    forums: int = 0
    decisions: int = 0
    events: int = 0
    approved: int = 0  # forums approved, each with its berita acara queued
    timings: dict = field(default_factory=dict)


def tracking_code(i: int) -> str:
    n = (i * _STEP + 12_345) % _SPACE
    chars = []
    for _ in range(8):
        n, digit = divmod(n, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return f"{''.join(chars[:4])}-{''.join(chars[4:])}"


def village_sizes(villages: list[int], total: int, rng: random.Random) -> dict[int, int]:
    """How many proposals each village holds: log-normal weights, summing exactly to total."""
    weights = [rng.lognormvariate(0, 0.9) for _ in villages]
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    sizes = [math.floor(s) for s in shares]
    short = total - sum(sizes)
    for index in sorted(range(len(villages)), key=lambda i: shares[i] - sizes[i], reverse=True)[:short]:
        sizes[index] += 1
    return {v: n for v, n in zip(villages, sizes, strict=True) if n}


def seed(
    *,
    proposals: int,
    year: int,
    province: str | None = None,
    approved_province: str | None = SMALLEST,
    random_seed: int = 2026,
    log=print,
) -> Counts:
    """Build the data set: `proposals` submitted proposals of plan year `year` over every village
    (or one province's), and one province's forums approved up to the kecamatan (a province
    code, SMALLEST, or None for none). Refused when that year already holds proposals."""
    if connection.vendor != "postgresql":
        raise SeedError("seed_national writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database.")
    regions = Region.objects.all() if not province else Region.objects.subtree(Region.objects.get(code=province))
    rows = list(regions.values_list("id", "code", "level", "parent_id"))
    villages = sorted(r[0] for r in rows if r[2] == Level.DESA)
    if not villages:
        raise SeedError("No villages to seed: run `manage.py import_regions` first.")
    parent = {r[0]: r[3] for r in rows}
    code_of = {r[0]: r[1] for r in rows}
    rng = random.Random(random_seed)
    counts = Counts()
    started = timezone.now()
    with transaction.atomic():
        planning_year, _created = PlanningYear.objects.get_or_create(year=year)
        if planning_year.proposals.exists():
            raise SeedError(f"RKPD {year} already holds proposals; seed another --year.")
        opens = datetime.date(year - 1, 1, 2)
        StageWindow.objects.update_or_create(
            planning_year=planning_year,
            level=Level.DESA,
            region=None,
            defaults={"opens_on": opens, "closes_on": opens + datetime.timedelta(days=30)},
        )
        sizes = village_sizes(villages, proposals, rng)
        counts.villages = len(sizes)
        chosen = _approved_province(approved_province, sizes, parent, code_of) if approved_province else None
        agencies = _agencies({parent[parent[v]] for v in sizes}, counts)
        operators = _operators(sizes, code_of, counts)
        forums = _forums(planning_year, sizes, opens, counts)
        log(f"  {counts.villages} villages, {counts.users} operators, {counts.forums} forums")
        _proposals(planning_year, sizes, parent, agencies, operators, forums, opens, rng, counts, log)
        for table in COPIED:
            move_sequence(table)
        if chosen is not None:
            closes = opens + datetime.timedelta(days=30)
            counts.approved = approve_province(planning_year, chosen, closes, random_seed=random_seed, log=log)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts.timings["total"] = (timezone.now() - started).total_seconds()
    return counts


def _approved_province(wanted: str, sizes: dict[int, int], parent: dict[int, int], code_of) -> Region:
    """The province whose forums are approved: the one named, or the seeded one with the fewest
    villages (the lowest code of equals)."""
    villages: dict[int, int] = {}
    for village in sizes:
        province = parent[parent[parent[village]]]
        villages[province] = villages.get(province, 0) + 1
    if wanted == SMALLEST:
        return Region.objects.get(pk=min(villages, key=lambda pk: (villages[pk], code_of[pk])))
    chosen = next((pk for pk in villages if code_of[pk] == wanted), None)
    if chosen is None:
        raise SeedError(f"Province {wanted} holds no seeded village: its forums cannot be approved.")
    return Region.objects.get(pk=chosen)


def _agencies(kabupaten_ids: set[int], counts: Counts) -> dict[int, dict[str, int]]:
    """kabupaten id -> sector code -> the agency of that kabupaten that carries it."""
    sectors = dict(Sector.objects.values_list("code", "id"))
    wanted = [
        Agency(region_id=kabupaten, code=code, name=name, short_name=short)
        for kabupaten in kabupaten_ids
        for code, name, short, _sector in AGENCIES
    ]
    Agency.objects.bulk_create(wanted, batch_size=2_000, ignore_conflicts=True)
    counts.agencies = len(wanted)
    sector_of = {code: sectors[sector] for code, _n, _s, sector in AGENCIES}
    by_kabupaten: dict[int, dict[str, int]] = {}
    for pk, region_id, code in Agency.objects.filter(region_id__in=kabupaten_ids).values_list(
        "id", "region_id", "code"
    ):
        if code in sector_of:
            by_kabupaten.setdefault(region_id, {})[sector_of[code]] = pk
    return by_kabupaten


def _operators(sizes: dict[int, int], code_of: dict[int, str], counts: Counts) -> dict[int, int]:
    """village id -> the id of its operator, created where the village has none from the seed."""
    names = {f"seed.{code_of[v]}": v for v in sizes}
    existing = dict(User.objects.filter(username__in=names).values_list("username", "id"))
    first = next_id("accounts_user")
    now = timezone.now().isoformat()
    new = [name for name in names if name not in existing]
    columns = ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff"]
    columns += ["is_active", "date_joined", "role", "region_id", "phone"]
    counts.users = copy_rows(
        "accounts_user",
        columns,
        (
            (first + i, "!seed", False, name, "Operator", name[5:], "", False, True, now, Role.VILLAGE_OPERATOR)
            + (names[name], "")
            for i, name in enumerate(new)
        ),
    )
    existing.update({name: first + i for i, name in enumerate(new)})
    return {village: existing[name] for name, village in names.items()}


def _forums(planning_year, sizes: dict[int, int], opens: datetime.date, counts: Counts) -> dict[int, int]:
    """village id -> the id of its Musrenbang Desa for the year."""
    first = next_id("forums_forum")
    at = datetime.datetime.combine(opens, datetime.time(8), tzinfo=datetime.UTC).isoformat()
    columns = ["id", "planning_year_id", "level", "region_id", "kind", "status", "place", "chair_name", "chair_title"]
    columns += ["resource_people", "considerations", "resolutions", "override_reason", "created_at"]
    columns += ["region_code", "province_code"]  # Forum.copy_region_code's
    villages = sorted(sizes)
    codes = dict(Region.objects.filter(level=Level.DESA).values_list("pk", "code"))
    counts.forums = copy_rows(
        "forums_forum",
        columns,
        (
            (first + i, planning_year.pk, Level.DESA, v, "musrenbang", "preparing", "", "", "", "", "", "", "", at)
            + (codes[v], codes[v].split(".")[0])
            for i, v in enumerate(villages)
        ),
    )
    return {v: first + i for i, v in enumerate(villages)}


PROPOSAL_COLUMNS = [
    "id", "planning_year_id", "status", "level", "tracking_code", "village_id", "kecamatan_id", "kabupaten_id",
    "provinsi_id", "title", "problem", "proposed_work", "proposer_type", "proposer_name", "proposer_contact",
    "sector_id", "work_kind", "target_agency_id", "current_agency_id", "rt", "rw", "address", "volume", "unit",
    "estimated_cost", "beneficiaries", "beneficiary_count", "program", "activity", "sub_activity",
    "activity_target", "spending_type", "land_status_clear", "has_certificate", "has_technical_details",
    "created_by_id", "created_at", "updated_at", "submitted_at",
]  # fmt: skip
EVENT_COLUMNS = ["id", "proposal_id", "action", "actor_id", "at", "from_status", "to_status", "from_level"]
EVENT_COLUMNS += ["to_level", "note", "forum_id"]
DECISION_COLUMNS = ["id", "forum_id", "proposal_id", "outcome", "reason", "incoming_volume", "incoming_cost", "rank"]
BATCH = 50_000  # proposals generated before their rows, events and decisions are written


def _proposals(planning_year, sizes, parent, agencies, operators, forums, opens, rng, counts, log) -> None:
    sectors = dict(Sector.objects.values_list("code", "id"))
    works = [(title, unit, sectors[code], *rest) for title, unit, code, *rest in WORKS]
    cumulative = list(itertools.accumulate(work[-1] for work in WORKS))
    start = datetime.datetime.combine(opens, datetime.time(7), tzinfo=datetime.UTC)
    batch = Batch(planning_year.pk)
    for village in sorted(sizes):
        kecamatan = parent[village]
        kabupaten = parent[kecamatan]
        place = (village, kecamatan, kabupaten, parent[kabupaten])
        arrivals = sorted(rng.randrange(86_400, 29 * 86_400) for _ in range(sizes[village]))
        for rank, seconds in enumerate(arrivals, start=1):
            work = works[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]
            batch.add(
                work, start + datetime.timedelta(seconds=seconds), rank, place, operators[village], forums[village],
                agencies[kabupaten].get(work[2]), rng,
            )  # fmt: skip
        if len(batch.proposals) >= BATCH:
            batch.write(counts)
            log(f"  {counts.proposals} proposals")
    batch.write(counts)
    log(f"  {counts.proposals} proposals, {counts.events} events, {counts.decisions} decisions")


class Batch:
    """Rows of proposals, their two events each and their pending decisions, written together."""

    def __init__(self, year_id: int):
        self.year_id = year_id
        self.ids = {
            "proposal": next_id("proposals_proposal"),
            "event": next_id("proposals_proposalevent"),
            "decision": next_id("forums_decision"),
        }
        self.proposals, self.events, self.decisions = [], [], []

    def add(self, work, submitted, rank, place, operator, forum, agency, rng) -> None:
        title, unit, sector, physical, (low, high), (least, most), _weight = work
        village, kecamatan, kabupaten, provinsi = place
        where = rng.choice(PLACES).format(n=rng.randint(1, 12))
        volume = rng.randint(least, most)
        cost = min(volume * rng.randrange(low, high + 1, 1_000), 100_000_000_000)
        # Entered some hours before it was submitted; the forum ranks items in the order they arrive.
        created = (submitted - datetime.timedelta(seconds=rng.randrange(3_600, 86_400))).isoformat()
        submitted = submitted.isoformat()
        pk, event = self.ids["proposal"], self.ids["event"]
        self.proposals.append(
            (pk, self.year_id, "submitted", Level.DESA, tracking_code(pk), village, kecamatan, kabupaten, provinsi)
            + (f"{title} {where}", rng.choice(PROBLEMS), f"{title} {where}: {volume} {unit}.", rng.choice(PROPOSERS))
            + (f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "", sector, "fisik" if physical else "nonfisik")
            + (agency, agency, f"{rng.randint(1, 15):03d}", f"{rng.randint(1, 8):03d}", "", f"{volume}.00", unit)
            + (cost, f"Warga {where}", rng.randint(20, 2_000), "", "", "", "", "")
            + (rng.random() < 0.7, rng.random() < 0.4, rng.random() < 0.5, operator, created, submitted, submitted)
        )
        self.events.append((event, pk, "created", operator, created, "draft", "draft", 4, 4, "", None))
        self.events.append((event + 1, pk, "submitted", operator, submitted, "draft", "submitted", 4, 4, "", forum))
        self.decisions.append((self.ids["decision"], forum, pk, "", "", f"{volume}.00", cost, rank))
        self.ids["proposal"] += 1
        self.ids["event"] += 2
        self.ids["decision"] += 1

    def write(self, counts: Counts) -> None:
        counts.proposals += copy_rows("proposals_proposal", PROPOSAL_COLUMNS, self.proposals)
        counts.events += copy_rows("proposals_proposalevent", EVENT_COLUMNS, self.events)
        counts.decisions += copy_rows("forums_decision", DECISION_COLUMNS, self.decisions)
        self.proposals, self.events, self.decisions = [], [], []
