"""Bappeda's rules for a year, criteria and ceilings, each saving all its rows or none."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from musrenbang.concurrency import SavedMeanwhileMixin, Stored, fingerprint
from musrenbang.errors import WorkflowError
from musrenbang.form_messages import SpecificMessagesMixin

from .. import workflow
from ..models import CriterionKind
from .fields import rupiah_field


class CriterionForm(SpecificMessagesMixin, forms.Form):
    """One criterion; a row emptied on both fields drops the criterion."""

    name = forms.CharField(label=_("Criterion"), max_length=120, required=False)
    weight = forms.IntegerField(
        label=_("Weight (%)"),
        min_value=1,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(
        label=_("Scored"), choices=CriterionKind.choices, required=False, initial=CriterionKind.MANUAL
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["kind"] = cleaned.get("kind") or CriterionKind.MANUAL
        name, weight = (cleaned.get("name") or "").strip(), cleaned.get("weight")
        if name and weight is None and "weight" not in self.errors:
            self.add_error("weight", _("Give this criterion's weight."))
        if weight is not None and not name:
            self.add_error("name", _("Name this criterion."))
        return cleaned


class BaseCriterionFormSet(forms.BaseFormSet):
    refused = ""  # why the workflow refused the whole set, shown above the rows

    def criteria(self) -> list[tuple[str, int, str]]:
        """(name, weight, kind) of the rows filled in, in order; blank rows are left out."""
        return [
            (form.cleaned_data["name"], form.cleaned_data["weight"], form.cleaned_data["kind"])
            for form in self.forms
            if (form.cleaned_data.get("name") or "").strip()
        ]

    def weight_sum(self) -> int:
        """The sum of the weights as typed, for the page to show even when the form has errors."""
        total = 0
        for form in self.forms:
            raw = form["weight"].value()
            try:
                total += int(raw) if raw not in (None, "") else 0
            except (TypeError, ValueError):
                continue
        return total

    def save(self, *, actor, planning_year) -> bool:
        """Replace the year's criteria with the rows filled in; if the workflow refuses, say why in
        `refused` and save nothing."""
        try:
            workflow.set_criteria(actor=actor, planning_year=planning_year, criteria=self.criteria())
        except WorkflowError as error:
            self.refused = str(error)
            return False
        return True


def criteria_formset(data=None, *, current):
    """Rows for the `current` criteria and a few empty ones: five in all at least, two spare."""
    initial = [{"name": c.name, "weight": c.weight, "kind": c.kind} for c in current]
    extra = max(2, 5 - len(initial))
    formset_class = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=extra, max_num=20)
    return formset_class(data, initial=initial, prefix="criteria")


class CeilingForm(SpecificMessagesMixin, SavedMeanwhileMixin, forms.Form):
    """One kecamatan's row of the ceilings page. Two officers may save the page at once: a row
    sent as the page showed it leaves what is stored now alone, and a row changed on a page older
    than another's save of it is stopped (musrenbang/concurrency.py)."""

    amount = rupiah_field(_("Indicative ceiling (Rp)"), required=False)
    max_items = forms.IntegerField(
        label=_("Item limit"),
        required=False,
        min_value=0,
        max_value=32767,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, kecamatan, ceiling=None, **kwargs):
        initial = {"amount": ceiling.amount, "max_items": ceiling.max_items} if ceiling else {}
        super().__init__(*args, prefix=f"k{kecamatan.pk}", initial=initial, **kwargs)
        self.kecamatan = kecamatan
        self.ceiling = ceiling
        self.as_shown = False
        self.add_version()

    def stored(self):
        return [
            Stored(str(self.fields["amount"].label), self.ceiling.amount if self.ceiling else None),
            Stored(str(self.fields["max_items"].label), self.ceiling.max_items if self.ceiling else None),
        ]

    def clean(self):
        cleaned = super().clean()
        sent = self.sent_version()
        if sent and fingerprint([cleaned.get("amount"), cleaned.get("max_items")]) == sent:
            self.as_shown = True  # not touched on this page: whatever is stored now stands
            return cleaned
        if set(self.changed_data) - {"version"}:
            self.refuse_if_stale()
        if self.ceiling and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("A ceiling once set cannot be emptied; set it to 0 instead."))
        if self.ceiling is None and cleaned.get("max_items") is not None and cleaned.get("amount") is None:
            self.add_error("amount", _("Give the ceiling as well as the item limit."))
        return cleaned


class CeilingForms:
    """One row per kecamatan of the kabupaten: its ceiling and item limit for the year."""

    def __init__(self, data=None, *, kecamatans, ceilings):
        self.forms = [CeilingForm(data, kecamatan=k, ceiling=ceilings.get(k.pk)) for k in kecamatans]

    def __iter__(self):
        return iter(self.forms)

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])

    @property
    def errors(self) -> list:
        return [form for form in self.forms if form.errors]

    def changed(self) -> list[CeilingForm]:
        """The rows to save: filled in and different from what is stored."""
        return [
            f
            for f in self.forms
            if not f.as_shown and set(f.changed_data) - {"version"} and f.cleaned_data.get("amount") is not None
        ]

    def save(self, *, actor, planning_year) -> bool:
        """Set the changed rows' ceilings together or not at all: a refused row says why, and then
        nothing is saved."""
        try:
            with transaction.atomic():
                for row in self.changed():
                    try:
                        workflow.set_ceiling(
                            actor=actor,
                            planning_year=planning_year,
                            kecamatan=row.kecamatan,
                            amount=row.cleaned_data["amount"],
                            max_items=row.cleaned_data["max_items"],
                        )
                    except WorkflowError as error:
                        row.add_error("amount", str(error))
                        raise
        except WorkflowError:
            return False
        return True

    def total(self) -> int:
        return sum(f.ceiling.amount for f in self.forms if f.ceiling)
