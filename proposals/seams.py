"""Where the floors above plug into intake, without intake importing them.

proposals sits below forums and the read side and never loads them, yet it needs two answers
from them, and one ear:
- where a submitted proposal waits for a decision, whether and how the village may still withdraw
  it, and what a decision's code says (deliberation: forums/apps.py connects it);
- the further downloads the proposal list offers of its filtered rows (the SIPD layout, which
  reads every forum's recommendation: reports/apps.py offers it);
- who is told when a proposal's history grows or a forum is approved (notifications/apps.py
  listens; forums/workflow/approval.py reports approvals through here too).
Each is handed in once, at start-up, from the upper app's AppConfig.ready(), the way Django takes
an authentication backend: a named object, not a signal, and a loud error when deliberation is
missing. Listeners are named objects too, not signals: a post_save signal would miss the events
an approval bulk-creates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse


class Deliberation(Protocol):
    def forum_for_submission(self, proposal):
        """The forum a proposal being submitted will wait in: its village's forum of the year (a
        verified Pokir item: its agency's Forum Perangkat Daerah, else the kabupaten's Musrenbang),
        created if needed; WorkflowError when that forum has been approved."""

    def receive(self, forum, proposal) -> None:
        """Put a just-submitted proposal on that forum's list, pending a decision."""

    def take_back(self, proposal):
        """Make the decision of the forum that returned this proposal pending again, with the
        village's revised figures, and return that forum; WorkflowError when it has since
        decided otherwise or been approved."""

    def may_withdraw(self, proposal) -> bool:
        """Whether the proposal's village forum still waits to decide on it (or has returned it)
        and is not approved: what the village's withdrawal needs. One query."""

    def withdraw(self, proposal):
        """Take a proposal the village withdraws off its village forum's list, so that the forum
        no longer waits for it, and return that forum. Locks the forum row first, as every forum
        verb does; WorkflowError when the forum has decided on it, merged others into it, or has
        been approved."""

    def outcome_label(self, outcome: str) -> str:
        """A decision's code (ProposalEvent.outcome) as words, in the active language."""


_deliberation: Deliberation | None = None


def connect_deliberation(deliberation: Deliberation) -> None:
    global _deliberation
    _deliberation = deliberation


def deliberation() -> Deliberation:
    if _deliberation is None:
        raise ImproperlyConfigured("No deliberation is connected: add 'forums' to INSTALLED_APPS.")
    return _deliberation


# ?_export= value -> (what to add to the list's queryset so the rows read in a fixed number of
# queries, what writes the rows, in the list's order, into a download).
ListExport = tuple[Callable, Callable[[Iterable], HttpResponse]]
_list_exports: dict[str, ListExport] = {}


def offer_list_export(name: str, export: ListExport) -> None:
    _list_exports[name] = export


def list_exports() -> dict[str, ListExport]:
    return _list_exports


class Listener(Protocol):
    """Who hears what happened to proposals and forums (notifications/apps.py connects one).

    Both are called inside the transaction of the change, so whatever a listener writes commits
    or rolls back with it; they must not cost a query per proposal (an approval hands over
    hundreds of events at once)."""

    def events_written(self, events: list) -> None:
        """ProposalEvents just written (bulk-created by transition(), or one from record())."""

    def forum_approved(self, forum, actor) -> None:
        """A forum has just been approved by `actor`."""


# Nobody listening is allowed: intake and deliberation work without anyone being told.
_listeners: list[Listener] = []


def connect_listener(listener: Listener) -> None:
    if not any(type(known) is type(listener) for known in _listeners):
        _listeners.append(listener)


def events_written(events: list) -> None:
    for listener in _listeners:
        listener.events_written(events)


def forum_approved(forum, actor) -> None:
    for listener in _listeners:
        listener.forum_approved(forum, actor)
