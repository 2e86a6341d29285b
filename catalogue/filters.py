"""The filter bar of a catalogue's list: one plan year, narrowed by words, agency, sector,
price source and whether the item is active."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.models import PlanningYear, Sector

from .forms import agencies_of
from .models import PriceSource

ACTIVE, INACTIVE = "aktif", "nonaktif"


class CatalogueFilter(forms.Form):
    tahun = forms.ModelChoiceField(
        label=_("Plan year"),
        queryset=PlanningYear.objects.all(),
        to_field_name="year",
        required=False,
        empty_label=_("The latest plan year"),
    )
    q = forms.CharField(label=_("Words in the name"), required=False, max_length=100)
    opd = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False, empty_label=_("All agencies"))
    bidang = forms.ModelChoiceField(label=_("Sector"), queryset=None, required=False, empty_label=_("All sectors"))
    sumber = forms.ChoiceField(
        label=_("Price source"), required=False, choices=[("", _("Every source")), *PriceSource.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active and inactive")), (ACTIVE, _("Active")), (INACTIVE, _("Inactive"))],
    )

    def __init__(self, data, *, kabupaten):
        super().__init__(data)
        self.fields["opd"].queryset = agencies_of(kabupaten)
        self.fields["bidang"].queryset = Sector.objects.all()

    def year(self) -> PlanningYear | None:
        chosen = self.cleaned_data.get("tahun") if self.is_valid() else None
        return chosen or PlanningYear.objects.first()

    def apply(self, items):
        if not self.is_valid():
            return items
        data = self.cleaned_data
        items = items.matching(data["q"])
        if data["opd"] is not None:
            items = items.filter(agency=data["opd"])
        if data["bidang"] is not None:
            items = items.filter(sector=data["bidang"])
        if data["sumber"]:
            items = items.filter(price_source=data["sumber"])
        if data["status"]:
            items = items.filter(active=data["status"] == ACTIVE)
        return items
