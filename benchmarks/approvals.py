"""One province's forums decided and approved up to the kecamatan, as the workflow leaves them.

The seed leaves every proposal waiting in its Musrenbang Desa. For one province this goes on
the way the forums would have gone, in the order they would have met:
- every village forum is held (date, place, chair, the default wording of its level, six
  attendees with the elements the attendance rule asks at their level, three delegates of whom
  one a woman) and decides each item, with a "decided" event: most accepted, some left to the
  village budget, some not agreed, each with its reason. Its approval forwards the agreed items
  to their Musrenbang Kecamatan ("forwarded" event, a pending decision there carrying the agreed
  figures, ranked in the order the villages approved) and closes the rest ("closed" event);
- every kecamatan forum likewise, under an indicative ceiling (Ceiling) of about 70 % of what
  reached it: items are agreed in rank order until the next would cross it, and the rest are
  not agreed (the strict cut line of forums.queries.ranking). Its agreed items wait in their
  agency's Forum Perangkat Daerah at the kabupaten/kota (in the kabupaten/kota's Musrenbang
  for an item without an agency there);
- each approved forum's berita acara is numbered (MINUTES_NUMBER_PATTERN, its region's running
  number) with its verification code, left unrendered, and a render task queued for the worker:
  what approve_forum leaves behind when its transaction commits.

The rows are written with COPY (rows that change: one UPDATE from a COPY), not through the
workflow, whose locks and queries per forum would take most of an hour for a large province.
tests/test_benchmarks.py reads the result back through the workflow's own queries.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import defaultdict

from django.conf import settings
from django.utils import timezone, translation

from accounts.models import Role, User
from forums.defaults import default_considerations, default_resolutions
from forums.models import Ceiling, Decision, Forum, ForumKind, ForumStatus, MinutesCounter, MinutesDocument, Outcome
from forums.workflow.minutes import render_document
from proposals.codes import ALPHABET
from regions.models import Agency, Kind, Level, Region

from .copy import copy_rows, move_sequence, next_id, update_rows
from .vocabulary import ATTENDING, LAST_NAMES, MEN, WOMEN

# What a village forum does with an item it does not forward: (share of items, outcome, reason).
VILLAGE_OUTCOMES = [
    (0.08, Outcome.REJECTED, "Belum menjadi prioritas desa tahun ini."),
    (0.12, Outcome.VILLAGE_BUDGET, "Dapat dibiayai dari Dana Desa tahun berjalan."),
]
VILLAGE_ELEMENTS = ["perempuan", "pemdes", "bpd", "tokoh_masyarakat", "petani", "tokoh_agama"]
KECAMATAN_ELEMENTS = ["delegasi", "delegasi", "delegasi", "perempuan", "kecamatan", "perangkat_daerah"]
CEILING_SHARE = 0.7  # of the cost that reaches a kecamatan forum
BELOW_LINE = "Berada di bawah garis pagu indikatif kecamatan."
CHAIR_TITLE = {Kind.KELURAHAN: "Lurah", Kind.KECAMATAN: "Camat", Kind.DISTRIK: "Kepala Distrik"}

FORUM_COLUMNS = ["id", "planning_year_id", "level", "region_id", "kind", "agency_id", "status", "held_on"]
FORUM_COLUMNS += ["starts_at", "place", "chair_name", "chair_title", "resource_people", "considerations"]
FORUM_COLUMNS += ["resolutions", "override_reason", "approved_at", "approved_by_id", "created_at"]
FORUM_COLUMNS += ["region_code", "province_code"]
HELD_COLUMNS = ["id", "status", "held_on", "starts_at", "place", "chair_name", "chair_title", "considerations"]
HELD_COLUMNS += ["resolutions", "approved_at", "approved_by_id"]
DECISION_COLUMNS = ["id", "forum_id", "proposal_id", "outcome", "reason", "incoming_volume", "incoming_cost"]
DECISION_COLUMNS += ["rank", "decided_by_id", "decided_at"]
EVENT_COLUMNS = ["id", "proposal_id", "action", "actor_id", "at", "from_status", "to_status", "from_level"]
EVENT_COLUMNS += ["to_level", "note", "forum_id"]


@dataclasses.dataclass
class Item:
    """One proposal on one forum's list, and what that forum decided."""

    proposal: int
    kecamatan: int
    kabupaten: int
    agency: int | None
    volume: str
    cost: int
    decision: int | None = None  # its row in the forum, when the seed wrote it already
    outcome: str = ""
    reason: str = ""


