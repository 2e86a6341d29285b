"""The season's forms: a forum's plan (date, time, place, team), a monitoring team, giving many
forums one team, and creating the season's forums."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from musrenbang.form_messages import SpecificMessagesMixin

from ..models import Forum, MonitoringTeam
from .meeting import DATE_WIDGET, TIME_WIDGET


class ForumPlanForm(SpecificMessagesMixin, forms.ModelForm):
    """When and where a forum meets, and which team monitors it; `teams` are the ones that fit it."""

    class Meta:
        model = Forum
        fields = ["held_on", "starts_at", "place", "team"]
        widgets = {"held_on": DATE_WIDGET, "starts_at": TIME_WIDGET}
        labels = {"held_on": _("planned date")}

    PAIRED = {"held_on", "starts_at"}

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].empty_label = _("No team")
        if self.instance.is_approved:
            # The minutes print the date and place of an approved forum: only its team may change.
            for name in ("held_on", "starts_at", "place"):
                self.fields[name].disabled = True

    def plan(self) -> dict:
        """The changed fields, as keyword arguments for workflow.plan_forum."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}


class TeamForm(SpecificMessagesMixin, forms.ModelForm):
    class Meta:
        model = MonitoringTeam
        fields = ["name", "leader", "members"]
        widgets = {"members": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "leader": _("E.g. an assistant to the regional secretary, or the head of Bappeda."),
            "members": _("One per line: name and position."),
        }

    PAIRED = {"name", "leader"}

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_leader(self):
        return self.cleaned_data["leader"].strip()


class AssignTeamForm(SpecificMessagesMixin, forms.Form):
    """One team (or none) for the forums ticked on the board."""

    team = forms.ModelChoiceField(
        label=_("Monitoring team"), queryset=MonitoringTeam.objects.none(), required=False, empty_label=_("No team")
    )
    forum = forms.TypedMultipleChoiceField(label=_("Forums"), coerce=int, choices=(), required=True)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["forum"].error_messages["required"] = _("Tick at least one forum.")
        # Any whole number is accepted here: whether each forum is the user's to plan is the
        # workflow's to say (assign_team refuses all of them if one is not).
        if self.data:
            self.fields["forum"].choices = [(value, value) for value in self.data.getlist("forum")]

    def clean_forum(self):
        values = self.cleaned_data["forum"]
        if any(value <= 0 for value in values):
            raise forms.ValidationError(_("Tick at least one forum."))
        return values


class PlanSeasonForm(SpecificMessagesMixin, forms.Form):
    villages = forms.BooleanField(
        label=_("Also every village's forum"),
        required=False,
        help_text=_(
            "Village forums are otherwise opened by their first proposal; their dates are set by the villages or here."
        ),
    )
