"""Who may set what for a planning year: the one place that decides for the planning cycle.

A kabupaten/kota's Bappeda schedules the stages up to its own forum and keeps its regional
priorities; a province's Bappeda may schedule every stage, as the default for kabupaten that
set none of their own. Both set ranking criteria for their region, keep their own regional
priorities with their indicators (targets) and realisations, and keep the letterheads (kop surat)
of the units in it. Both read how the plan covers the targets of their region (a province's, its
kabupaten/kota's too).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role
from regions.models import Agency, Level, Region

from .models import Indicator, RegionalPriority

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
    """A kabupaten/kota's or a province's Bappeda keeps its own regional priorities (from its RKPD)
    and their indicators: baselines, targets and the realisations of each year."""
    return (
        user.is_authenticated
        and user.role in (Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI)
        and user.region_id is not None
    )


def get_priority_for_user(user, pk: int):
    """One of the user's own region's priorities, to change it or its indicators: someone who keeps
    no priorities gets a 403, another region's priority is a 404."""
    if not can_set_priorities(user):
        raise PermissionDenied
    return get_object_or_404(
        RegionalPriority.objects.select_related("planning_year", "region"), pk=pk, region_id=user.region_id
    )


def get_indicator_for_user(user, pk: int):
    """One indicator under the user's own region's priorities; as get_priority_for_user."""
    if not can_set_priorities(user):
        raise PermissionDenied
    return get_object_or_404(
        Indicator.objects.select_related("priority__planning_year", "priority__region"),
        pk=pk,
        priority__region_id=user.region_id,
    )


def can_read_targets(user) -> bool:
    """Bappeda and the administrator read how the plan covers the regional targets."""
    return user.is_authenticated and (
        user.role == Role.ADMIN
        or (user.role in (Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI) and user.region_id is not None)
    )


def get_target_region_for_user(user, code: str | None) -> Region:
    """The kabupaten/kota or province whose targets' coverage the user asked for (?wilayah=), by
    default their own: a Bappeda reads its own region and, from a province, its kabupaten/kota;
    the administrator every one. Others get a 403; a region out of reach, or not a province or
    kabupaten/kota, a 404."""
    if not can_read_targets(user):
        raise PermissionDenied
    if not code:
        if user.region_id is None:
            raise Http404
        return user.region
    # PostgreSQL refuses a NUL in a query (a 500): such a code names no region.
    region = (
        None
        if "\x00" in code
        else Region.objects.filter(code=code, level__in=[Level.PROVINSI, Level.KABUPATEN]).first()
    )
    if region is None:
        raise Http404
    if user.role != Role.ADMIN and not region.is_within(user.region):
        raise Http404
    return region


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
