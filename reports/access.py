"""Whose Renja an officer may read: an agency's own officers, and the Bappeda above the agency.

An agency belongs to a kabupaten/kota or a province (regions.Agency.region); accounts.scope says
which region an officer works for. Anything else is a 404.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from accounts.models import Role
from accounts.scope import scope_of
from regions.models import Agency, Level

READERS = {Role.AGENCY_OFFICER, Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI, Role.ADMIN}


def reads_renja(user) -> bool:
    return user.is_authenticated and user.role in READERS


def agencies_for_user(user):
    """The agencies whose Renja this officer may read."""
    if not reads_renja(user):
        return Agency.objects.none()
    if user.role == Role.AGENCY_OFFICER:
        return Agency.objects.filter(pk=user.agency_id)
    scope = scope_of(user)
    if scope.everything:
        return Agency.objects.all()
    if scope.nothing or scope.level not in (Level.PROVINSI, Level.KABUPATEN):
        return Agency.objects.none()
    # A province's Bappeda reads its own agencies' and those of its kabupaten/kota.
    return Agency.objects.filter(Q(region_id=scope.region_id) | Q(region__code__startswith=user.region.code + "."))


def get_agency_for_user(user, pk) -> Agency:
    return get_object_or_404(agencies_for_user(user).select_related("region"), pk=pk)
