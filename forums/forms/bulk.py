"""Forms that work on many items of a forum at once: one decision for a selection, and the
scoring grid (every item of a page against every criterion)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from musrenbang.form_messages import SpecificMessagesMixin

from ..models import NEEDS_REASON, Decision, Forum
from ..workflow import bulk_outcomes
from ..workflow.weighing import automatic_score

# What the forum's item list shows (?tampil=): every item, those waiting for a decision, or the
# agreed items below the ceiling's cut line. The bulk decision can take all the items shown.
SHOW_ALL, SHOW_PENDING, SHOW_BELOW = "semua", "menunggu", "bawah-garis"
SHOW_CHOICES = [
    (SHOW_ALL, _("All items")),
    (SHOW_PENDING, _("Waiting for a decision")),
    (SHOW_BELOW, _("Agreed, below the cut line")),
]

SELECTED, SHOWN = "selected", "shown"


class BulkDecisionForm(SpecificMessagesMixin, forms.Form):
    """The same decision and reason for the ticked items, or for every item the list shows."""

    scope = forms.ChoiceField(label=_("Items"), widget=forms.RadioSelect, initial=SELECTED)
    items = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.MultipleHiddenInput)
    outcome = forms.ChoiceField(label=_("Decision"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Written on every chosen item; required for every decision except a plain acceptance."),
    )

    PAIRED = set()

    # The items may be the forum's decisions or, on a page that only shows the form, their
    # standings (forums.queries.standings_of): only their ids and outcomes are read until chosen().
    def __init__(self, *args, forum: Forum, decisions: list, shown: list, **kwargs):
        super().__init__(*args, prefix="bulk", **kwargs)
        self.decisions, self.shown = decisions, shown
        self.fields["items"].choices = [(d.pk, d.pk) for d in decisions]
        self.fields["outcome"].choices = [("", _("Choose the decision"))] + [
            (o.value, o.label) for o in bulk_outcomes(forum)
        ]
        self.fields["scope"].choices = [
            (SELECTED, _("The items ticked in the list")),
            (SHOWN, _("All %(n)d items the list shows") % {"n": len(shown)}),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == SELECTED and not cleaned.get("items"):
            self.add_error("scope", _("Tick at least one item in the list, or choose all the items the list shows."))
        if cleaned.get("scope") == SHOWN and not self.shown:
            self.add_error("scope", _("The list shows no items."))
        if cleaned.get("outcome") in NEEDS_REASON and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for this decision."))
        return cleaned

    def chosen(self) -> list[Decision]:
        """The items to decide, in the forum's order."""
        if self.cleaned_data["scope"] == SHOWN:
            return list(self.shown)
        ticked = set(self.cleaned_data["items"])
        return [d for d in self.decisions if d.pk in ticked]


class Automatic:
    """A grid cell no one types in: the score of "supports a regional priority" (weighing.py)."""

    automatic = True

    def __init__(self, value: int):
        self.value = value


class ScoreGridForm(SpecificMessagesMixin, forms.Form):
    """One row per item, one 1-5 score per criterion the forum scores (an automatic criterion's
    cell shows its score). A row left empty is not saved; a row filled in part is an error; only
    the rows whose scores changed are saved (each gets one event)."""

    def __init__(self, *args, decisions: list[Decision], criteria, **kwargs):
        self.columns = list(criteria)
        self.criteria = [c for c in self.columns if not c.is_automatic]
        self.decisions = list(decisions)
        self.given = {d.pk: {s.criterion_id: s.value for s in d.scores.all()} for d in self.decisions}
        kwargs.setdefault(
            "initial",
            {self.key(d, c): self.given[d.pk].get(c.pk) for d in self.decisions for c in self.criteria},
        )
        super().__init__(*args, **kwargs)
        for decision in self.decisions:
            for criterion in self.criteria:
                label = f"{criterion.name}: {decision.proposal.title}"
                self.fields[self.key(decision, criterion)] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=1,
                    max_value=5,
                    error_messages={
                        "invalid": _("A whole number from 1 to 5."),
                        "min_value": _("A whole number from 1 to 5."),
                        "max_value": _("A whole number from 1 to 5."),
                    },
                    widget=forms.NumberInput(
                        attrs={"inputmode": "numeric", "min": 1, "max": 5, "class": "score", "aria-label": label}
                    ),
                )

    @staticmethod
    def key(decision: Decision, criterion) -> str:
        return f"s{decision.pk}_{criterion.pk}"

    def clean(self):
        cleaned = super().clean()
        for decision in self.decisions:
            names = [self.key(decision, c) for c in self.criteria]
            if any(name in self.errors for name in names):
                continue
            filled = [name for name in names if cleaned.get(name) is not None]
            if filled and len(filled) < len(names):
                for name in names:
                    if cleaned.get(name) is None:
                        self.add_error(name, _("Score every criterion of this item, or none."))
        return cleaned

    def rows(self):
        """(item, a field or an Automatic per criterion, the error of its row) for the template, in
        the forum's order."""
        for decision in self.decisions:
            fields = [self[self.key(decision, c)] for c in self.criteria]
            cells = [
                Automatic(automatic_score(c, decision)) if c.is_automatic else self[self.key(decision, c)]
                for c in self.columns
            ]
            yield decision, cells, next((e for f in fields for e in f.errors), "")

    def changed_values(self) -> dict[Decision, dict]:
        """Item -> {criterion: score} for the complete rows whose scores differ from those stored."""
        changed = {}
        for decision in self.decisions:
            scores = {c: self.cleaned_data.get(self.key(decision, c)) for c in self.criteria}
            if None in scores.values():
                continue
            if {c.pk: v for c, v in scores.items()} != {c.pk: self.given[decision.pk].get(c.pk) for c in self.criteria}:
                changed[decision] = scores
        return changed
