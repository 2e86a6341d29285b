"""Forums (musyawarah) and what they decide.

A Forum is one Musrenbang for one planning year, at one level, for one region; at the
kabupaten/kota there is also one Forum Perangkat Daerah per agency. Each proposal that reaches
a forum gets one Decision row there, pending until the forum decides it; the rows of lower
forums stay as they were. Approving a forum freezes its decisions and their order and issues
its minutes (MinutesDocument), which never change afterwards: a correction is a new revision.

forum.py holds the forum, its meeting and decisions; rules.py the year's criteria and ceilings;
minutes.py what it issues;
season.py the monitoring teams Bappeda sends to the forums of its season; scans.py the signed
paper (attendance list, berita acara) kept beside what the app issued.
Every change goes through forums/workflow/.
"""

from .forum import (
    AGREED,
    DECISION_COST,
    DECISION_VOLUME,
    NEEDS_REASON,
    Attendee,
    Decision,
    Delegate,
    Element,
    Forum,
    ForumKind,
    ForumStatus,
    Gender,
    Outcome,
    Score,
)
from .minutes import RENDER_ATTEMPTS, ChainEntry, MinutesCounter, MinutesDocument, MinutesQuerySet, minutes_path
from .rules import Ceiling, Criterion, CriterionKind
from .scans import ForumScan, ScanKind, scan_path
from .season import MonitoringTeam

__all__ = [
    "AGREED",
    "DECISION_COST",
    "DECISION_VOLUME",
    "NEEDS_REASON",
    "RENDER_ATTEMPTS",
    "Attendee",
    "ChainEntry",
    "Ceiling",
    "Criterion",
    "CriterionKind",
    "Decision",
    "Delegate",
    "Element",
    "Forum",
    "ForumKind",
    "ForumScan",
    "ForumStatus",
    "Gender",
    "MinutesCounter",
    "MinutesDocument",
    "MinutesQuerySet",
    "MonitoringTeam",
    "Outcome",
    "ScanKind",
    "Score",
    "minutes_path",
    "scan_path",
]
