"""The items: a decision on one, its scores and classification, the cut and the override."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from musrenbang.form_messages import SpecificMessagesMixin
from planning.models import RegionalPriority
from proposals.models import Proposal, SpendingType
from regions.models import Agency

from ..models import NEEDS_REASON, Decision, Forum, Outcome
from ..workflow import OUTCOMES_AT
from ..workflow.weighing import automatic_score
from .fields import rupiah_field


class DecisionForm(SpecificMessagesMixin, forms.Form):
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
    adjusted_cost = rupiah_field(_("Agreed cost (Rp)"), required=False)
    merged_into = forms.ModelChoiceField(
        label=_("Duplicate of"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("Choose the item it duplicates"),
        help_text=_("Only for “merged into another item”."),
        error_messages={"invalid_choice": _("Choose the item this one duplicates.")},
    )
    handed_to = forms.ModelChoiceField(
        label=_("Hand to agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Choose the agency"),
        help_text=_("Only for “handed to another agency”."),
        error_messages={"invalid_choice": _("Choose the agency to hand the item to.")},
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


class ScoreForm(SpecificMessagesMixin, forms.Form):
    """One score from 1 to 5 per ranking criterion of the year that the forum scores; an automatic
    one (forums/workflow/weighing.py) is listed in `automatic` with the score it gives."""

    def __init__(self, *args, decision: Decision, criteria, **kwargs):
        given = {s.criterion_id: s.value for s in decision.scores.all()}
        kwargs.setdefault("initial", {f"c{c.pk}": given.get(c.pk) for c in criteria})
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if not c.is_automatic]
        self.automatic = [(c, automatic_score(c, decision)) for c in criteria if c.is_automatic]
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


class CutForm(SpecificMessagesMixin, forms.Form):
    PAIRED = set()

    reason = forms.CharField(
        label=_("Reason written on the items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Left empty: “Beyond the indicative ceiling of the district.”"),
    )


class OverrideForm(SpecificMessagesMixin, forms.ModelForm):
    PAIRED = set()

    class Meta:
        model = Forum
        fields = ["override_reason"]
        widgets = {"override_reason": forms.Textarea(attrs={"rows": 3})}


class ClassificationForm(SpecificMessagesMixin, forms.Form):
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
