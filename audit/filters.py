"""The audit log's filters: kind of entry, who, and a date range. They narrow the reader's own
log (audit.access); no filter reaches past it."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import queries
from .models import EntryRegion
from .registry import Kind

# The years a date filter accepts: a planning year's own bounds (planning.PlanningYear). A date in
# year 1 or 9999 would overflow on its way to UTC.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


class LogFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for name in ("since", "until"):
            day = cleaned.get(name)
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(name, _("Give a date between 2000 and 2100."))
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until and not self.errors:
            self.add_error("until", _("The end of the range comes before its start."))
        return cleaned


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LogFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All kinds"))
    actor = django_filters.CharFilter(
        label=_("Who"),
        method="filter_actor",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Username or name")}),
    )
    since = django_filters.DateFilter(label=_("From"), method="filter_since", widget=_date_input())
    until = django_filters.DateFilter(label=_("Until"), method="filter_until", widget=_date_input())

    class Meta:
        model = EntryRegion
        fields = ["kind", "actor", "since", "until"]
        form = LogFilterForm

    def filter_actor(self, rows, name, value):
        return queries.by_actor(rows, value)

    def filter_since(self, rows, name, value):
        return queries.since(rows, value)

    def filter_until(self, rows, name, value):
        return queries.until(rows, value)
