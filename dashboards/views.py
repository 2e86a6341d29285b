"""The staff dashboard (/dasbor/) and the public statistics (/statistik/).

Both pages show the same aggregates (dashboards.queries) over a base queryset decided
elsewhere: the staff page over what proposals.access lets the officer see, the public page over
every proposal that is not a draft. Neither ever lists an item: counts and sums only, and for a
regency or smaller a map whose points come from the lists' own GeoJSON (the staff list's, the
open record's), under the same rules as those lists. The
country's and a province's pages read the same aggregates from the precomputed summaries
instead (dashboards.summaries), adding up the statuses the reader may see.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from lokal import format_rupiah

from planning import access as planning_access
from planning.models import PlanningYear
from proposals import access
from proposals.filters import scope_region
from proposals.models import Proposal
from regions.models import Level, Region

from . import coverage, queries, summaries
from .charts import bar_chart

# The pages' figures, rendered. A summarised page's are the same for every reader until the next
# refresh, and were a third of the country's page to read and half of it to render (/statistik/,
# 18 ms): their key names the refresh. A live page (a kabupaten or smaller) counts its rows on
# every request, but its figures change far less often than they are read; their key is what
# they show (_shown_key), so two requests that count the same render once (a kabupaten's
# dashboard at 2 M proposals: 2-3 ms of its 22-26 to render, 0.4 to make the key). Each process
# keeps its own (CACHES["template_fragments"]); neither key can name figures other than those
# the page would render now.
FIGURES = caches["template_fragments"]
FIGURES_KEPT = 3600  # seconds; a refresh comes every summaries.MAX_AGE anyway


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.coded(code)
    if region is None:
        raise Http404
    return region


def _year(request, years: list[PlanningYear]) -> tuple[PlanningYear | None, list[PlanningYear]]:
    """?tahun= when it names one of the years with proposals in scope (else 404), by default the latest."""
    wanted = request.GET.get("tahun")
    if not wanted:
        return (years[0] if years else None), years
    chosen = next((y for y in years if str(y.year) == wanted), None)
    if chosen is None:
        raise Http404
    return chosen, years


def _trail(region: Region | None, top: Region | None) -> list[Region]:
    """The regions from `top` (or the whole country) down to `region`: one query."""
    if region is None:
        return []
    depth = top.level if top else 0
    above = Region.objects.filter(code__in=region.ancestor_codes(), level__gte=depth).order_by("code")
    return [*above, region]


def _count(value) -> str:
    return number_format(value)


def _percent(value) -> str:
    # The table prints the share with floatformat, which rounds; number_format would cut the digit off.
    return f"{floatformat(value, 1)}%"


def _charts(board: queries.Dashboard) -> dict:
    return {
        "status": bar_chart([(r.label, r.count) for r in board.by_status], fmt=_count),
        "sector": bar_chart([(r.label, r.total) for r in board.by_sector], fmt=format_rupiah),
        "level": bar_chart([(r.label, r.count) for r in board.by_level], fmt=_count),
        "region": bar_chart([(r.label, r.count) for r in board.by_region], fmt=_count),
        # A full bar is the whole ceiling; a kecamatan over it draws past the others.
        "ceiling": bar_chart(
            [(r.region.display_name, r.percent or 0) for r in board.ceilings], fmt=_percent, scale_max=100
        ),
    }


def _summarised(request, region: Region | None, statuses: frozenset[str], page: tuple):
    """(year, years, board, stamps, key, figures) from the summaries. `key` names this page's
    figures for this refresh (`page`: what else they depend on, _figures_key); `figures` is them
    as rendered already, and then board is None, as it is while the summaries are prepared."""
    key = figures = board = None
    with summaries.one_snapshot():
        stamps = summaries.stamps()
        year, years = _year(request, summaries.years(statuses)) if stamps.refreshed else (None, [])
        if year:
            key = _figures_key(request, page, region, year, statuses, stamps)
            figures = FIGURES.get(key)
            board = summaries.dashboard(year, region, statuses) if figures is None else None
    # After reading, outside that read-only transaction: the claim and the job are written.
    summaries.ask_if_due(stamps)
    return year, years, board, stamps, key, figures


def _figures_key(request, page: tuple, region, year, statuses, stamps) -> str:
    """What a summarised page's figures depend on: the page and the top of the reader's scope
    (`page`), the place, the reader's statuses, the year, the address's query (the year links
    keep it), the language, and the refresh they were read from; a refresh makes every key new."""
    parts = (
        *page,
        region.pk if region else 0,
        year.pk,
        ",".join(sorted(statuses)),
        request.GET.urlencode(),
        get_language(),
        stamps.refreshed.isoformat(),
    )
    return _hashed("figures", parts)


def _render(
    request,
    template: str,
    base: QuerySet[Proposal],
    region: Region | None,
    *,
    top,
    link,
    statuses,
    points: Callable[[Region, PlanningYear], str],
    home=None,
):
    """The page for one region: `top` is where the trail starts, `link(code, year)` drills down to a
    region, `statuses` those the summaries may add up for this reader (None: always live),
    `points(region, year)` the address of its map's points, `home` (public only) is the whole
    country's page."""
    stamps = figures = key = None
    if statuses is not None and summaries.covers(region):
        page = (template, top.pk if top else 0)
        year, years, board, stamps, key, figures = _summarised(request, region, statuses, page)
    else:
        year, years = _year(request, queries.years_with_proposals(base))
        board = queries.dashboard(base, year, region) if year else None
    suffix = year.year if year else ""
    trail = [(r.display_name, link(r.code, suffix)) for r in _trail(region, top)]
    if home is not None:
        trail.insert(0, (_("Indonesia"), f"{home}?tahun={suffix}" if year else home))
    if board:
        for row in board.by_region:
            row.url = link(row.region.code, year.year)
        for row in board.ceilings:
            # A village's page shows its kecamatan's ceiling: a page above the reader's scope has no link.
            readable = top is None or row.region.is_within(top)
            row.url = (
                link(row.region.code, year.year) if readable and row.region.pk != getattr(region, "pk", None) else ""
            )
    context = {
        "board": board,
        "year": year,
        "years": years,
        "region": region,
        "place": region.display_name if region else _("Indonesia"),
        "trail": trail if len(trail) > 1 else [],
        # Summarised pages say how old their figures are, or that they are not there yet.
        "as_of": stamps.refreshed if stamps else None,
        "preparing": stamps is not None and stamps.refreshed is None,
        # A map for a regency or smaller: the lists it draws from are not mapped wider.
        "points": points(region, year) if board and region is not None and region.level >= Level.KABUPATEN else "",
    }
    if key is None and board is not None:  # a live page: its figures are named by what they show
        key = _shown_key(request, template, context)
        figures = FIGURES.get(key)
    if figures is None:
        charts = _charts(board) if board else None
        figures = render_to_string("dashboards/_dashboard.html", context | {"charts": charts}, request)
        if key is not None:
            FIGURES.set(key, figures, FIGURES_KEPT)
    return render(request, template, context | {"figures": figures})


