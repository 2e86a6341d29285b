"""The proposal list's filters, limited to what the user may see.

The region filter is a drill-down, not a list of every village: it offers the children of the
chosen region (or of the user's own region), plus the way back up. A kabupaten has some twenty
kecamatan and a kecamatan some twenty villages, so no page ever renders 83,000 choices, and
each choice costs one indexed query.

The bar itself is rendered once per reader's scope, choice and language, and kept
(templates/proposals/list.html, `bar_key`): its options are reference data that changes a few
times a season, and rendering them with their queries took 5 ms of the kabupaten list's 27.
"""

from __future__ import annotations

from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from planning.models import PlanningYear, Sector
from regions.models import Agency, Level, Region

from .models import Proposal, Status
from .search import search

HANDED = "ya"

# The models the bar's options come from. A change to one, saved in this process, makes every
# kept bar of this process stale at once; other processes' bars follow within
# ProposalFilter.bar_kept seconds, as do changes written in bulk (a region import), which send
# no signal.
OPTION_SOURCES = (PlanningYear, Sector, Agency, Region)
_options = {"version": 0}


def _options_changed(**kwargs):
    _options["version"] += 1


# Connected for these four models only: a save of any other model never calls it.
for _source in OPTION_SOURCES:
    post_save.connect(_options_changed, sender=_source, dispatch_uid=f"filter-options-saved-{_source.__name__}")
    post_delete.connect(_options_changed, sender=_source, dispatch_uid=f"filter-options-deleted-{_source.__name__}")


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
    # The agency that carries the item now (after any hand-over), for those above the agencies.
    perangkat = django_filters.ModelChoiceFilter(
        label=_("Agency"), field_name="current_agency", queryset=Agency.objects.none(), empty_label=_("All agencies")
    )
    # An agency officer's own list holds what the agency carries; what it handed to another
    # agency leaves it, and stays findable here, read-only.
    diserahkan = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[(HANDED, _("Items we handed to another agency"))],
        empty_label=_("Items our agency carries"),
        method="keep_all",  # applied to the whole list in __init__
    )

    bar_kept = 60  # seconds (see OPTION_SOURCES)

    class Meta:
        model = Proposal
        fields = ["q", "planning_year", "status", "sector", "wilayah", "perangkat", "diserahkan"]

    def __init__(self, data=None, *args, request=None, queryset=None, **kwargs):
        agency = request.user.agency if request.user.role == Role.AGENCY_OFFICER else None
        if agency is not None and queryset is not None:
            carried = Q(current_agency=agency) | Q(current_agency__isnull=True, target_agency=agency)
            if (data or {}).get("diserahkan") == HANDED:
                queryset = queryset.filter(target_agency=agency).exclude(carried)
            else:
                queryset = queryset.filter(carried)
        super().__init__(data, *args, request=request, queryset=queryset, **kwargs)
        self.root = scope_region(request.user)
        self.selected = self._selected_region((data or {}).get("wilayah"))
        if self.root is not None and self.root.level == Level.DESA:
            del self.filters["wilayah"]  # a village operator sees one village: nothing to choose
        else:
            # Read only when the bar is rendered or a region is chosen (a kept bar reads nothing).
            self.filters["wilayah"].extra["choices"] = lambda: self.region_choices
        agencies = None if agency is not None else self._agencies()
        if agencies is None:
            del self.filters["perangkat"]
        else:
            self.filters["perangkat"].queryset = agencies
        if agency is None:
            del self.filters["diserahkan"]

    def _agencies(self):
        """The agencies of the kabupaten/kota in view, or a province's own; none for the whole
        country (thousands): an administrator picks a region first."""
        region = self.selected or self.root
        if region is None:
            return None
        code = region.code if region.level == Level.PROVINSI else region.code[:5]
        return Agency.objects.filter(region__code=code).order_by("code")

    def keep_all(self, queryset, name, value):
        return queryset

    def is_wide(self) -> bool:
        """Whether the list spans a whole province or the country (then it is neither counted nor
        sorted but by an index: proposals/tables.py)."""
        region = self.selected or self.root
        return region is None or region.level == Level.PROVINSI

    def _selected_region(self, code):
        region = Region.objects.coded(code)
        if region is None or (self.root is not None and not region.is_within(self.root)) or region == self.root:
            return None
        return region

    def bar_key(self) -> str:
        """What the rendered bar depends on: who reads it (role, region, agency), what the query
        string chose, and the options' version. The page adds the language."""
        user = self.request.user
        chosen = urlencode([(name, value) for name in self.form.fields for value in self.data.getlist(name)])
        return f"{user.role}:{self.root and self.root.pk}:{user.agency_id}:{_options['version']}:{chosen}"

    @cached_property
    def region_choices(self):
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
