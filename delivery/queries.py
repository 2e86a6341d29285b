"""What the delivery pages read: the items of one kabupaten (or smaller) and one plan year,
filtered, with a "late" flag computed by the database, and their summaries by agency, kecamatan
and regional priority. A page is always bounded to a kabupaten: a province's Bappeda and the
administrator choose one first, so no request groups the nation's items.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Avg, Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning.models import PlanningYear, RegionalPriority
from regions.models import Agency, Region

from .models import FINISHED, Stage

NOT_REPORTED = "none"


def late_filter(today: datetime.date | None = None) -> Q:
    """Items not yet finished past their due date (delivery.models.due_date, in SQL): the planned
    completion, else the end of the APBD year, else the end of the plan's year."""
    today = today or timezone.localdate()
    return ~Q(delivery__stage__in=FINISHED) & (
        Q(delivery__due_on__lt=today)
        | Q(delivery__due_on__isnull=True, delivery__budget_year__lt=today.year)
        | Q(delivery__isnull=True, planning_year__year__lt=today.year)
    )


class DeliveryFilter(forms.Form):
    """The list's filters, all optional; the plan year defaults to the latest."""

    tahun = forms.ModelChoiceField(
        label=_("Plan year"), queryset=PlanningYear.objects.all(), to_field_name="year", required=False
    )
    tahap = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("Every stage")), (NOT_REPORTED, _("Not reported yet")), *Stage.choices],
    )
    opd = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False)
    kecamatan = forms.ModelChoiceField(label=_("District"), queryset=Region.objects.none(), required=False)
    prioritas = forms.ModelChoiceField(
        label=_("Regional priority"), queryset=RegionalPriority.objects.none(), required=False
    )
    terlambat = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, data, *, kabupaten: Region):
        super().__init__(data)
        self.fields["opd"].queryset = Agency.objects.filter(region__in=[kabupaten.pk, kabupaten.parent_id])
        self.fields["kecamatan"].queryset = Region.objects.filter(parent=kabupaten).order_by("code")
        self.fields["prioritas"].queryset = RegionalPriority.objects.filter(region=kabupaten)

    def year(self) -> PlanningYear | None:
        chosen = self.cleaned_data.get("tahun") if self.is_valid() else None
        return chosen or PlanningYear.objects.first()

    def apply(self, items):
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data["tahap"] == NOT_REPORTED:
            items = items.filter(delivery__isnull=True)
        elif data["tahap"]:
            items = items.filter(delivery__stage=data["tahap"])
        for name, column in (("opd", "current_agency"), ("kecamatan", "kecamatan"), ("prioritas", "regional_priority")):
            if data[name] is not None:
                items = items.filter(**{column: data[name]})
        if data["terlambat"]:
            items = items.filter(late_filter())
        return items


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