@dataclasses.dataclass
class Meeting:
    """One forum, its list in rank order, and the day it meets."""

    forum: Forum
    chair: int | None  # the officer who runs it: decides, approves, is named on the minutes
    day: datetime.date
    items: list[Item] = dataclasses.field(default_factory=list)
    ceiling: int | None = None

    def at(self, hour: int, seconds: int = 0) -> datetime.datetime:
        start = timezone.make_aware(datetime.datetime.combine(self.day, datetime.time(hour)))
        return start + datetime.timedelta(seconds=seconds)


def approve_province(planning_year, province: Region, closes: datetime.date, *, random_seed: int, log=print) -> int:
    """Decide and approve every village and kecamatan forum of `province`, whose proposals the seed
    wrote; `closes` is the day village intake closed. Returns how many forums were approved."""
    rng = random.Random(f"{random_seed}/{planning_year.year}/{province.code}")
    regions = {r.pk: r for r in Region.objects.subtree(province)}
    with translation.override(settings.LANGUAGE_CODE):  # event notes in the language officers write in
        villages = _village_meetings(planning_year, province, regions, closes, rng)
        forwarded = {item.kecamatan for m in villages for item in m.items if item.outcome == Outcome.ACCEPTED}
        writer = Writer(planning_year, regions, _operators([regions[pk] for pk in sorted(forwarded)]), rng)
        kecamatans = writer.approve(villages, Level.KECAMATAN)
        for meeting in kecamatans:
            _cut_at_ceiling(meeting)
        waiting = writer.approve(kecamatans, Level.KABUPATEN)
        writer.write(villages, kecamatans, waiting)
    _issue_minutes(villages + kecamatans, rng)
    log(f"  {province.display_name}: {len(villages)} village and {len(kecamatans)} kecamatan forums approved")
    return len(villages) + len(kecamatans)


def _village_meetings(planning_year, province, regions, closes, rng) -> list[Meeting]:
    """The province's village forums, each with its items in rank order, decided."""
    rows = (
        Decision.objects.filter(forum__planning_year=planning_year, forum__level=Level.DESA)
        .filter(proposal__provinsi=province)
        .order_by("forum_id", "rank")
        .values_list(
            "forum_id", "id", "proposal_id", "proposal__kecamatan_id", "proposal__kabupaten_id",
            "proposal__current_agency_id", "proposal__volume", "proposal__estimated_cost", "proposal__created_by_id",
        )
    )  # fmt: skip
    items, chairs = defaultdict(list), {}
    for forum, pk, proposal, kecamatan, kabupaten, agency, volume, cost, operator in rows:
        items[forum].append(Item(proposal, kecamatan, kabupaten, agency, str(volume), cost, decision=pk))
        chairs[forum] = operator  # the village's operator, who entered its proposals
    meetings = []
    for forum in Forum.objects.filter(pk__in=items).order_by("region__code"):
        forum.region, forum.planning_year = regions[forum.region_id], planning_year
        day = closes + datetime.timedelta(days=rng.randrange(3, 17))
        meetings.append(Meeting(forum, chairs[forum.pk], day, items[forum.pk]))
        for item in items[forum.pk]:
            roll = rng.random()
            item.outcome = Outcome.ACCEPTED
            for share, outcome, reason in VILLAGE_OUTCOMES:
                if roll < share:
                    item.outcome, item.reason = outcome, reason
                    break
                roll -= share
    return meetings


