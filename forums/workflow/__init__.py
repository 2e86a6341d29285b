"""Deliberation: the one door for every change to a forum and to the decisions it takes.

Each public verb checks who is acting (forums.access), locks the forum, changes what it must
inside one transaction, and moves proposals only through proposals.transitions (which writes
their history). A refused change raises WorkflowError with a message for the user.

Where each kind of change lives:
- ladder.py: which forum an item waits in, putting items on a list, the lock every verb takes,
  and the side of intake's seam (proposals.seams) that forums provide
- meeting.py: the meeting's details, attendance and delegates
- scans.py: the signed paper kept with a forum (attendance list, stamped berita acara)
- decisions.py: what each forum may decide, the decision on one item, classification
- ranking.py: scores, the order, cutting below the ceiling's line
- weighing.py: the weighted score, and the criterion "supports a regional priority" that scores
  itself from the item's classification
- bulk.py: deciding and scoring many items at once, through the single-item verbs
- rules.py: ranking criteria and kecamatan ceilings (Bappeda)
- season.py: the season Bappeda plans ahead: every forum created, dated and placed, and the
  monitoring teams sent to them
- approval.py: approving a forum and taking its decisions into effect
- minutes.py: numbering and issuing the berita acara, the worker task that renders and seals it,
  and revising it
"""

from musrenbang.errors import WorkflowError

from .approval import approve_forum
from .bulk import BulkResult, bulk_outcomes, decide_many, score_many
from .decisions import CLASSIFICATION_FIELDS, OUTCOMES_AT, classify, decide
from .meeting import (
    FORUM_DETAILS,
    add_attendee,
    add_attendees,
    add_delegate,
    remove_attendee,
    remove_delegate,
    update_forum,
)
from .minutes import queue_unsealed, render_document, revise_minutes
from .ranking import move, move_to, order_by_score, reject_below_line, score
from .rules import set_ceiling, set_criteria
from .scans import remove_scan, store_scan
from .season import PLAN_FIELDS, assign_team, delete_team, plan_forum, plan_season, save_team

__all__ = [
    "CLASSIFICATION_FIELDS",
    "FORUM_DETAILS",
    "OUTCOMES_AT",
    "PLAN_FIELDS",
    "BulkResult",
    "WorkflowError",
    "add_attendee",
    "add_attendees",
    "add_delegate",
    "approve_forum",
    "assign_team",
    "bulk_outcomes",
    "classify",
    "decide",
    "decide_many",
    "delete_team",
    "move",
    "move_to",
    "order_by_score",
    "plan_forum",
    "plan_season",
    "queue_unsealed",
    "reject_below_line",
    "remove_attendee",
    "remove_delegate",
    "remove_scan",
    "render_document",
    "revise_minutes",
    "save_team",
    "score",
    "score_many",
    "set_ceiling",
    "set_criteria",
    "store_scan",
    "update_forum",
]
