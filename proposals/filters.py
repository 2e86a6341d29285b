"""The proposal list's filters, limited to what the user may see.

The region filter is a drill-down, not a list of every village: it offers the children of the
chosen region (or of the user's own region), plus the way back up. A kabupaten has some twenty
kecamatan and a kecamatan some twenty villages, so no page ever renders 83,000 choices, and
each choice costs one indexed query.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from planning.models import PlanningYear
from regions.models import Level, Region

from .models import Proposal, Sector, Status
from .search import search


def scope_region(user) -> Region | None:
    """The region at the top of the user's view; None for administrators (the whole country)."""
    if user.role == Role.AGENCY_OFFICER and user.agency_id:
        return user.agency.region
    return user.region if user.role != Role.ADMIN else None


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words from the proposal, or its code")}),
    )
    planning_year = django_filters.ModelChoiceFilter(
        label=_("Planning year"), queryset=PlanningYear.objects.all(), empty_label=_("All years")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("All statuses"))
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("All sectors")
    )
    wilayah = django_filters.ChoiceFilter(label=_("Region"), method="filter_region", empty_label=_("All my regions"))

    class Meta:
        model = Proposal
        fields = ["q", "planning_year", "status", "sector", "wilayah"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        self.root = scope_region(request.user)
        self.selected = self._selected_region((data or {}).get("wilayah"))
        if self.root is not None and self.root.level == Level.DESA:
            del self.filters["wilayah"]  # a village operator sees one village: nothing to choose
        else:
            self.filters["wilayah"].extra["choices"] = self._region_choices()

    def _selected_region(self, code):
        if not code or "\x00" in code:  # PostgreSQL refuses a NUL in a query: a 500, not "no such region"
            return None
        region = Region.objects.filter(code=code).first()
        if region is None or (self.root is not None and not region.is_within(self.root)) or region == self.root:
            return None
        return region

    def _region_choices(self):
        """The path from the user's region down to the chosen one, then the chosen one's children."""
        parent = self.selected or self.root
        path_codes = self.selected.ancestor_codes() + [self.selected.code] if self.selected else []
        root_depth = self.root.level if self.root else 0
        path = Region.objects.filter(code__in=path_codes, level__gt=root_depth)
        children = Region.objects.filter(parent=parent) if parent else Region.objects.filter(level=Level.PROVINSI)
        regions = sorted({*path, *children.order_by("code")}, key=lambda r: r.code)
        return [(r.code, "\u2003" * (r.level - root_depth - 1) + r.display_name) for r in regions]

    def filter_region(self, queryset, name, value):
        if self.selected is None:
            return queryset.none()
        return queryset.in_region(self.selected)

    def filter_text(self, queryset, name, value):
        return search(queryset, value)
