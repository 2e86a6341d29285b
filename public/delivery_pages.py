"""The public pages of the plan's delivery: a region's accountability page (every item its plan
took in, with stage, progress and money, linked to its tracking page) and a report's public photo."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from musrenbang.files import served
from planning.models import PlanningYear
from proposals import paging
from regions.models import Level, Region

from .delivery import accountability, accountable, public_delivery_photo

PER_PAGE = 100


@require_safe
def accountability_page(request, code, year):
    """A kabupaten's or kecamatan's items taken into the plan of a year, and what became of them."""
    region = get_object_or_404(Region, code=code, level__in=[Level.KABUPATEN, Level.KECAMATAN])
    planning_year = get_object_or_404(PlanningYear, year=year)
    counts, rows = accountability(region, planning_year)
    page = paging.paged(request, rows, PER_PAGE)
    return render(
        request,
        "public/accountability.html",
        {
            "region": region,
            "year": planning_year,
            "counts": counts,
            "page": page,
            "items": [accountable(item) for item in page],
        },
    )


@require_safe
def delivery_photo(request, code, pk):
    photo = public_delivery_photo(code, pk)
    if photo is None:
        raise Http404
    return served(photo.file, content_type="image/jpeg")
