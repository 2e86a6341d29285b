"""Who may set what for a planning year: the one place that decides for the planning cycle.

A kabupaten/kota's Bappeda schedules the stages up to its own forum and keeps its regional
priorities; a province's Bappeda may schedule every stage, as the default for kabupaten that
set none of their own. Both set ranking criteria for their region.
"""

from __future__ import annotations

from accounts.models import Role
from regions.models import Level

LEVELS_BY_ROLE = {
    Role.BAPPEDA_KABUPATEN: [Level.DESA, Level.KECAMATAN, Level.KABUPATEN],
    Role.BAPPEDA_PROVINSI: [Level.DESA, Level.KECAMATAN, Level.KABUPATEN, Level.PROVINSI],
}


def schedulable_levels(user) -> list:
    """The stages whose windows this user sets for their own region; empty for everyone else."""
    if not user.is_authenticated:
        return []
    return LEVELS_BY_ROLE.get(user.role, [])


def can_set_planning(user) -> bool:
    """Bappeda sets criteria, ceilings and the schedule for its own region."""
    return user.is_authenticated and user.role in (Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI)


def can_set_priorities(user) -> bool:
    """A kabupaten/kota's Bappeda keeps its own regional priorities (from its RKPD)."""
    return user.is_authenticated and user.role == Role.BAPPEDA_KABUPATEN and user.region_id is not None


def can_grant_late_entry(user) -> bool:
    """A kabupaten/kota's Bappeda lets its own villages enter a past season late (LateEntry)."""
    return user.is_authenticated and user.role == Role.BAPPEDA_KABUPATEN and user.region_id is not None
