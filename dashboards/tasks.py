"""The summaries' background job (dashboards/summaries.py says when it is asked for)."""

from __future__ import annotations

import datetime

from django.tasks import task

from . import summaries


@task
def refresh_summaries(asked_at: str | None = None) -> str:
    """Refresh the national and provincial summaries; returns the moment they were read.

    `asked_at` is when a page asked. A refresh that has run since then already answered it: a
    worker that was down, and comes back to a queue of such asks, refreshes once, not once each.
    """
    refreshed = summaries.stamps().refreshed
    if asked_at and refreshed and refreshed > datetime.datetime.fromisoformat(asked_at):
        return refreshed.isoformat()
    return summaries.refresh().isoformat()
