"""The list of forums a user sees for one planning year."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from planning.access import can_set_planning
from planning.years import chosen_year
from proposals import paging
from regions.models import Level

from .. import access, queries

FORUMS_PER_PAGE = 50


@login_required
@require_safe
def forum_list(request):
    """The forums of the user's region and below for one planning year: the ones they run first,
    then the rest by level, a page at a time. The same few queries for 1 forum or 10,000."""
    year, years = chosen_year(request)
    level = request.GET.get("level")
    runs, others = queries.forum_board(request.user, year, level=level)
    # ?page= through the lists' one reader: not a number or below 1 is page 1, past the end the last.
    page = paging.page_of(Paginator(others, FORUMS_PER_PAGE), paging.page_number(request))
    page.object_list = queries.with_item_counts(page.object_list)
    return render(
        request,
        "forums/list.html",
        {
            "year": year,
            "years": years,
            "runs": runs,
            "page": page,
            "levels": Level.choices,
            "level": level,
            "can_set_planning": can_set_planning(request.user),
            "can_set_ceilings": access.can_set_ceilings(request.user),
        },
    )
