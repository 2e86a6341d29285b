"""The forms of the forum pages. They check what a form can check (a field left empty, a number
out of range) and name the field; the rules of the ladder stay in forums/workflow/, whose
refusals the views show on the same form. The year's rules (criteria, ceilings) save many rows
at once, so their forms call the workflow verb themselves and keep its refusal.

- fields.py: the Rupiah amount field
- meeting.py: the meeting's details and their revision, delegates
- attendance.py: the table of attendees, the scans of the signed paper
- decisions.py: the decision on an item, its scores and classification, the cut and the override
- rules.py: the ranking criteria and the kecamatan ceilings
- season.py: a forum's plan, monitoring teams, one team for many forums, creating the season
"""

from .attendance import MAX_ROWS, ROWS, AttendeeRowForm, ScanForm, attendee_rows, check_scan, more_rows
from .decisions import SCORE_CHOICES, ClassificationForm, CutForm, DecisionForm, OverrideForm, ScoreForm
from .fields import RupiahInput, rupiah_field
from .meeting import DATE_WIDGET, TIME_WIDGET, DelegateForm, ForumDetailsForm, RevisionForm
from .rules import BaseCriterionFormSet, CeilingForm, CeilingForms, CriterionForm, criteria_formset
from .season import AssignTeamForm, ForumPlanForm, PlanSeasonForm, TeamForm

__all__ = [
    "DATE_WIDGET",
    "MAX_ROWS",
    "ROWS",
    "SCORE_CHOICES",
    "TIME_WIDGET",
    "AssignTeamForm",
    "AttendeeRowForm",
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
    "ScanForm",
    "ScoreForm",
    "TeamForm",
    "attendee_rows",
    "check_scan",
    "criteria_formset",
    "more_rows",
    "rupiah_field",
]
