"""The filter bar of the delivery list: the items of one kabupaten (or smaller) and one plan
year, narrowed by stage, agency, kecamatan, regional priority or lateness."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning.models import PlanningYear, RegionalPriority
from regions.models import Agency, Region

from .models import Stage
from .queries import late_filter

NOT_REPORTED = "none"


class DeliveryFilter(forms.Form):
    """The list's filters, all optional; the plan year defaults to the one carried out this year."""

    tahun = forms.ModelChoiceField(
        label=_("Plan year"),
        queryset=PlanningYear.objects.all(),
        to_field_name="year",
        required=False,
        empty_label=_("The plan carried out this year"),
    )
    tahap = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("Every stage")), (NOT_REPORTED, _("Not reported yet")), *Stage.choices],
    )
    opd = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("All agencies")
    )
    kecamatan = forms.ModelChoiceField(
        label=_("District"), queryset=Region.objects.none(), required=False, empty_label=_("All districts")
    )
    prioritas = forms.ModelChoiceField(
        label=_("Regional priority"),
        queryset=RegionalPriority.objects.none(),
        required=False,
        empty_label=_("All priorities"),
    )
    terlambat = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, data, *, kabupaten: Region):
        super().__init__(data)
        self.fields["opd"].queryset = Agency.objects.filter(region__in=[kabupaten.pk, kabupaten.parent_id])
        self.fields["kecamatan"].queryset = Region.objects.filter(parent=kabupaten).order_by("code")
        self.fields["prioritas"].queryset = RegionalPriority.objects.filter(region=kabupaten)

    def year(self) -> PlanningYear | None:
        chosen = self.cleaned_data.get("tahun") if self.is_valid() else None
        if chosen:
            return chosen
        # By default the plan carried out this year (this year's RKPD); next year's is still in
        # its forums, with nothing to deliver yet.
        this_year = PlanningYear.objects.filter(year__lte=timezone.localdate().year).first()
        return this_year or PlanningYear.objects.first()

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
