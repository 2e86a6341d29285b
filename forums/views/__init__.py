"""Forum pages. Each view fetches the forum through forums.access (write=True for a change),
calls one workflow verb or form, turns a WorkflowError into a message or a form error, and
redirects; the reads the pages need live in forums.queries.

Reading pages (the forum, its attendance, delegates and ranking) are open to everyone who may
see the forum; the forms on them, and every POST, only to the officers who run it.

- pages.py: the frame every page of one forum shares
- board.py: the list of forums
- items.py: one forum's page, its items filtered and decided many at once, the scoring grid
- meeting.py: the forum's details and delegates
- attendance.py: attendance (its table, import and counts) and the scans of the signed paper
- decisions.py: deciding, scoring and classifying an item
- order.py: the ranking page, its export, the order and the cut line
- minutes.py: approval, revisions, the minutes and Tabel T-D.4
- rules.py: the year's ranking criteria and kecamatan ceilings (Bappeda)
- season.py: the season board and calendar, its XLSX, and Bappeda's planning of the season
- teams.py: the monitoring teams (Bappeda)
"""

from .attendance import (
    attendance,
    attendance_import,
    attendance_template,
    attendee_remove,
    scan_download,
    scan_remove,
    scan_upload,
)
from .board import forum_list
from .decisions import decision_classify, decision_edit, decision_score
from .items import bulk_decide, forum_detail, score_grid
from .meeting import delegate_remove, delegates, forum_edit
from .minutes import approve, document_download, revise, td4_download
from .order import (
    ranking,
    ranking_cut,
    ranking_export,
    ranking_move,
    ranking_move_to,
    ranking_order_by_score,
    ranking_override,
    ranking_points,
)
from .rules import ceilings_edit, criteria_edit
from .season import forum_plan, season_assign, season_board, season_calendar, season_export_xlsx, season_plan
from .teams import team_delete, team_edit, team_list

__all__ = [
    "approve",
    "attendance",
    "attendance_import",
    "attendance_template",
    "attendee_remove",
    "bulk_decide",
    "ceilings_edit",
    "criteria_edit",
    "decision_classify",
    "decision_edit",
    "decision_score",
    "delegate_remove",
    "delegates",
    "document_download",
    "forum_detail",
    "forum_edit",
    "forum_list",
    "forum_plan",
    "ranking",
    "ranking_cut",
    "ranking_export",
    "ranking_points",
    "ranking_move",
    "ranking_move_to",
    "ranking_order_by_score",
    "ranking_override",
    "revise",
    "scan_download",
    "scan_remove",
    "scan_upload",
    "score_grid",
    "season_assign",
    "season_board",
    "season_calendar",
    "season_export_xlsx",
    "season_plan",
    "td4_download",
    "team_delete",
    "team_edit",
    "team_list",
]
