"""The meeting itself: its details for the minutes, their revision, its delegates (attendance:
attendance.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from musrenbang.concurrency import SavedMeanwhileMixin
from musrenbang.form_messages import SpecificMessagesMixin

from ..models import Delegate, Forum

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ForumDetailsForm(SpecificMessagesMixin, SavedMeanwhileMixin, forms.ModelForm):
    """What the minutes say about the meeting itself: when, where, who chaired, what was agreed.
    Two officers may edit it at once: a save from an older page is stopped (musrenbang/concurrency.py)."""

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
            "outside_window_reason",
        ]
        widgets = {
            "held_on": DATE_WIDGET,
            "starts_at": TIME_WIDGET,
            "resource_people": forms.Textarea(attrs={"rows": 3}),
            "considerations": forms.Textarea(attrs={"rows": 4}),
            "resolutions": forms.Textarea(attrs={"rows": 4}),
            "outside_window_reason": forms.Textarea(attrs={"rows": 2}),
        }

    FIELDSETS = [
        (_("The meeting"), ["held_on", "starts_at", "place", "outside_window_reason"]),
        (_("Chair and resource people"), ["chair_name", "chair_title", "resource_people"]),
        (_("What the minutes record"), ["considerations", "resolutions"]),
    ]
    # Short fields that sit side by side.
    PAIRED = {"held_on", "starts_at", "chair_name", "chair_title"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_version()

    def fieldsets(self):
        for legend, names in self.FIELDSETS:
            yield legend, [self[name] for name in names]

    def clean(self):
        cleaned = super().clean()
        self.refuse_if_stale()
        return cleaned

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

    class Meta(ForumDetailsForm.Meta):
        # Approved minutes keep their reason for the window; a revision corrects what was printed.
        fields = [name for name in ForumDetailsForm.Meta.fields if name != "outside_window_reason"]

    FIELDSETS = [
        (_("Why"), ["reason"]),
        *(
            (legend, [name for name in names if name != "outside_window_reason"])
            for legend, names in ForumDetailsForm.FIELDSETS
        ),
    ]

    def revision(self) -> dict:
        """Keyword arguments for workflow.revise_minutes: the reason and the changed details."""
        return {"reason": self.cleaned_data["reason"], **self.details()}


class DelegateForm(SpecificMessagesMixin, forms.ModelForm):
    class Meta:
        model = Delegate
        fields = ["name", "gender", "institution", "contact"]
        widgets = {"gender": forms.RadioSelect, "contact": forms.TextInput(attrs={"inputmode": "tel"})}

    PAIRED = set()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = self.fields["gender"].choices[1:]
