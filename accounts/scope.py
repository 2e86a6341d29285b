"""The scope an officer has: the region-subtree rule, in one place.

An officer works for one region and sees that region and everything under it; an agency
officer works for one agency, within its kabupaten/kota (or province); an administrator sees
everything; an anonymous or deactivated account, nothing. Each app's access.py applies this to
its own objects: proposals through their stored ancestor columns (proposals/queries.py), forums
through their stored region and province codes (forums/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import COUNCIL_ROLES, ROLE_LEVEL, Role


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
    if user.role in COUNCIL_ROLES:
        # A DPRD member sees their own pokok-pikiran, the Setwan its kabupaten's: both through
        # proposals/queries.py's Pokir rule, never a region's forums, dashboards or accounts.
        return NOTHING
    if user.role == Role.AGENCY_OFFICER:
        return Scope(agency_id=user.agency_id) if user.agency_id else NOTHING
    if user.region_id is None or user.role not in ROLE_LEVEL:
        return NOTHING
    return Scope(region_id=user.region_id, level=ROLE_LEVEL[user.role])
