"""The planning pages' forms: a year's stage windows, and one regional priority."""

from django import forms
from django.utils.translation import gettext_lazy as _

from musrenbang.concurrency import SavedMeanwhileMixin, Stored
from musrenbang.form_messages import SpecificMessagesMixin
from regions.models import Level, Region

from .models import LateEntry, RegionalPriority


class ScheduleForm(SpecificMessagesMixin, SavedMeanwhileMixin, forms.Form):
    """One planning year's stage windows for the Bappeda's own region, a pair of dates per level.

    A level left blank has no window of this region's own: the province's (or the national)
    window applies to it instead. `initial` holds the windows as stored: a save from a page older
    than them is stopped (musrenbang/concurrency.py).
    """

    year = forms.IntegerField(label=_("Plan year (RKPD)"), min_value=2000, max_value=2100)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        for level in levels:
            self.fields[f"opens_{level}"] = forms.DateField(
                label=_("%(stage)s opens on") % {"stage": level.label},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[f"closes_{level}"] = forms.DateField(
                label=_("%(stage)s closes on") % {"stage": level.label},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        self.add_version()

    def stored(self):
        names = [f"{edge}_{level}" for level in self.levels for edge in ("opens", "closes")]
        return [Stored(str(self.fields[name].label), self.initial.get(name)) for name in names]

    def version_scope(self) -> str:
        return str(self.initial.get("year", ""))

    def clean(self):
        cleaned = super().clean()
        self.refuse_if_stale()
        for level in self.levels:
            opens, closes = cleaned.get(f"opens_{level}"), cleaned.get(f"closes_{level}")
            if (opens is None) != (closes is None):
                missing = f"closes_{level}" if closes is None else f"opens_{level}"
                if missing not in self.errors:
                    self.add_error(missing, _("Give both dates of this stage, or neither."))
            elif opens and closes and closes < opens:
                self.add_error(f"closes_{level}", _("A stage cannot close before it opens."))
        return cleaned

    def windows(self) -> dict:
        """level -> (opens_on, closes_on), or None for a level left blank."""
        return {
            level: (self.cleaned_data[f"opens_{level}"], self.cleaned_data[f"closes_{level}"])
            if self.cleaned_data.get(f"opens_{level}")
            else None
            for level in self.levels
        }


class PriorityForm(SpecificMessagesMixin, forms.ModelForm):
    """One regional priority of the kabupaten's RKPD and its target (sasaran daerah)."""

    class Meta:
        model = RegionalPriority
        fields = ["name", "target"]
        widgets = {"target": forms.Textarea(attrs={"rows": 2})}

    PAIRED = set()

    def clean_name(self):
        # Unique per kabupaten and year, which this form does not hold: the workflow checks that.
        return self.cleaned_data["name"].strip()


class LateEntryForm(SpecificMessagesMixin, forms.ModelForm):
    """Which of the kabupaten's villages may enter late, when, and why."""

    class Meta:
        model = LateEntry
        fields = ["villages", "opens_on", "closes_on", "reason"]
        widgets = {
            "villages": forms.CheckboxSelectMultiple,
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"reason": _("For example: the season was held on paper and is being recorded now.")}
        # Labels that end in "on" make no sentence in the messages of musrenbang/form_messages.py.
        error_messages = {
            "opens_on": {"required": _("Enter the date entry opens.")},
            "closes_on": {"required": _("Enter the date entry closes.")},
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        # The villages of the Bappeda's own kabupaten/kota, in code order: one query.
        self.fields["villages"].queryset = Region.objects.filter(
            level=Level.DESA, code__startswith=region.code + "."
        ).order_by("code")
        self.fields["villages"].label_from_instance = lambda village: f"{village.code} {village.display_name}"
