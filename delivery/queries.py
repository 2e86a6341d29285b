"""What the delivery pages read: the "late" flag computed by the database, and the summaries
by agency, kecamatan and regional priority. A page is always bounded to a kabupaten: a province's Bappeda and the
administrator choose one first, so no request groups the nation's items.
"""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import FINISHED, Stage


def late_filter(today: datetime.date | None = None) -> Q:
    """Items not yet finished past their due date (delivery.models.due_date, in SQL): the planned
    completion, else the end of the APBD year, else the end of the plan's year."""
    today = today or timezone.localdate()
    return ~Q(delivery__stage__in=FINISHED) & (
        Q(delivery__due_on__lt=today)
        | Q(delivery__due_on__isnull=True, delivery__budget_year__lt=today.year)
        | Q(delivery__isnull=True, planning_year__year__lt=today.year)
    )


def summaries(items) -> dict[str, list[dict]]:
    """Per agency, kecamatan and regional priority: items, reported, completed, late, average
    progress (an unreported item counts as 0 %), money budgeted and spent. One query each."""
    figures = {
        "count": Count("pk"),
        "reported": Count("delivery"),
        "completed": Count("pk", filter=Q(delivery__stage=Stage.COMPLETED)),
        "dropped": Count("pk", filter=Q(delivery__stage=Stage.DROPPED)),
        "late": Count("pk", filter=late_filter()),
        "progress": Coalesce(Avg(Coalesce("delivery__progress", Value(0))), Value(0.0)),
        "agreed": Coalesce(Sum("agreed_cost"), Value(0)),
        "budgeted": Coalesce(Sum("delivery__budget_amount"), Value(0)),
        "spent": Coalesce(Sum("delivery__final_cost"), Value(0)),
    }
    by = {
        "agency": ("current_agency__name", "current_agency__short_name"),
        "kecamatan": ("kecamatan__name",),
        "priority": ("regional_priority__name",),
    }
    return {
        name: list(items.order_by().values(*columns).annotate(**figures).order_by(columns[0]))
        for name, columns in by.items()
    }
