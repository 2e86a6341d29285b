"""The forms of the forum pages. They check what a form can check (a field left empty, a number
out of range) and name the field; the rules of the ladder stay in forums/workflow/, whose
refusals the views show on the same form. The year's rules (criteria, ceilings) save many rows
at once, so their forms call the workflow verb themselves and keep its refusal.

- fields.py: the Rupiah amount field
- meeting.py: the meeting's details and their revision, attendees and delegates
- decisions.py: the decision on an item, its scores and classification, the cut and the override
- rules.py: the ranking criteria and the kecamatan ceilings
- season.py: a forum's plan, monitoring teams, one team for many forums, creating the season
"""

from .decisions import SCORE_CHOICES, ClassificationForm, CutForm, DecisionForm, OverrideForm, ScoreForm
from .fields import RupiahInput, rupiah_field
from .meeting import DATE_WIDGET, TIME_WIDGET, AttendeeForm, DelegateForm, ForumDetailsForm, RevisionForm
from .rules import BaseCriterionFormSet, CeilingForm, CeilingForms, CriterionForm, criteria_formset
from .season import AssignTeamForm, ForumPlanForm, PlanSeasonForm, TeamForm

__all__ = [
    "DATE_WIDGET",
    "SCORE_CHOICES",
    "TIME_WIDGET",
    "AssignTeamForm",
    "AttendeeForm",
    "BaseCriterionFormSet",
    "CeilingForm",
    "CeilingForms",
    "ClassificationForm",
    "CriterionForm",
    "CutForm",
    "DecisionForm",
    "DelegateForm",
    "ForumDetailsForm",
    "ForumPlanForm",
    "OverrideForm",
    "PlanSeasonForm",
    "RevisionForm",
    "RupiahInput",
    "ScoreForm",
    "TeamForm",
    "criteria_formset",
    "rupiah_field",
]
