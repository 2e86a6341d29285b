"""The officer list's filters and orders, within what the manager may see (accounts/access.py).

The region filter drills down like the proposal list's: it offers the children of the chosen
region (or of the manager's own) and the way back up, never a list of every village. Every
filter and order here is served by an index (accounts/migrations/0002): role, active and region
with the username beside them, the name, and trigrams of username and names for the search.
The region order is a join, which no index of this table serves: it is offered within a Bappeda's
area, a few thousand accounts that its region index picks first, and not across the nation, where
an administrator's list is ordered by username instead.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from regions.models import Level, Region

from . import access

STATUSES = [("", _("Active and deactivated")), ("aktif", _("Active")), ("nonaktif", _("Deactivated"))]
SORTS = {
    "wilayah": ("region__code", "username"),
    "nama": ("first_name", "last_name", "username"),
    "pengguna": ("username",),
}
SORT_CHOICES = [("wilayah", _("Region")), ("nama", _("Name")), ("pengguna", _("Username"))]
MAX_WORDS = 5


class AccountFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or username")}),
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    wilayah = forms.ChoiceField(label=_("Region"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUSES)
    urut = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data, *, manager):
        super().__init__(data)
        self.manager = manager
        self.root = access.area_of(manager)
        roles = [(role.value, role.label) for role in access.grantable_roles(manager)]
        self.fields["role"].choices = [("", _("All roles")), *roles]
        if self.root is None:
            self.fields["urut"].choices = SORT_CHOICES[1:]
        self.selected = self._selected_region(data.get("wilayah"))
        self.fields["wilayah"].choices = [("", _("All my regions")), *self._region_choices()]

    def _selected_region(self, code) -> Region | None:
        region = Region.objects.coded(code)
        if region is None or region == self.root or (self.root is not None and not region.is_within(self.root)):
            return None
        return region

    def _region_choices(self) -> list[tuple[str, str]]:
        """The path from the manager's region down to the chosen one, then the chosen one's children,
        in one query."""
        parent = self.selected or self.root
        depth = self.root.level if self.root else 0
        path = self.selected.ancestor_codes() + [self.selected.code] if self.selected else []
        below = Q(parent=parent) if parent else Q(level=Level.PROVINSI)
        regions = Region.objects.filter(Q(code__in=path, level__gt=depth) | below).order_by("code")
        return [(r.code, "\u2003" * (r.level - depth - 1) + r.display_name) for r in regions]

    def apply(self, accounts: QuerySet) -> QuerySet:
        """The accounts that match the valid filters, in the chosen order; an invalid value filters
        nothing and shows its error beside the field."""
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        if values.get("role"):
            accounts = accounts.filter(role=values["role"])
        if values.get("wilayah") and self.selected is not None:
            accounts = accounts.filter(access.in_region(self.selected))
        if values.get("status"):
            accounts = accounts.filter(is_active=values["status"] == "aktif")
        for word in (values.get("q") or "").split()[:MAX_WORDS]:
            accounts = accounts.filter(
                Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
        default = "wilayah" if self.root is not None else "pengguna"
        return accounts.order_by(*SORTS[values.get("urut") or default])
