"""The open record: every submitted proposal, for anyone, by plan year and region, searchable, each
linked to its tracking page; its map; and the same rows as open data (CSV, JSON and GeoJSON) per
kabupaten/kota and year (docs/open-data.md).

As everywhere in public/ (public/queries.py), a row is a dataclass built field by field. What a
citizen sees of a proposal: its tracking code, title, village and kecamatan, sector, kind of work,
volume and unit, the village's estimated cost, what an approved forum agreed, its status, and the
point the village placed the work at (a site, which the form asks for). Never the proposer's name
or contact, the address or RT/RW, the attachments, or any officer.

Fast at national size by design: a page is one index scan of the region's newest-first index
(proposals/models.py) with the year and status checked on the rows it meets, and no COUNT above a
kabupaten (a province or the nation pages on without one, up to paging.MAX_LAZY_PAGE, as the
officers' lists do). A download is one kabupaten/kota at most (some thirty thousand rows), streamed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from planning.models import PlanningYear
from proposals import paging
from proposals.models import Proposal, Status
from proposals.queries import public_scope_filter
from proposals.search import search
from regions.models import Level, Region

PER_PAGE = 25
# Open data is offered per kabupaten/kota or smaller: a province's or the nation's file would read
# millions of rows on a request.
DOWNLOAD_LEVELS = (Level.KABUPATEN, Level.KECAMATAN, Level.DESA)

_ROW_FIELDS = (
    "tracking_code",
    "channel",
    "title",
    "status",
    "work_kind",
    "volume",
    "unit",
    "estimated_cost",
    "agreed_cost",
    "submitted_at",
    "created_at",
    "latitude",
    "longitude",
    "village__code",
    "village__name",
    "village__level",
    "village__kind",
    "kecamatan__name",
    "kecamatan__level",
    "kecamatan__kind",
    "kabupaten__name",
    "sector__name",
    "planning_year__year",
)


@dataclass(frozen=True)
class RecordRow:
    tracking_code: str
    title: str
    village: str
    kecamatan: str
    sector: str
    status: str
    status_code: str
    estimated_cost: int
    agreed_cost: int | None
    tracking_url: str
    is_pokir: bool = False  # a DPRD member's pokok-pikiran, marked as such (includes/pokir_mark.html)


@dataclass(frozen=True)
class OpenDataRow:
    """One line of the open data; the names are the CSV's header and the JSON's keys."""

    tracking_code: str
    plan_year: int
    village_code: str
    village: str
    kecamatan: str
    kabupaten: str
    title: str
    sector: str
    work_kind: str
    channel: str
    volume: str
    unit: str
    estimated_cost: int
    agreed_cost: int | None
    status: str
    status_label: str
    submitted_on: str
    tracking_url: str
    latitude: str  # empty where the village placed no point
    longitude: str


def records(year: PlanningYear, region: Region | None, text: str = ""):
    """The public proposals of a year in a region (None: the nation), newest first, searched."""
    rows = Proposal.objects.filter(public_scope_filter(), planning_year=year)
    if region is not None:
        rows = rows.in_region(region)
    return (
        search(rows, text)
        .select_related("village", "kecamatan", "kabupaten", "sector", "planning_year")
        .only(*_ROW_FIELDS)
        .order_by("-created_at", "-id")
    )


def counted(region: Region | None) -> bool:
    """Whether a list is small enough to count (a kabupaten or below)."""
    return region is not None and region.level >= Level.KABUPATEN


@dataclass(frozen=True)
class RecordPage:
    rows: list[RecordRow]
    number: int
    has_previous: bool
    has_next: bool
    total: int | None  # None where the list is not counted
    too_deep: bool  # past paging.MAX_LAZY_PAGE of an uncounted list


def page_of(request, queryset, *, count: bool) -> RecordPage:
    number = paging.page_number(request)
    if count:
        page = paging.page_of(Paginator(queryset, PER_PAGE), number)
        return RecordPage(
            [record_row(p) for p in page.object_list],
            page.number,
            page.has_previous(),
            page.has_next(),
            page.paginator.count,
            False,
        )
    if number > paging.MAX_LAZY_PAGE:
        return RecordPage([], number, True, False, None, True)
    start = (number - 1) * PER_PAGE
    fetched = list(queryset[start : start + PER_PAGE + 1])  # one more: is there a next page?
    return RecordPage(
        [record_row(p) for p in fetched[:PER_PAGE]], number, number > 1, len(fetched) > PER_PAGE, None, False
    )


def _tracking_url(proposal: Proposal) -> str:
    return reverse("public:track_detail", args=[proposal.tracking_code]) if proposal.tracking_code else ""


def record_row(proposal: Proposal) -> RecordRow:
    return RecordRow(
        tracking_code=proposal.tracking_code or "",
        title=proposal.title,
        village=proposal.village.display_name,
        kecamatan=proposal.kecamatan.display_name,
        sector=proposal.sector.name,
        status=Status(proposal.status).label,
        status_code=proposal.status,
        estimated_cost=proposal.estimated_cost,
        agreed_cost=proposal.agreed_cost,
        tracking_url=_tracking_url(proposal),
        is_pokir=proposal.is_pokir,
    )


def open_data_rows(year: PlanningYear, region: Region) -> Iterator[OpenDataRow]:
    """Every public proposal of a kabupaten/kota (or smaller) and year, oldest first, streamed."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    rows = records(year, region).order_by("created_at", "id").iterator(chunk_size=2000)
    for p in rows:
        submitted = timezone.localtime(p.submitted_at or p.created_at).date()
        yield OpenDataRow(
            tracking_code=p.tracking_code or "",
            plan_year=p.planning_year.year,
            village_code=p.village.code,
            village=p.village.name,
            kecamatan=p.kecamatan.name,
            kabupaten=p.kabupaten.name,
            title=p.title,
            sector=p.sector.name,
            work_kind=p.work_kind,
            channel=p.channel,
            volume=_plain(p.volume),
            unit=p.unit,
            estimated_cost=p.estimated_cost,
            agreed_cost=p.agreed_cost,
            status=p.status,
            status_label=str(Status(p.status).label),
            submitted_on=submitted.isoformat(),
            tracking_url=f"{base}{_tracking_url(p)}" if p.tracking_code else "",
            latitude=_plain(p.latitude),
            longitude=_plain(p.longitude),
        )


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


