"""Whose notifications are whose, and which of their links still open.

A notification is its recipient's alone: anyone else gets a 404, as for one that does not exist.
It links to its item or forum only while the reader may still see that (proposals.access and
forums.access decide, as everywhere): an officer moved to another region keeps the notice but
not the link.
"""

from __future__ import annotations

from django.http import Http404

from forums.access import forum_scope_filter
from forums.models import Forum
from proposals.access import scope_filter
from proposals.models import Proposal

from .models import Notification


def inbox_of(user):
    """The user's notifications, newest first, with what their words need."""
    return Notification.objects.filter(recipient=user).select_related(
        "forum__region", "forum__agency", "forum__planning_year"
    )


def get_notification_for_user(user, pk) -> Notification:
    try:
        return inbox_of(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError):
        raise Http404 from None


def openable(user, notifications) -> set[int]:
    """The ids of those notifications whose item (or, for a forum's, forum) the user may open:
    two queries for a page, whatever its length."""
    notifications = list(notifications)
    proposals = {n.proposal_id for n in notifications if n.proposal_id}
    forums = {n.forum_id for n in notifications if n.forum_id and not n.proposal_id}
    seen_proposals = (
        set(Proposal.objects.filter(scope_filter(user), pk__in=proposals).values_list("pk", flat=True))
        if proposals
        else set()
    )
    seen_forums = (
        set(Forum.objects.filter(forum_scope_filter(user), pk__in=forums).values_list("pk", flat=True))
        if forums
        else set()
    )
    return {
        n.pk for n in notifications if (n.proposal_id in seen_proposals if n.proposal_id else n.forum_id in seen_forums)
    }
