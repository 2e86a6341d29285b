"""Who may set what for a planning year: the one place that decides for the planning cycle.

A kabupaten/kota's Bappeda schedules the stages up to its own forum and keeps its regional
priorities; a province's Bappeda may schedule every stage, as the default for kabupaten that
set none of their own. Both set ranking criteria for their region, and keep the letterheads (kop surat) of the units
in it.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role
from regions.models import Agency, Level, Region

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


def can_keep_offices(user) -> bool:
    """Bappeda keeps the letterheads of the units in its region (and of its agencies); the
    administrator, every unit's."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role in (Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI) and user.region_id is not None


def office_regions(user):
    """The regions whose letterhead this user keeps: their own and every region under it."""
    if not can_keep_offices(user):
        return Region.objects.none()
    if user.role == Role.ADMIN:
        return Region.objects.all()
    return Region.objects.filter(Q(pk=user.region_id) | Q(code__startswith=user.region.code + "."))


def office_agencies(user):
    """The agencies whose letterhead this user keeps: those of their own region."""
    if not can_keep_offices(user):
        return Agency.objects.none()
    if user.role == Role.ADMIN:
        return Agency.objects.all()
    return Agency.objects.filter(region_id=user.region_id)
