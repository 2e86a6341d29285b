"""Who keeps and who reads a kabupaten's catalogue of proposals, in one place.

Keeping (the pages, the downloads, the import): the kabupaten/kota's own Bappeda, and the
administrator for any kabupaten. Anyone else is refused the pages (403); an item of another
kabupaten, or any item for someone who keeps none, is a 404. Searching while entering a
proposal: anyone whose own region lies in the kabupaten, in its active items only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role
from regions.models import Level, Region

from .models import CatalogueItem

KEEPERS = {Role.BAPPEDA_KABUPATEN, Role.ADMIN}


def may_keep(user) -> bool:
    """Whether the catalogue pages are this user's (the menu and every page ask this)."""
    if not user.is_authenticated or not user.is_active or user.role not in KEEPERS:
        return False
    return user.role == Role.ADMIN or user.region_id is not None


def items_for(user):
    """The items this user keeps: their own kabupaten's, every one for the administrator."""
    if not may_keep(user):
        return CatalogueItem.objects.none()
    if user.role == Role.ADMIN:
        return CatalogueItem.objects.all()
    return CatalogueItem.objects.filter(kabupaten_id=user.region_id)


def get_item_for_user(user, pk: int) -> CatalogueItem:
    return get_object_or_404(items_for(user).select_related("kabupaten", "planning_year", "agency", "sector"), pk=pk)


def kabupaten_for(user, code: str | None) -> Region | None:
    """The kabupaten whose catalogue the page is about: a Bappeda's own (another's code is a
    404), the one the administrator chose (?wilayah=), None while the administrator has yet to
    choose. 403 for anyone who keeps no catalogue."""
    if not may_keep(user):
        raise PermissionDenied
    if user.role != Role.ADMIN:
        if code and code != user.region.code:
            raise Http404
        return user.region
    if not code:
        return None
    chosen = Region.objects.filter(level=Level.KABUPATEN).coded(code)
    if chosen is None:
        raise Http404
    return chosen


def may_keep_region(user, kabupaten: Region) -> bool:
    """Whether this user keeps this kabupaten's catalogue (the workflow asks it again)."""
    if not may_keep(user):
        return False
    return user.role == Role.ADMIN or user.region_id == kabupaten.pk


def intake_kabupaten(user) -> Region | None:
    """The kabupaten whose catalogue this user searches while entering a proposal: the one their
    own region lies in (a village's, a kecamatan's, the kabupaten's own)."""
    if not user.is_authenticated or not user.is_active or user.region_id is None:
        return None
    parts = user.region.code.split(".")
    if len(parts) < 2:
        return None
    return Region.objects.filter(code=".".join(parts[:2]), level=Level.KABUPATEN).first()