def _shown_key(request, template: str, context: dict) -> str:
    """A live page's figures named by everything they show: each count, sum, label, link and
    region name on the board, the trail, the years, the place, the address's query (the year
    links keep it) and the language. Equal keys render equal figures."""
    return _hashed("shown", (template, request.GET.urlencode(), get_language(), _plain(context)))


def _hashed(kind: str, parts: tuple) -> str:
    return f"{kind}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _plain(value):
    """The value as plain data for a key: a region by its code and shown name, a year by its
    number, a dataclass (the board and its rows) by its fields, a dict by its sorted items."""
    if isinstance(value, Region):
        return value.code, value.display_name
    if isinstance(value, Promise):  # a translated word: its text, not the object's address
        return str(value)
    if isinstance(value, PlanningYear):
        return value.year
    if dataclasses.is_dataclass(value):
        return tuple(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return tuple((k, _plain(v)) for k, v in sorted(value.items()))
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    return value


@login_required
@require_safe
def staff(request):
    """The officer's own scope, drilled down with ?wilayah= within their region only."""
    root = scope_region(request.user)
    region = _region(request.GET.get("wilayah")) or root
    if region is not None and root is not None and not region.is_within(root):
        raise Http404

    def link(code: str, year) -> str:
        return f"{reverse('dashboards:staff')}?wilayah={code}&tahun={year}"

    def points(shown: Region, year: PlanningYear) -> str:
        # The list filter knows the officer's own region without ?wilayah= (and finds none with it).
        query = {"planning_year": year.pk} | ({"wilayah": shown.code} if shown != root else {})
        return f"{reverse('proposals:points')}?{urlencode(query)}"

    return _render(
        request,
        "dashboards/staff.html",
        Proposal.objects.visible_to(request.user),
        region,
        top=root,
        link=link,
        statuses=summaries.statuses_for(request.user),
        points=points,
        # Only an administrator's view starts at the whole country.
        home=reverse("dashboards:staff") if root is None else None,
    )


@require_safe
def public(request, code: str | None = None):
    """Aggregates of every submitted proposal, for anyone, from the provinces down to a village."""
    region = _region(code)

    def link(child: str, year) -> str:
        return f"{reverse('dashboards:public_region', args=[child])}?tahun={year}"

    def points(shown: Region, year: PlanningYear) -> str:
        return f"{reverse('public:record_points')}?{urlencode({'tahun': year.year, 'wilayah': shown.code})}"

    return _render(
        request,
        "dashboards/public.html",
        Proposal.objects.filter(access.public_scope_filter()),
        region,
        top=None,
        link=link,
        statuses=summaries.SUBMITTED,
        points=points,
        home=reverse("dashboards:public_home"),
    )


@login_required
@require_safe
def targets(request):
    """How the plan covers a region's targets (dashboards/coverage.py): a Bappeda's own region by
    default, ?wilayah= a kabupaten/kota of its province; counted live for one region and year."""
    region = planning_access.get_target_region_for_user(request.user, request.GET.get("wilayah"))
    year, years = _year(request, coverage.years_with_priorities(region))
    board = coverage.coverage(region, year) if year else None
    chart = (
        bar_chart([(row.priority.name, row.total.agreed) for row in board.priorities], fmt=format_rupiah)
        if board
        else None
    )
    # A province's page links to its kabupaten/kota, whose forums place items under their own priorities.
    below = Region.objects.filter(parent=region).order_by("code") if region.level == Level.PROVINSI else []
    trail = [(r.display_name, f"{request.path}?wilayah={r.code}") for r in _trail(region, scope_region(request.user))]
    context = {"board": board, "chart": chart, "year": year, "years": years, "region": region, "below": below}
    return render(request, "dashboards/targets.html", {**context, "trail": trail if len(trail) > 1 else []})
