"""The form a Bappeda keeps a catalogue item with; the spreadsheet import checks each row with it."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from musrenbang.form_messages import SpecificMessagesMixin
from musrenbang.rupiah import RupiahField, RupiahInput
from regions.models import Agency

from .models import MAX_UNIT_PRICE, SUB_ACTIVITY_CODE, CatalogueItem, folded


def agencies_of(kabupaten):
    """The agencies that may carry an item of this kabupaten's catalogue: its own and its province's."""
    return Agency.objects.filter(region_id__in=[kabupaten.pk, kabupaten.parent_id]).select_related("region")


class CatalogueItemForm(SpecificMessagesMixin, forms.ModelForm):
    unit_price = RupiahField(
        label=_("Unit price (Rp)"),
        min_value=1,
        max_value=MAX_UNIT_PRICE,
        help_text=_("Whole Rupiah per unit, as the price list gives it, e.g. 350.000."),
        widget=RupiahInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = CatalogueItem
        fields = [
            "name",
            "definition",
            "unit",
            "unit_price",
            "price_source",
            "agency",
            "sector",
            "physical",
            "sub_activity_code",
            "active",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, kabupaten, planning_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kabupaten = kabupaten
        self.instance.planning_year = planning_year
        self.fields["agency"].queryset = agencies_of(kabupaten)
        self.fields["sub_activity_code"].widget.attrs["placeholder"] = "1.03.10.2.01.0017"
        self.fields["unit"].widget.attrs["placeholder"] = _("e.g. m²")

    def clean_name(self):
        name = re.sub(r"\s+", " ", self.cleaned_data.get("name", "")).strip()
        others = CatalogueItem.objects.of(self.instance.kabupaten, self.instance.planning_year)
        if others.filter(search_name=folded(name)).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The catalogue of this year already has an item of this name."))
        return name

    def clean_sub_activity_code(self):
        code = self.cleaned_data.get("sub_activity_code", "").strip()
        if code and not re.match(SUB_ACTIVITY_CODE, code):
            raise forms.ValidationError(_("Write the sub kegiatan code as in the budget, e.g. 1.03.10.2.01.0017."))
        return code

    def validate_unique(self):
        # The name is checked above, as typed, ignoring case and accents; search_name is set on save.
        pass
