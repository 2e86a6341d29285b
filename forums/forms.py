"""The forms of the forum pages. They check what a form can check (a field left empty, a number
out of range) and name the field; the rules of the ladder stay in proposals/workflow.py, whose
refusals the views show on the same form."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from lokal import format_rupiah

from proposals.forms import RupiahField
from proposals.models import MAX_COST, Proposal, SpendingType
from proposals.workflow import OUTCOMES_AT
from regions.models import Agency

from .models import NEEDS_REASON, Attendee, Decision, Delegate, Forum, Outcome, RegionalPriority

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class RupiahInput(forms.TextInput):
    """Shows a stored amount the way it is written, 1.250.000; RupiahField reads it back."""

    def format_value(self, value):
        if isinstance(value, int):
            return format_rupiah(value, symbol=False)
        return super().format_value(value)


def _rupiah_field(label, **kwargs):
    return RupiahField(
        label=label,
        min_value=0,
        max_value=MAX_COST,
        widget=RupiahInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


class ForumDetailsForm(forms.ModelForm):
    """What the minutes say about the meeting itself: when, where, who chaired, what was agreed."""

    class Meta:
        model = Forum
        fields = [
            "held_on",
            "starts_at",
            "place",
            "chair_name",
            "chair_title",
            "resource_people",
            "considerations",
            "resolutions",
        ]
        widgets = {
            "held_on": DATE_WIDGET,
            "starts_at": TIME_WIDGET,
            "resource_people": forms.Textarea(attrs={"rows": 3}),
            "considerations": forms.Textarea(attrs={"rows": 4}),
            "resolutions": forms.Textarea(attrs={"rows": 4}),
        }

    FIELDSETS = [
        (_("The meeting"), ["held_on", "starts_at", "place"]),
        (_("Chair and resource people"), ["chair_name", "chair_title", "resource_people"]),
        (_("What the minutes record"), ["considerations", "resolutions"]),
    ]
    # Short fields that sit side by side.
    PAIRED = {"held_on", "starts_at", "chair_name", "chair_title"}

    def fieldsets(self):
        for legend, names in self.FIELDSETS:
            yield legend, [self[name] for name in names]

    def details(self) -> dict:
        """The changed details, as keyword arguments for update_forum / revise_minutes."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}


class RevisionForm(ForumDetailsForm):
    """A correction of approved minutes: the details that may change, and why they change."""

    reason = forms.CharField(
        label=_("Reason for the revision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Printed on the new revision, e.g. “The chair's name was misspelt.”"),
    )

    FIELDSETS = [(_("Why"), ["reason"]), *ForumDetailsForm.FIELDSETS]


class AttendeeForm(forms.ModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "institution", "gender", "contact", "signs"]
        widgets = {"gender": forms.RadioSelect}

    PAIRED = set()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = self.fields["gender"].choices[1:]  # two buttons, no empty third


class DelegateForm(forms.ModelForm):
    class Meta:
        model = Delegate
        fields = ["name", "gender", "institution", "contact"]
        widgets = {"gender": forms.RadioSelect}

    PAIRED = set()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = self.fields["gender"].choices[1:]


