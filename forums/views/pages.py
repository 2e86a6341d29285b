"""The frame every page of one forum shares: the forum, what this user may do there, and the
paging of its long lists."""

from django.core.paginator import Page
from django.shortcuts import render

from proposals import paging

from .. import access, queries
from ..models import ForumKind

# A kecamatan forum holds 100-300 items, a kabupaten's up to 1,000: a page of 100 keeps every
# forum page under 100 KB of HTML (a 300-item ranking on one page was 402 KB). Totals, the
# running sums and the cut line are still worked out over the whole list.
ROWS_PER_PAGE = 100


def paged(request, rows, field: str = "page") -> Page:
    return paging.paged(request, rows, ROWS_PER_PAGE, field)


def page_holding(rank: int) -> int:
    """The ranking page where the item at this 1-based rank shows."""
    return (rank - 1) // ROWS_PER_PAGE + 1


def forum_page(request, template, forum, **context):
    """Render a forum page; the header's tabs need to know what this user may do here."""
    runs = access.can_run_forum(request.user, forum)
    return render(
        request,
        template,
        {
            "forum": forum,
            "runs": runs,
            "can_change": runs and not forum.is_approved,
            "needs_delegates": forum.kind == ForumKind.MUSRENBANG and forum.level in queries.DELEGATE_LEVELS,
            **context,
        },
    )
