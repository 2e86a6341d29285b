"""Reading a region's audit log."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import EntryRegion


def log_of(code: str) -> QuerySet[EntryRegion]:
    """The entries of one log (a region's code, "" the nation's), newest first: a walk down the
    audit_region_newest index (region_code, -at, -entry) that stops at the page."""
    return (
        EntryRegion.objects.filter(region_code=code)
        .select_related("entry", "entry__actor", "entry__content_type")
        .order_by("-at", "-entry_id")
    )


def by_actor(rows: QuerySet[EntryRegion], text: str) -> QuerySet[EntryRegion]:
    """Entries made by the officer with this username, or whose name holds every word of the text."""
    text = text.strip()
    if not text:
        return rows
    named = Q()
    for word in text.split():  # "budi santoso": both words, each in the first or the last name
        named &= Q(entry__actor__first_name__icontains=word) | Q(entry__actor__last_name__icontains=word)
    return rows.filter(Q(entry__actor__username__iexact=text) | named)


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of a day in the site's time zone, so that a date range stays a range on
    the indexed timestamp instead of a date() of every row."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def since(rows: QuerySet[EntryRegion], day: datetime.date) -> QuerySet[EntryRegion]:
    return rows.filter(at__gte=start_of(day))


def until(rows: QuerySet[EntryRegion], day: datetime.date) -> QuerySet[EntryRegion]:
    return rows.filter(at__lt=start_of(day + datetime.timedelta(days=1)))
