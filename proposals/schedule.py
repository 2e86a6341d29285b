"""Setting a planning year's stage windows: what a Bappeda decides for its own region."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Role
from regions.models import Level

from .models import PlanningYear, StageWindow

# A kabupaten's Bappeda schedules the stages up to its own forum; the province's Bappeda may set
# every stage, as the default for kabupaten that set none of their own.
LEVELS_BY_ROLE = {
    Role.BAPPEDA_KABUPATEN: [Level.DESA, Level.KECAMATAN, Level.KABUPATEN],
    Role.BAPPEDA_PROVINSI: [Level.DESA, Level.KECAMATAN, Level.KABUPATEN, Level.PROVINSI],
}


def schedulable_levels(user) -> list:
    return LEVELS_BY_ROLE.get(user.role, [])


def current_windows(region, year: int) -> dict:
    """level -> the region's own window for that plan year, where it has one."""
    return {w.level: w for w in StageWindow.objects.filter(region=region, planning_year__year=year)}


@transaction.atomic
def set_schedule(*, actor, year: int, windows: dict) -> PlanningYear:
    """Create or change the actor's region's windows for one plan year; a level given None loses its own window.

    Side effects: creates the planning year if it is new. Proposals already entered keep their year.
    """
    allowed = schedulable_levels(actor)
    planning_year, _created = PlanningYear.objects.get_or_create(year=year)
    for level, dates in windows.items():
        if level not in allowed:
            raise ValueError(f"{actor} may not schedule level {level}")
        if dates is None:
            StageWindow.objects.filter(planning_year=planning_year, level=level, region=actor.region).delete()
        else:
            StageWindow.objects.update_or_create(
                planning_year=planning_year,
                level=level,
                region=actor.region,
                defaults={"opens_on": dates[0], "closes_on": dates[1]},
            )
    return planning_year
