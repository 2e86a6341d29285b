"""Where the floors above plug into intake, without intake importing them.

proposals sits below forums and the read side and never loads them, yet it needs two answers
from them:
- where a submitted proposal waits for a decision (deliberation: forums/apps.py connects it);
- the further downloads the proposal list offers of its filtered rows (the SIPD layout, which
  reads every forum's recommendation: reports/apps.py offers it).
Each is handed in once, at start-up, from the upper app's AppConfig.ready(), the way Django takes
an authentication backend: a named object, not a signal, and a loud error when it is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse


class Deliberation(Protocol):
    def forum_for_submission(self, proposal):
        """The forum a proposal being submitted will wait in: its village's forum of the year,
        created if needed; WorkflowError when that forum has been approved."""

    def receive(self, forum, proposal) -> None:
        """Put a just-submitted proposal on that forum's list, pending a decision."""

    def take_back(self, proposal):
        """Make the decision of the forum that returned this proposal pending again, with the
        village's revised figures, and return that forum; WorkflowError when it has since
        decided otherwise or been approved."""


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
