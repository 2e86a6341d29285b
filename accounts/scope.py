"""The scope an officer has: the region-subtree rule, in one place.

An officer works for one region and sees that region and everything under it; an agency
officer works for one agency, within its kabupaten/kota (or province); an administrator sees
everything; an anonymous or deactivated account, nothing. Each app's access.py applies this to
its own objects: proposals through their stored ancestor columns (proposals/queries.py), forums
through the region codes (forums/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .models import ROLE_LEVEL, Role


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_id: int | None = None  # the region the officer works for: it and all under it
    level: int | None = None  # that region's level (from the role), to pick a proposal's ancestor column
    agency_id: int | None = None  # an agency officer's agency

    @property
    def nothing(self) -> bool:
        return not self.everything and self.region_id is None and self.agency_id is None


NOTHING = Scope()


def scope_of(user) -> Scope:
    """The scope of this user's account, read from the account alone (no query)."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role == Role.ADMIN:
        return Scope(everything=True)
    if user.role == Role.AGENCY_OFFICER:
        return Scope(agency_id=user.agency_id) if user.agency_id else NOTHING
    if user.region_id is None or user.role not in ROLE_LEVEL:
        return NOTHING
    return Scope(region_id=user.region_id, level=ROLE_LEVEL[user.role])


def subtree(region, field: str = "region") -> Q:
    """A filter on a model's region foreign key `field`: the region and every region under it."""
    return Q(**{f"{field}_id": region.pk}) | Q(**{f"{field}__code__startswith": region.code + "."})
