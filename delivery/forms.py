"""The report an agency files on an accommodated item: what stands now, as of a date, and why.

One form for every stage: the fields a stage needs are required by clean() with a message that
says which (a completed item needs its date, final cost and output volume; an item not carried
out, its reason), and the database's own constraints stand behind them (delivery/models.py).
"""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.forms.fields import rupiah_field
from musrenbang.form_messages import SpecificMessagesMixin
from proposals.forms import MultipleFileField, check_photo, stored_photo

from .models import FACTS, FUNDED, SUB_ACTIVITY_CODE, Delivery, Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PHOTOS = 3


class ReportForm(SpecificMessagesMixin, forms.ModelForm):
    as_of = forms.DateField(label=_("As of"), widget=DATE, help_text=_("The day these facts are true."))
    budget_amount = rupiah_field(_("Budgeted amount (Rp)"), required=False)
    contract_value = rupiah_field(_("Contract value (Rp)"), required=False)
    final_cost = rupiah_field(_("Final cost (Rp)"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened since the last report; shown on the public page."),
    )
    photos = MultipleFileField(label=_("Photos of the works"), required=False, help_text=_("Up to 3 photos."))
    photos_public = forms.BooleanField(label=_("The photos may be shown publicly"), required=False)

    class Meta:
        model = Delivery
        fields = FACTS
        widgets = {
            "contract_date": DATE,
            "due_on": DATE,
            "completed_on": DATE,
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100, "inputmode": "numeric"})
        self.fields["budget_year"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["output_volume"].widget.attrs.update({"inputmode": "decimal", "step": "any"})
        self.fields["output_volume"].help_text = _("In %(unit)s, as built.") % {"unit": proposal.unit}
        self.fields["sub_activity_code"].widget.attrs["placeholder"] = "1.03.10.2.01.0017"
        if self.instance.pk is None:
            self.initial.setdefault("budget_year", proposal.planning_year_id and proposal.planning_year.year)
            self.initial.setdefault("budget_amount", proposal.agreed_cost)

    def clean_as_of(self):
        return self._not_future("as_of")

    def clean_contract_date(self):
        return self._not_future("contract_date")

    def clean_completed_on(self):
        return self._not_future("completed_on")

    def clean_progress(self):
        progress = self.cleaned_data.get("progress")
        if progress is not None and progress > 100:
            raise forms.ValidationError(_("Progress is a percentage: from 0 to 100."))
        return progress

    def clean_budget_year(self):
        year = self.cleaned_data.get("budget_year")
        plan_year = self.proposal.planning_year.year
        if year is not None and not plan_year - 1 <= year <= plan_year + 5:
            raise forms.ValidationError(
                _("The APBD year of a plan for %(year)d lies between %(low)d and %(high)d.")
                % {"year": plan_year, "low": plan_year - 1, "high": plan_year + 5}
            )
        return year

    def clean_sub_activity_code(self):
        code = self.cleaned_data.get("sub_activity_code", "").strip()
        if code and not re.match(SUB_ACTIVITY_CODE, code):
            raise forms.ValidationError(_("Write the sub kegiatan code as in the budget, e.g. 1.03.10.2.01.0017."))
        return code

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(_("Choose at most %(n)d photos for one report.") % {"n": MAX_PHOTOS})
        for photo in photos:
            check_photo(photo)
        return [stored_photo(photo) for photo in photos]

    def clean(self):
        data = super().clean()
        stage = data.get("stage")
        needed = {
            "budget_year": stage in FUNDED,
            "budget_amount": stage in FUNDED,
            "contract_date": stage == Stage.CONTRACTED,
            "completed_on": stage == Stage.COMPLETED,
            "final_cost": stage == Stage.COMPLETED,
            "output_volume": stage == Stage.COMPLETED,
            "reason": stage == Stage.DROPPED,
        }
        for name, required in needed.items():
            if required and data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("Fill this in for the stage “%(stage)s”.") % {"stage": Stage(stage).label})
        volume = data.get("output_volume")
        if volume is not None and volume <= 0:
            self.add_error("output_volume", _("The output volume must be more than 0."))
        if stage == Stage.COMPLETED:
            data["progress"] = 100
        if self.instance.pk and not self._news(data):
            raise forms.ValidationError(_("This report changes nothing: change a fact, or add a note or a photo."))
        return data

    def _news(self, data) -> bool:
        """Whether the report says anything: a changed fact, a note or a photo."""
        facts = [name for name in FACTS if name in self.changed_data]
        return bool(facts or data.get("note") or data.get("photos"))

    def _not_future(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future; report what has happened."))
        return value
