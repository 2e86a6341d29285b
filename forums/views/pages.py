"""The frame every page of one forum shares: the forum, and what this user may do there."""

from django.shortcuts import render

from .. import access, queries
from ..models import ForumKind


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
