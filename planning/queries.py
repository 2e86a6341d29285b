"""Reusable reads about the planning cycle: which stage window applies to a village, and the
windows a region set for itself."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from regions.models import Level


class StageWindowQuerySet(models.QuerySet):
    def set_by(self, region, year: int) -> dict:
        """level -> the window a region set for itself for that plan year, where it set one."""
        return {w.level: w for w in self.filter(region=region, planning_year__year=year)}

    def applicable(self, village, level: int) -> list:
        """The window of each planning year that applies to a region (a village, a forum's region) at one level.

        A kabupaten's own window wins over its province's, which wins over a national one
        (no region). One query, however many years and overrides there are.
        """
        # The region's own code too: a kabupaten's forum follows the kabupaten's own window.
        codes = [*village.ancestor_codes(), village.code]
        windows = (
            self.filter(level=level)
            .filter(models.Q(region__isnull=True) | models.Q(region__code__in=codes))
            .select_related("planning_year", "region")
        )
        best = {}
        for window in windows:
            depth = len(window.region.code) if window.region else 0
            current = best.get(window.planning_year_id)
            if current is None or depth > (len(current.region.code) if current.region else 0):
                best[window.planning_year_id] = window
        return sorted(best.values(), key=lambda w: w.planning_year.year)

    def applying(self, region, level: int, planning_year):
        """The one window of a planning year that applies to a region at one level, or None."""
        found = self.filter(planning_year=planning_year).applicable(region, level)
        return found[0] if found else None

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


class LateEntryQuerySet(models.QuerySet):
    def open_for(self, village, today=None):
        """The late entry open today that names this village (the latest plan year's), or None."""
        today = today or timezone.localdate()
        found = self.filter(villages=village, opens_on__lte=today, closes_on__gte=today)
        return found.select_related("planning_year").order_by("-planning_year__year").first()

    def covering(self, region, planning_year):
        """Late entries of a plan year that name this village or a village under this region."""
        return self.filter(planning_year=planning_year).filter(
            models.Q(villages=region) | models.Q(villages__code__startswith=region.code + ".")
        )
