"""The catalogue (kamus usulan) on the proposal form: pick an item, or say why none fits.

Where the village's kabupaten keeps a catalogue for the plan year, the form offers its active
items. A picked item decides the unit, sector, target agency and kind of work, and the cost is
the volume times its unit price, computed here on the server whatever the page sent (the page's
script only shows it as the village types). The proposal keeps the item's name and unit price as
they were when it was filed: editing a draft later keeps that price, and a price the Bappeda
changes afterwards never rewrites it. A proposal outside the catalogue needs a reason, and is
marked "di luar kamus" wherever it is listed. Without a catalogue nothing changes.

The spreadsheet import offers it too (proposals/spreadsheet: the "Kamus usulan" and "Alasan di
luar kamus" columns), each row going through this same form.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from lokal import format_rupiah

from catalogue.models import CatalogueItem

from .enums import WorkKind
from .models import MAX_COST

# What a picked item decides; typed by the village only for an item outside the catalogue.
DERIVED = ("sector", "work_kind", "unit", "estimated_cost")


class CatalogueSelect(forms.Select):
    """Each option carries what the page's script fills in when it is picked (static/js/app.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        item = getattr(value, "instance", None)
        if item is not None:
            option["attrs"].update(
                {
                    "data-unit": item.unit,
                    "data-price": item.unit_price,
                    "data-agency": item.agency_id,
                    "data-sector": item.sector_id,
                    "data-kind": WorkKind.PHYSICAL if item.physical else WorkKind.NON_PHYSICAL,
                }
            )
        return option


class CatalogueItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.unit}, {format_rupiah(obj.unit_price)})"


class CataloguePickMixin:
    """For ProposalForm: call offer_catalogue() at the end of __init__."""

    catalogue_offered = False

    def offer_catalogue(self, village, plan_year) -> None:
        if plan_year is None:
            return
        items = CatalogueItem.objects.filter(
            kabupaten__code=".".join(village.code.split(".")[:2]), planning_year=plan_year
        )
        current = self.instance.catalogue_item_id
        offered = items.filter(active=True) | items.filter(pk=current) if current else items.filter(active=True)
        if not current and not offered.exists():
            return  # no catalogue here this year
        self.catalogue_offered = True
        self.fields["catalogue_item"] = CatalogueItemField(
            label=_("Catalogue item (kamus usulan)"),
            queryset=offered.select_related("agency", "sector").order_by("name"),
            required=False,
            empty_label=_("Not in the catalogue"),
            widget=CatalogueSelect(
                attrs={
                    "data-catalogue": plan_year.year,
                    "data-search-url": reverse("catalogue:search"),
                    "data-search-label": _("Search the catalogue"),
                }
            ),
            help_text=_(
                "Picking an item fills in the unit, sector and agency; the cost is the volume times its unit price."
            ),
            initial=current,
        )
        self.fields["outside_catalogue_reason"] = forms.CharField(
            label=_("Why it is outside the catalogue"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Only when no catalogue item fits the proposal."),
            initial=self.instance.outside_catalogue_reason,
        )
        for name in DERIVED:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if self.catalogue_offered and "catalogue_item" not in self.errors:
            self._apply_catalogue(cleaned)
        return cleaned

    def _apply_catalogue(self, cleaned) -> None:
        proposal = self.instance
        item = cleaned.get("catalogue_item")
        if item is None:
            reason = (cleaned.get("outside_catalogue_reason") or "").strip()
            if not reason:
                self.add_error(
                    "outside_catalogue_reason",
                    _("Pick an item from the catalogue, or say why the proposal is outside it."),
                )
            for name in DERIVED:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, forms.ValidationError(self.fields[name].error_messages["required"]))
            proposal.catalogue_item, proposal.catalogue_name, proposal.catalogue_unit_price = None, "", None
            proposal.outside_catalogue_reason = reason
            return
        if item.pk != proposal.catalogue_item_id or proposal.catalogue_unit_price is None:
            proposal.catalogue_name, proposal.catalogue_unit_price = item.name, item.unit_price
        proposal.catalogue_item, proposal.outside_catalogue_reason = item, ""
        cleaned.update(
            unit=item.unit,
            sector=item.sector,
            target_agency=item.agency,
            work_kind=WorkKind.PHYSICAL if item.physical else WorkKind.NON_PHYSICAL,
        )
        volume = cleaned.get("volume")
        if volume is None:
            return
        cost = int((volume * Decimal(proposal.catalogue_unit_price)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if cost > MAX_COST:
            self.add_error("volume", _("At this unit price the volume costs more than any one proposal may."))
        else:
            cleaned["estimated_cost"] = cost
            self.errors.pop("estimated_cost", None)
