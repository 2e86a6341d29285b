"""Who may manage which officer's account: the one place that decides.

A Bappeda kabupaten/kota manages the accounts of its own kabupaten (village and kecamatan
operators, the officers of the kabupaten's agencies, its own Bappeda staff); a Bappeda provinsi
those of its province (the kabupaten's Bappeda and its own staff included); an administrator
everyone. The region part is accounts/scope.py's rule (a region and everything under it); on top
of it, nobody manages or grants a role ranked above their own, and only an administrator manages
an account that opens the admin site (is_staff), only a superuser a superuser's: a set-password
link for such an account would hand its power to whoever asked for the link.

Every page about one account fetches it through get_account_for_user: an account outside the
manager's scope is a 404, exactly like one that does not exist. A user who manages nobody gets a
403 from the pages that create, import or list accounts (may_manage_accounts).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from regions.models import Agency, Region

from .models import Role, User
from .scope import scope_of

# A role may grant the roles ranked at or below its own. Agency officers rank with kecamatan
# operators: neither manages anyone, and Bappeda kabupaten grants both.
ROLE_RANK = {
    Role.VILLAGE_OPERATOR: 1,
    Role.KECAMATAN_OPERATOR: 2,
    Role.AGENCY_OFFICER: 2,
    Role.DPRD_MEMBER: 2,
    Role.DPRD_SECRETARIAT: 2,
    Role.BAPPEDA_KABUPATEN: 3,
    Role.BAPPEDA_PROVINSI: 4,
    Role.ADMIN: 5,
}
MANAGERS = {Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI, Role.ADMIN}


def may_manage_accounts(user) -> bool:
    """Bappeda (kabupaten/kota, provinsi) and administrators manage the accounts of their area."""
    if not user.is_authenticated or user.role not in MANAGERS:
        return False
    return not scope_of(user).nothing


def grantable_roles(user) -> list[Role]:
    """The roles this user may give an account, lowest first; none for who manages nobody."""
    if not may_manage_accounts(user):
        return []
    own = ROLE_RANK[Role(user.role)]
    return [role for role in Role if ROLE_RANK[role] <= own]


def area_of(user) -> Region | None:
    """The region whose accounts this manager manages; None for an administrator (everything)."""
    scope = scope_of(user)
    return None if scope.everything else user.region


def in_region(region: Region, field: str = "region") -> Q:
    """Rows whose `field` is the region or a region under it.

    A subquery on the region table (its code prefix index), not an OR across the join: PostgreSQL
    then picks the regions first and the rows by their region index, instead of reading every row.
    """
    return Q(**{f"{field}__in": Region.objects.subtree(region).values("pk")})


def managed_accounts(user) -> QuerySet[User]:
    """Every account this user may list, change, deactivate and issue set-password links for."""
    if not may_manage_accounts(user):
        return User.objects.none()
    # Said as the roles left out, so that the planner picks the rows by region, not by role.
    above = [role for role in Role if role not in grantable_roles(user)]
    accounts = User.objects.exclude(role__in=above) if above else User.objects.all()
    if not user.is_superuser:
        accounts = accounts.filter(is_superuser=False)
    if scope_of(user).everything:
        return accounts
    return accounts.filter(in_region(user.region), is_staff=False)


def get_account_for_user(user, pk) -> User:
    """One account this user manages, with its region and agency; any other is a 404."""
    try:
        return managed_accounts(user).select_related("region", "agency__region").get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def region_in_area(user, region: Region) -> bool:
    area = area_of(user)
    return may_manage_accounts(user) and (area is None or region.is_within(area))


def agencies_in_area(user) -> QuerySet[Agency]:
    """The agencies whose officers this user may manage: those of the manager's region and below."""
    if not may_manage_accounts(user):
        return Agency.objects.none()
    area = area_of(user)
    agencies = Agency.objects.select_related("region")
    return agencies if area is None else agencies.filter(in_region(area))


def may_hold(manager, account: User) -> bool:
    """Whether `manager` may give `account` its (unsaved) role, region and agency."""
    if account.role not in grantable_roles(manager):
        return False
    if account.role == Role.ADMIN:
        return area_of(manager) is None
    region = account.agency.region if account.agency_id else account.region
    return region is not None and region_in_area(manager, region)


def may_deactivate(manager, account: User) -> bool:
    """Any managed account but one's own: a Bappeda that locks itself out needs its own Bappeda."""
    return account.is_active and account.pk != manager.pk


def may_issue_link(manager, account: User) -> bool:
    """A set-password link for an active account; a deactivated one must be reactivated first."""
    return account.is_active