def _cut_at_ceiling(meeting: Meeting) -> None:
    """Agree items in rank order until the next would pass the ceiling; the rest are not agreed."""
    # Whole millions, and never below the first item: every kecamatan forwards something.
    share = max(sum(item.cost for item in meeting.items) * CEILING_SHARE, meeting.items[0].cost)
    meeting.ceiling = -(-int(share) // 1_000_000) * 1_000_000
    total, crossed = 0, False
    for item in meeting.items:
        crossed = crossed or total + item.cost > meeting.ceiling
        if crossed:
            item.outcome, item.reason = Outcome.REJECTED, BELOW_LINE
        else:
            item.outcome, total = Outcome.ACCEPTED, total + item.cost


class Writer:
    """The rows of every decision, move and forum of the pass, written table by table at the end."""

    def __init__(self, planning_year, regions: dict[int, Region], operators: dict[int, int], rng: random.Random):
        self.year, self.regions, self.operators, self.rng = planning_year, regions, operators, rng
        self.ids = {
            "forum": next_id("forums_forum"),
            "decision": next_id("forums_decision"),
            "event": next_id("proposals_proposalevent"),
        }
        kabupatens = [r for r in regions.values() if r.level == Level.KABUPATEN]
        self.agencies = {a.pk: a for a in Agency.objects.filter(region__in=kabupatens)}
        self.decided, self.decisions, self.events, self.delegates, self.attendees = [], [], [], [], []
        self.proposals = {}  # id -> (status, level, when): the last move wins
        self.agreed = {}  # id -> (volume, cost) of the last forum that agreed to it

    def approve(self, meetings: list[Meeting], level: int) -> list[Meeting]:
        """Each meeting's decisions, then its approval in the order the forums met: agreed items
        onto the list of their forum at `level` (made on first use), the rest closed. Returns
        the forums at `level`."""
        following: dict[tuple, Meeting] = {}
        for meeting in sorted(meetings, key=lambda m: (m.day, m.forum.region.code)):
            forum, approved = meeting.forum, meeting.at(15)
            for rank, item in enumerate(meeting.items, start=1):
                self._decide(meeting, item, rank)
                if item.outcome != Outcome.ACCEPTED:
                    self._event(item, meeting, "closed", approved, item.outcome, forum.level, item.reason)
                    self.proposals[item.proposal] = (item.outcome, forum.level, approved)
                    continue
                key = (item.kecamatan, None) if level == Level.KECAMATAN else (item.kabupaten, item.agency)
                if key not in following:
                    following[key] = self._forum_at(level, *key, meeting)
                target = following[key]
                self._event(item, meeting, "forwarded", approved, "submitted", level, str(target.forum))
                self.proposals[item.proposal] = ("submitted", level, approved)
                self.agreed[item.proposal] = (item.volume, item.cost)  # as approve_forum records it
                target.items.append(dataclasses.replace(item, decision=None, outcome="", reason=""))
        return list(following.values())

    def _forum_at(self, level, region_id, agency_id, below: Meeting) -> Meeting:
        agency = self.agencies.get(agency_id)
        forum = Forum(
            pk=self.ids["forum"],
            planning_year=self.year,
            level=level,
            region=self.regions[region_id],
            kind=ForumKind.AGENCY if agency else ForumKind.MUSRENBANG,
            agency=agency,
            created_at=below.at(15),
        )
        self.ids["forum"] += 1
        forum.copy_region_code()
        forum.considerations, forum.resolutions = default_considerations(forum), default_resolutions(forum)
        day = below.day + datetime.timedelta(days=self.rng.randrange(24, 34))
        return Meeting(forum, self.operators.get(region_id) if level == Level.KECAMATAN else None, day)

    def _decide(self, meeting: Meeting, item: Item, rank: int) -> None:
        """The forum's decision on the item, minutes into its session, and the "decided" event."""
        at = meeting.at(9, 18_000 * (rank - 1) // len(meeting.items))
        label = str(Outcome(item.outcome).label)
        note = f"{label}: {item.reason}" if item.reason else label
        self._event(item, meeting, "decided", at, "submitted", meeting.forum.level, note)
        if item.decision is None:  # on the list of a forum this pass made
            self.decisions.append(self._decision_row(meeting, item, rank, item.outcome, item.reason, at))
        else:
            self.decided.append((item.decision, item.outcome, item.reason, meeting.chair, at.isoformat()))

    def _decision_row(self, meeting, item, rank, outcome="", reason="", at=None) -> tuple:
        pk, self.ids["decision"] = self.ids["decision"], self.ids["decision"] + 1
        decided = (meeting.chair, at.isoformat()) if at else (None, None)
        return (pk, meeting.forum.pk, item.proposal, outcome, reason, item.volume, item.cost, rank, *decided)

    def _event(self, item: Item, meeting: Meeting, action, at, to_status, to_level, note) -> None:
        pk, self.ids["event"] = self.ids["event"], self.ids["event"] + 1
        row = (pk, item.proposal, action, meeting.chair, at.isoformat(), "submitted", to_status, meeting.forum.level)
        self.events.append((*row, to_level, note, meeting.forum.pk))

    def _hold(self, meeting: Meeting) -> None:
        """The meeting's details on its forum, approved; its attendees and delegates."""
        forum, region, rng = meeting.forum, meeting.forum.region, self.rng
        forum.status, forum.held_on, forum.starts_at = ForumStatus.APPROVED, meeting.day, datetime.time(9)
        forum.approved_at, forum.approved_by_id = meeting.at(15), meeting.chair
        forum.place = f"Balai {region.display_name}" if forum.level == Level.DESA else f"Aula {region.display_name}"
        forum.chair_name = f"{rng.choice(MEN + WOMEN)} {rng.choice(LAST_NAMES)}"
        forum.chair_title = f"{CHAIR_TITLE.get(region.kind, 'Kepala Desa')} {region.name}"
        people = [(rng.choice(WOMEN), "P")] + [(rng.choice(MEN + WOMEN), "") for _ in range(7)]
        people = [
            (f"{first} {rng.choice(LAST_NAMES)}", gender or ("P" if first in WOMEN else "L"))
            for first, gender in people
        ]
        for i, (name, gender) in enumerate(people[:3]):
            self.delegates.append((forum.pk, name, gender, ATTENDING[i], ""))
        # Six attendees, the first delegate (a woman) among them, with the elements the attendance
        # rule asks at their level (forums/attendance.py).
        elements = VILLAGE_ELEMENTS if forum.level == Level.DESA else KECAMATAN_ELEMENTS
        for i, (name, gender) in enumerate(people[:1] + people[3:]):
            self.attendees.append((forum.pk, name, elements[i], rng.choice(ATTENDING), gender, "", i < 2))

    def write(self, villages: list[Meeting], kecamatans: list[Meeting], waiting: list[Meeting]) -> None:
        for meeting in villages + kecamatans:
            self._hold(meeting)
        for meeting in waiting:  # undecided: the kabupaten/kota's forums have not met yet
            for rank, item in enumerate(meeting.items, start=1):
                self.decisions.append(self._decision_row(meeting, item, rank))
        copy_rows(
            "forums_forum", FORUM_COLUMNS, ([getattr(m.forum, c) for c in FORUM_COLUMNS] for m in kecamatans + waiting)
        )
        # The decisions before their forums turn approved: the database refuses to change an approved
        # forum's decisions (forums/migrations/0010_issued_minutes_guard.py).
        update_rows("forums_decision", ["id", "outcome", "reason", "decided_by_id", "decided_at"], self.decided)
        update_rows("forums_forum", HELD_COLUMNS, ([getattr(m.forum, c) for c in HELD_COLUMNS] for m in villages))
        copy_rows("forums_decision", DECISION_COLUMNS, self.decisions)
        copy_rows("proposals_proposalevent", EVENT_COLUMNS, self.events)
        update_rows(
            "proposals_proposal",
            ["id", "status", "level", "updated_at", "agreed_volume", "agreed_cost"],
            (
                (pk, status, level, at.isoformat(), *self.agreed.get(pk, (None, None)))
                for pk, (status, level, at) in self.proposals.items()
            ),
        )
        copy_rows("forums_delegate", ["forum_id", "name", "gender", "institution", "contact"], self.delegates)
        copy_rows(
            "forums_attendee",
            ["forum_id", "name", "element", "institution", "gender", "contact", "signs"],
            self.attendees,
        )
        Ceiling.objects.bulk_create(
            Ceiling(planning_year=self.year, region=m.forum.region, amount=m.ceiling) for m in kecamatans
        )
        for table in ("forums_forum", "forums_decision", "proposals_proposalevent"):
            move_sequence(table)


def _operators(kecamatans: list[Region]) -> dict[int, int]:
    """kecamatan id -> the id of its operator, who runs its forum; made where the seed has none."""
    names = {f"seed.{region.code}": region for region in kecamatans}
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        User(
            username=name,
            password="!seed",
            first_name="Operator",
            last_name=region.code,
            role=Role.KECAMATAN_OPERATOR,
            region=region,
        )
        for name, region in names.items()
        if name not in existing
    )
    return dict(User.objects.filter(username__in=names).values_list("region_id", "id"))


def _issue_minutes(meetings: list[Meeting], rng: random.Random) -> None:
    """Each approved forum's berita acara: numbered in its region's sequence for the year, with a
    verification code, unrendered, and queued for the worker to render and seal."""
    issued = {m.forum.pk: (m.at(15), timezone.localtime(m.at(15)).year) for m in meetings}
    counters = {
        (c.region_id, c.year): c
        for c in MinutesCounter.objects.filter(
            region__in=[m.forum.region for m in meetings], year__in={year for _at, year in issued.values()}
        )
    }
    documents, codes = [], set()
    for meeting in sorted(meetings, key=lambda m: (issued[m.forum.pk], m.forum.region.code)):
        forum, (at, year) = meeting.forum, issued[meeting.forum.pk]
        counter = counters.setdefault((forum.region_id, year), MinutesCounter(region=forum.region, year=year))
        counter.last += 1
        number = settings.MINUTES_NUMBER_PATTERN.format(
            seq=counter.last, unit=forum.region.code.replace(".", ""), year=year, forum=forum.pk
        )
        code = _verify_code(rng, codes)
        documents.append(
            MinutesDocument(forum=forum, number=number, issued_at=at, issued_by_id=meeting.chair, verify_code=code)
        )
    clashes = set(MinutesDocument.objects.filter(verify_code__in=codes).values_list("verify_code", flat=True))
    codes |= clashes
    for document in (d for d in documents if d.verify_code in clashes):
        document.verify_code = _verify_code(rng, codes)
    MinutesCounter.objects.bulk_create([c for c in counters.values() if c.pk is None])
    MinutesCounter.objects.bulk_update([c for c in counters.values() if c.pk is not None], ["last"])
    MinutesDocument.objects.bulk_create(documents, batch_size=1_000)
    for document in documents:
        render_document.enqueue(document.pk)


def _verify_code(rng: random.Random, taken: set[str]) -> str:
    """Ten characters of proposals/codes.py's alphabet, drawn from the seeded generator (the app
    draws them from `secrets`), unique among the codes of this pass; the few issued before it
    are checked once all are drawn."""
    code = "".join(rng.choice(ALPHABET) for _ in range(10))
    while code in taken:
        code = "".join(rng.choice(ALPHABET) for _ in range(10))
    taken.add(code)
    return code
