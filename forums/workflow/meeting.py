"""The meeting itself: its details (date, place, chair, the minutes' texts), who attended, and
the delegates it elects. Each verb locks the forum and checks that the actor runs it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError

from .. import queries
from ..models import Attendee, Delegate, Forum, ForumStatus
from .ladder import lock_forum

# What the minutes say about the meeting itself; staff may correct these even after approval,
# through a revision. The decisions and their order never change once approved.
FORUM_DETAILS = frozenset(
    {"held_on", "starts_at", "place", "chair_name", "chair_title", "resource_people", "considerations", "resolutions"}
)


def update_forum(*, actor, forum: Forum, **fields) -> Forum:
    """Change a forum's details (date, place, chair, considerations, decisions text, the reasons for
    exceeding the ceiling and for meeting outside the stage window).

    Refused, saving nothing, when the date falls outside the window of the forum's stage
    (queries.window_problems) and the forum records no reason for that.
    """
    unknown = set(fields) - FORUM_DETAILS - {"override_reason", "outside_window_reason"}
    if unknown:
        raise ValueError(f"not forum details: {sorted(unknown)}")
    with transaction.atomic():
        locked = lock_forum(actor, forum)
        for name, value in fields.items():
            setattr(locked, name, value)
        if {"held_on", "outside_window_reason"} & set(fields):
            problems = queries.window_problems(locked)
            if problems:
                raise WorkflowError(" ".join(problems))
        if locked.status == ForumStatus.PREPARING and locked.held_on:
            locked.status = ForumStatus.IN_SESSION
            fields["status"] = locked.status
        locked.save(update_fields=sorted(fields))
    return locked


def add_attendee(*, actor, forum: Forum, **fields) -> Attendee:
    return add_attendees(actor=actor, forum=forum, rows=[fields])[0]


def add_attendees(*, actor, forum: Forum, rows: list[dict]) -> list[Attendee]:
    """Put people on the forum's attendance list, all or none: a filled-in table of the
    attendance page or the rows of an imported spreadsheet, already checked by their forms.

    Saved row by row (not bulk_create), so that the audit log records each person added.
    Refused once the forum is approved, or to anyone but its officers.
    """
    if not rows:
        raise WorkflowError(_("No attendee was filled in."))
    with transaction.atomic():
        locked = lock_forum(actor, forum)
        return [Attendee.objects.create(forum=locked, **fields) for fields in rows]


def remove_attendee(*, actor, attendee: Attendee) -> None:
    with transaction.atomic():
        lock_forum(actor, attendee.forum)
        attendee.delete()


def add_delegate(*, actor, forum: Forum, **fields) -> Delegate:
    """Elect a delegate. At most five: the rule (3 to 5, at least one woman) is checked at approval."""
    with transaction.atomic():
        locked = lock_forum(actor, forum)
        if locked.delegates.count() >= queries.MAX_DELEGATES:
            raise WorkflowError(_("A forum elects at most %(n)d delegates.") % {"n": queries.MAX_DELEGATES})
        return Delegate.objects.create(forum=locked, **fields)


def remove_delegate(*, actor, delegate: Delegate) -> None:
    with transaction.atomic():
        lock_forum(actor, delegate.forum)
        delegate.delete()
