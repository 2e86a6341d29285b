"""Proposals as points on a map: the one GeoJSON builder behind every map (static/js/map.js).

A map draws what a list shows, so each caller hands in the list's own rows (scoped and filtered:
the officer's list, a forum's items, the open record) and what a point may say of a proposal
(`describe`). The builder adds what a map needs beside the points, as members of the
FeatureCollection (RFC 7946, 6.1):

- `without_coordinates`: the rows no one has placed, counted, not hidden;
- `left_out`: the placed rows past MAX_POINTS, for a map stays usable on a phone up to a few
  thousand points (a kabupaten holds up to about 30,000 proposals; narrow the filters to see them);
- `labels`: the region names at the centre of their points (by village within one kecamatan, else
  by kecamatan), drawn when no tile server is set, so that the markers still read as places;
- `note`: those counts as a sentence in the reader's language.

Two queries whatever the row count: one counts the rows and the placed ones, one reads the
points. Callers keep both on an index: a region no wider than a kabupaten, or one forum.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .enums import Status
from .models import Proposal

MAX_POINTS = 5000
PLACED = Q(latitude__isnull=False, longitude__isnull=False)
CONTENT_TYPE = "application/geo+json"
# What a point's query reads besides what its description asks for.
POINT_FIELDS = ("latitude", "longitude", "village__name", "kecamatan__name")

Describe = Callable[[Proposal], dict]


def point(proposal: Proposal, properties: dict) -> dict:
    """One GeoJSON Feature: longitude first, as GeoJSON orders them."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(proposal.longitude), float(proposal.latitude)]},
        "properties": properties,
    }


def staff_properties(proposal: Proposal) -> dict:
    """What an officer's map says of a proposal it may see: the list row's own fields."""
    return {
        "code": proposal.tracking_code or "",
        "title": proposal.title,
        "status": proposal.status,
        "status_label": str(Status(proposal.status).label),
        "village": proposal.village.name,
        "kecamatan": proposal.kecamatan.name,
        "url": proposal.get_absolute_url(),
    }


STAFF_FIELDS = ("tracking_code", "title", "status")


def collection(rows: QuerySet[Proposal], describe: Describe, fields: tuple[str, ...]) -> dict:
    """The FeatureCollection of `rows`, in their own order, the first MAX_POINTS placed ones;
    `describe` says what a point tells of its proposal, reading only `fields` of it."""
    counts = rows.aggregate(total=Count("pk"), placed=Count("pk", filter=PLACED))
    reads = (*fields, *POINT_FIELDS)
    joins = sorted({field.split("__")[0] for field in reads if "__" in field})
    points = list(rows.filter(PLACED).select_related(None).select_related(*joins).only(*reads)[:MAX_POINTS])
    without = counts["total"] - counts["placed"]
    left_out = counts["placed"] - len(points)
    return {
        "type": "FeatureCollection",
        "features": [point(p, describe(p)) for p in points],
        "without_coordinates": without,
        "left_out": left_out,
        "labels": labels(points),
        "note": note(without, left_out, len(points)),
    }


def empty(reason: str) -> dict:
    """No points, and why (a region too wide to map on a request)."""
    return {
        "type": "FeatureCollection",
        "features": [],
        "without_coordinates": 0,
        "left_out": 0,
        "labels": [],
        "note": reason,
    }


def labels(points: list[Proposal]) -> list[dict]:
    """Each village's name at the mean of its points when they lie in one kecamatan; else each
    kecamatan's. Proposals of one village sit within a few kilometres: the mean is inside it."""
    by_village = len({p.kecamatan_id for p in points}) <= 1
    groups: dict[str, list[Proposal]] = defaultdict(list)
    for p in points:
        groups[p.village.name if by_village else p.kecamatan.name].append(p)
    return [
        {
            "name": name,
            "lat": round(sum(float(p.latitude) for p in group) / len(group), 6),
            "lon": round(sum(float(p.longitude) for p in group) / len(group), 6),
        }
        for name, group in sorted(groups.items())
    ]


def note(without: int, left_out: int, shown: int) -> str:
    """The counts beside the map, in the reader's language ("" when every row is on it)."""
    parts = []
    if without:
        parts.append(
            ngettext(
                "%(count)s proposal has no coordinates and is not on the map.",
                "%(count)s proposals have no coordinates and are not on the map.",
                without,
            )
            % {"count": number_format(without, force_grouping=True)}
        )
    if left_out:
        parts.append(
            _("The map shows the first %(shown)s points; %(left)s more are left out: narrow the filters to see them.")
            % {"shown": number_format(shown, force_grouping=True), "left": number_format(left_out, force_grouping=True)}
        )
    return " ".join(parts)


def response(data: dict) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=CONTENT_TYPE)