class DecisionForm(forms.Form):
    """The forum's decision on one item, offering only the outcomes this kind of forum may take."""

    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for every decision except a plain acceptance."),
    )
    adjusted_volume = forms.DecimalField(
        label=_("Agreed volume"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    adjusted_cost = _rupiah_field(_("Agreed cost (Rp)"), required=False)
    merged_into = forms.ModelChoiceField(
        label=_("Duplicate of"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("Choose the item it duplicates"),
        help_text=_("Only for “merged into another item”."),
    )
    handed_to = forms.ModelChoiceField(
        label=_("Hand to agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Choose the agency"),
        help_text=_("Only for “handed to another agency”."),
    )

    PAIRED = {"adjusted_volume", "adjusted_cost"}

    def __init__(self, *args, decision: Decision, merge_into=None, **kwargs):
        """`merge_into`, a proposal id from a duplicate suggestion, pre-fills a merge into that item."""
        forum = decision.forum
        kwargs.setdefault(
            "initial",
            {
                "outcome": decision.outcome,
                "reason": decision.reason,
                "adjusted_volume": decision.adjusted_volume,
                "adjusted_cost": decision.adjusted_cost,
                "merged_into": decision.merged_into_id,
                "handed_to": decision.handed_to_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.decision = decision
        outcomes = OUTCOMES_AT[(forum.kind, forum.level)]
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]
        self.fields["adjusted_volume"].help_text = _("In %(unit)s; asked %(volume)s.") % {
            "unit": decision.proposal.unit,
            "volume": f"{decision.volume.normalize():f}",
        }
        if Outcome.MERGED in outcomes:
            # The other items of this forum that still stand on their own.
            self.fields["merged_into"].queryset = Proposal.objects.filter(
                pk__in=forum.decisions.exclude(proposal_id=decision.proposal_id)
                .exclude(outcome=Outcome.MERGED)
                .values("proposal_id")
            ).order_by("tracking_code")
            self.fields["merged_into"].label_from_instance = lambda p: f"{p.tracking_code} · {p.title}"
            if merge_into and not self.is_bound:
                self._prefill_merge(merge_into)
        else:
            del self.fields["merged_into"]
        if Outcome.HANDED_OVER in outcomes:
            self.fields["handed_to"].queryset = Agency.objects.filter(region_id=forum.region_id).exclude(
                pk=forum.agency_id
            )
        else:
            del self.fields["handed_to"]

    def _prefill_merge(self, survivor_pk) -> None:
        survivors = self.fields["merged_into"].queryset
        survivor = survivors.filter(pk=survivor_pk).first() if str(survivor_pk).isdigit() else None
        if survivor is None:
            return  # not one of this forum's standing items: the form opens as it was
        # The reason goes into the minutes, which are written in Indonesian whatever the UI language.
        with translation.override("id"):
            reason = gettext("Same as proposal %(code)s %(title)s") % {
                "code": survivor.tracking_code,
                "title": survivor.title,
            }
        self.initial.update(outcome=Outcome.MERGED, merged_into=survivor.pk, reason=reason)

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome in NEEDS_REASON and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for this decision."))
        if outcome == Outcome.ACCEPTED_CHANGED:
            for name in ("adjusted_volume", "adjusted_cost"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give the agreed volume and cost."))
            if cleaned.get("adjusted_volume") == 0:
                self.add_error("adjusted_volume", _("The agreed volume must be above zero."))
        if outcome == Outcome.MERGED and cleaned.get("merged_into") is None and "merged_into" not in self.errors:
            self.add_error("merged_into", _("Choose the item this one duplicates."))
        if outcome == Outcome.HANDED_OVER and cleaned.get("handed_to") is None and "handed_to" not in self.errors:
            self.add_error("handed_to", _("Choose the agency to hand the item to."))
        return cleaned

    def decision_fields(self) -> dict:
        """Keyword arguments for workflow.decide."""
        return {
            "outcome": self.cleaned_data["outcome"],
            "reason": self.cleaned_data["reason"],
            "adjusted_volume": self.cleaned_data["adjusted_volume"],
            "adjusted_cost": self.cleaned_data["adjusted_cost"],
            "merged_into": self.cleaned_data.get("merged_into"),
            "handed_to": self.cleaned_data.get("handed_to"),
        }


SCORE_CHOICES = [("", "–")] + [(str(n), str(n)) for n in range(1, 6)]


class ScoreForm(forms.Form):
    """One score from 1 to 5 per ranking criterion of the year."""

    def __init__(self, *args, decision: Decision, criteria, **kwargs):
        given = {s.criterion_id: s.value for s in decision.scores.all()}
        kwargs.setdefault("initial", {f"c{c.pk}": given.get(c.pk) for c in criteria})
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} ({criterion.weight} %)",
                choices=SCORE_CHOICES,
                coerce=int,
                error_messages={"required": _("Score this criterion from 1 to 5.")},
            )
        self.PAIRED = set(self.fields)  # short selects, two to a row

    def values(self) -> dict:
        """Criterion -> score, for workflow.score."""
        return {c: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class CutForm(forms.Form):
    PAIRED = set()

    reason = forms.CharField(
        label=_("Reason written on the items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Left empty: “Beyond the indicative ceiling of the district.”"),
    )


class OverrideForm(forms.ModelForm):
    PAIRED = set()

    class Meta:
        model = Forum
        fields = ["override_reason"]
        widgets = {"override_reason": forms.Textarea(attrs={"rows": 3})}


class CriterionForm(forms.Form):
    """One criterion; a row emptied on both fields drops the criterion."""

    name = forms.CharField(label=_("Criterion"), max_length=120, required=False)
    weight = forms.IntegerField(
        label=_("Weight (%)"),
        min_value=1,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        name, weight = (cleaned.get("name") or "").strip(), cleaned.get("weight")
        if name and weight is None and "weight" not in self.errors:
            self.add_error("weight", _("Give this criterion's weight."))
        if weight is not None and not name:
            self.add_error("name", _("Name this criterion."))
        return cleaned


class BaseCriterionFormSet(forms.BaseFormSet):
    def criteria(self) -> list[tuple[str, int]]:
        """(name, weight) of the rows filled in, in order; blank rows are left out."""
        return [
            (form.cleaned_data["name"], form.cleaned_data["weight"])
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


def criteria_formset(data=None, *, initial):
    """Rows for the existing criteria and a few empty ones: five in all at least, two spare."""
    extra = max(2, 5 - len(initial))
    formset_class = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=extra, max_num=20)
    return formset_class(data, initial=initial, prefix="criteria")


class CeilingForm(forms.Form):
    amount = _rupiah_field(_("Indicative ceiling (Rp)"), required=False)
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

    def clean(self):
        cleaned = super().clean()
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
        return [f for f in self.forms if f.has_changed() and f.cleaned_data.get("amount") is not None]

    def total(self) -> int:
        return sum(f.ceiling.amount for f in self.forms if f.ceiling)


class PriorityForm(forms.ModelForm):
    """One regional priority of the kabupaten's RKPD and its target (sasaran daerah)."""

    class Meta:
        model = RegionalPriority
        fields = ["name", "target"]
        widgets = {"target": forms.Textarea(attrs={"rows": 2})}

    PAIRED = set()

    def clean_name(self):
        # Unique per kabupaten and year, which this form does not hold: the workflow checks that.
        return self.cleaned_data["name"].strip()


class ClassificationForm(forms.Form):
    """Where an item fits in the regional plan and the budget nomenclature (Permendagri 90/2019).

    The priorities offered are those of the item's own kabupaten/kota for its planning year;
    any other is refused as an invalid choice.
    """

    regional_priority = forms.ModelChoiceField(
        label=_("Regional priority"),
        queryset=RegionalPriority.objects.none(),
        required=False,
        empty_label=_("None chosen"),
    )
    program = forms.CharField(label=_("Programme"), max_length=255, required=False)
    activity = forms.CharField(label=_("Activity (kegiatan)"), max_length=255, required=False)
    sub_activity = forms.CharField(label=_("Sub-activity (sub kegiatan)"), max_length=255, required=False)
    activity_target = forms.CharField(label=_("Activity target (sasaran kegiatan)"), max_length=255, required=False)
    spending_type = forms.ChoiceField(label=_("Spending type"), required=False)

    PAIRED = {"sub_activity", "spending_type"}

    def __init__(self, *args, proposal: Proposal, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "regional_priority": proposal.regional_priority_id,
                **{name: getattr(proposal, name) for name in self.base_fields if name != "regional_priority"},
            },
        )
        kwargs.setdefault("prefix", "cls")  # the decision form on the same page has fields of its own
        super().__init__(*args, **kwargs)
        self.fields["regional_priority"].queryset = RegionalPriority.objects.filter(
            planning_year_id=proposal.planning_year_id, region_id=proposal.kabupaten_id
        )
        self.fields["spending_type"].choices = [("", _("None chosen")), *SpendingType.choices]

    def classification(self) -> dict:
        """Keyword arguments for workflow.classify."""
        return dict(self.cleaned_data)
