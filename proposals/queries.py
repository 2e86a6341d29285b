"""Reusable reads: the vocabulary views use to ask for proposals and schedules."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from regions.models import Level


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProposalQuerySet:
        """What this user may see. The rule itself lives in proposals.access.scope_filter."""
        from .access import scope_filter

        return self.filter(scope_filter(user))

    def for_list(self) -> ProposalQuerySet:
        """Everything a list row shows, fetched in the same query whatever the row count."""
        return self.select_related("planning_year", "village", "kecamatan", "sector", "target_agency")

    def in_region(self, region) -> ProposalQuerySet:
        """Proposals in a region's subtree, through the stored ancestor ids (no tree walk)."""
        field = {Level.PROVINSI: "provinsi", Level.KABUPATEN: "kabupaten", Level.KECAMATAN: "kecamatan"}.get(
            region.level, "village"
        )
        return self.filter(**{field: region})


class StageWindowQuerySet(models.QuerySet):
    def applicable(self, village, level: int) -> list:
        """The window of each planning year that applies to a village at one level.

        A kabupaten's own window wins over its province's, which wins over a national one
        (no region). One query, however many years and overrides there are.
        """
        windows = (
            self.filter(level=level)
            .filter(models.Q(region__isnull=True) | models.Q(region__code__in=village.ancestor_codes()))
            .select_related("planning_year", "region")
        )
        best = {}
        for window in windows:
            depth = len(window.region.code) if window.region else 0
            current = best.get(window.planning_year_id)
            if current is None or depth > (len(current.region.code) if current.region else 0):
                best[window.planning_year_id] = window
        return sorted(best.values(), key=lambda w: w.planning_year.year)

    def intake_for(self, village, level: int = Level.DESA, today=None):
        """(open window, None) while a window is open, else (None, the next or the last one)."""
        today = today or timezone.localdate()
        windows = self.applicable(village, level)
        for window in windows:
            if window.is_open(today):
                return window, None
        upcoming = [w for w in windows if w.opens_on > today]
        if upcoming:
            return None, min(upcoming, key=lambda w: w.opens_on)
        return None, max(windows, key=lambda w: w.closes_on, default=None)