HEADER = tuple(OpenDataRow.__dataclass_fields__)

# What a point on the public map says (proposals/geo.py draws it): the record row's public fields.
POINT_FIELDS = (
    "tracking_code",
    "title",
    "status",
    "village__level",
    "village__kind",
    "kecamatan__level",
    "kecamatan__kind",
    "sector__name",
)


def point_properties(proposal: Proposal) -> dict:
    return {
        "tracking_code": proposal.tracking_code or "",
        "title": proposal.title,
        "status": proposal.status,
        "status_label": str(Status(proposal.status).label),
        "village": proposal.village.display_name,
        "kecamatan": proposal.kecamatan.display_name,
        "sector": proposal.sector.name,
        "tracking_url": _tracking_url(proposal),
    }


def open_data_features(rows: Iterator[OpenDataRow]) -> Iterator[str]:
    """The open data as one GeoJSON FeatureCollection, written as it is read: a Feature for each
    placed proposal (its fields as properties), and at the end how many have no point."""
    yield '{"type": "FeatureCollection", "features": ['
    without = placed = 0
    for row in rows:
        if not row.latitude:
            without += 1
            continue
        properties = {k: v for k, v in asdict(row).items() if k not in ("latitude", "longitude")}
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row.longitude), float(row.latitude)]},
            "properties": properties,
        }
        yield ("," if placed else "") + "\n" + json.dumps(feature, ensure_ascii=False)
        placed += 1
    yield f'\n], "without_coordinates": {without}}}\n'


def downloadable(region: Region | None) -> bool:
    return region is not None and region.level in DOWNLOAD_LEVELS


def latest_year() -> PlanningYear | None:
    """The newest plan year whose intake has begun (next year's, in the season)."""
    today = timezone.localdate()
    return PlanningYear.objects.filter(year__lte=today.year + 1).order_by("-year").first() or (
        PlanningYear.objects.order_by("year").first()
    )


def file_name(region: Region, year: PlanningYear, extension: str) -> str:
    return f"usulan-{region.code}-{year.year}.{extension}"
