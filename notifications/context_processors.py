"""The header's "Inbox (N)": one COUNT on the inbox index, and only when a page shows it."""

from __future__ import annotations

from functools import cached_property

from .models import Notification

# Above this, the header says "99+": the count stops there instead of counting a long backlog.
SHOWN_MAX = 99


class Unread:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        # A LIMIT inside the count: an officer with thousands unread costs no more than one with 100.
        return Notification.objects.filter(recipient=self.user, read_at__isnull=True)[: SHOWN_MAX + 1].count()

    def __str__(self) -> str:
        return f"{SHOWN_MAX}+" if self.count > SHOWN_MAX else str(self.count)


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread": Unread(user)}
