"""The planning pages' forms: a year's stage windows, one regional priority, one of its indicators
(baseline and target) and one year's realisation of it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from musrenbang.concurrency import SavedMeanwhileMixin, Stored
from musrenbang.form_messages import SpecificMessagesMixin
from regions.models import Level, Region

from . import figures
from .models import Direction, Indicator, LateEntry, RegionalPriority, SourceDocument


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


class FigureField(forms.CharField):
    """A number written the Indonesian way ("4,13"), or with `ranges` a range ("0,6–1,8"): cleans
    to (low, high or None, decimal places written)."""

    def __init__(self, *, ranges=False, **kwargs):
        self.ranges = ranges
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        kwargs.setdefault("error_messages", {"required": _("Give this figure, for example 4,13.")})
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            if self.ranges:
                low, high, places = figures.parse_figure(text)
            else:
                (low, places), high = figures.parse_number(text), None
        except figures.NotANumber:
            raise forms.ValidationError(
                _("Write a number with a comma before the decimals, for example 4,13 or a range 0,6–1,8.")
                if self.ranges
                else _("Write a number with a comma before the decimals, for example 4,13.")
            ) from None
        if places > figures.MAX_DECIMALS:
            raise forms.ValidationError(_("At most four digits after the comma."))
        if max(abs(low), abs(high or 0)) >= 10**10:
            raise forms.ValidationError(_("This number is too large."))
        if high is not None and high <= low:
            raise forms.ValidationError(_("A range goes from the lower number to the higher one, for example 0,6–1,8."))
        return low, high, places


def _year_field(label):
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Give the year, for example 2025."),
            "invalid": _("Write the year in four digits, for example 2025."),
            "min_value": _("The year must lie between 2000 and 2100."),
            "max_value": _("The year must lie between 2000 and 2100."),
        },
    )


class IndicatorForm(SpecificMessagesMixin, forms.Form):
    """One indicator of a regional priority: what is measured, from which figure in which year to
    which figure by which year, and which plan says so."""

    name = forms.CharField(label=_("Indicator"), max_length=200, help_text=_("For example: stunting prevalence."))
    unit = forms.CharField(
        label=_("Unit"), max_length=60, help_text=_("For example: %, per 100.000 kelahiran hidup, tahun.")
    )
    baseline = FigureField(label=_("Baseline"), ranges=True, help_text=_("A number or a range: 4,13 or 0,6–1,8."))
    baseline_year = _year_field(_("Baseline year"))
    target = FigureField(label=_("Target"), ranges=True, help_text=_("A number or a range: 3 or 0,5–0,8."))
    target_year = _year_field(_("Target year"))
    direction = forms.ChoiceField(label=_("Better when"), choices=Direction.choices, widget=forms.RadioSelect)
    source = forms.ChoiceField(label=_("Source document"), choices=SourceDocument.choices)
    source_detail = forms.CharField(
        label=_("Document and page"),
        max_length=255,
        required=False,
        help_text=_("For example: Perda No. 3 Tahun 2024 tentang RPJPD 2025–2045, hlm. 112."),
    )

    PAIRED = {"unit", "baseline", "baseline_year", "target", "target_year", "source", "source_detail"}

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        if indicator is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(indicator, name) for name in ("name", "unit", "baseline_year", "target_year")},
                    **{name: getattr(indicator, name) for name in ("direction", "source", "source_detail")},
                    "baseline": figures.written(indicator, indicator.baseline, indicator.baseline_high),
                    "target": figures.written(indicator, indicator.target, indicator.target_high),
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        baseline_year, target_year = cleaned.get("baseline_year"), cleaned.get("target_year")
        if baseline_year and target_year and target_year < baseline_year:
            self.add_error(
                "target_year",
                _("The target year (%(target)d) cannot come before the baseline year (%(baseline)d).")
                % {"target": target_year, "baseline": baseline_year},
            )
        return cleaned

    def values(self) -> dict:
        """Keyword arguments for workflow.add_indicator and update_indicator."""
        data = self.cleaned_data
        (baseline, baseline_high, baseline_places), (target, target_high, target_places) = (
            data["baseline"],
            data["target"],
        )
        return {
            **{name: data[name] for name in ("name", "unit", "baseline_year", "target_year", "direction", "source")},
            "source_detail": data["source_detail"],
            "baseline": baseline,
            "baseline_high": baseline_high,
            "target": target,
            "target_high": target_high,
            "decimals": max(baseline_places, target_places),
        }


class RealisationForm(SpecificMessagesMixin, forms.Form):
    """What an indicator measured in one year."""

    year = _year_field(_("Year"))
    value = FigureField(label=_("Realisation"))
    note = forms.CharField(
        label=_("Source or note"),
        max_length=255,
        required=False,
        help_text=_("For example: SSGI 2024, BPS Kabupaten."),
    )

    PAIRED = {"year", "value"}
