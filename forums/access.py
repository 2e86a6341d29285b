"""Who may see and run which forum: the one place that decides for forums.

Seeing: the forums of the officer's region and everything under it (accounts.scope), and the
Musrenbang forums above it, whose minutes decide the fate of the officer's own proposals; an
agency officer sees its own Forum Perangkat Daerah and its kabupaten/kota's Musrenbang.
Running (details, attendance, decisions, order, approval): only the officers of the forum's
own level and region, or of its agency. Setting ceilings: a kabupaten/kota's Bappeda.
Planning the season (creating forums ahead, their dates, places and monitoring teams): a Bappeda,
for the forums and teams of its own region and everything under it.

Out of scope is a 404, indistinguishable from a forum that does not exist; in scope but not
run by this user is a 403 for a change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from accounts.scope import scope_of
from regions.models import Level, Region

from .models import Forum, ForumKind, MonitoringTeam

_NOTHING = Q(pk__in=[])

# Who runs the Musrenbang of each level; an agency forum is run by that agency's officers.
RUNS_LEVEL = {
    Level.DESA: Role.VILLAGE_OPERATOR,
    Level.KECAMATAN: Role.KECAMATAN_OPERATOR,
    Level.KABUPATEN: Role.BAPPEDA_KABUPATEN,
    Level.PROVINSI: Role.BAPPEDA_PROVINSI,
}


def forum_scope_filter(user) -> Q:
    """A filter on Forum: the forums of the user's region and everything under it (accounts.scope),
    and the Musrenbang forums above it.

    An agency officer sees its own agency's forum and the Musrenbang of its kabupaten/kota.
    """
    scope = scope_of(user)
    if scope.everything:
        return Q()
    if scope.nothing:
        return _NOTHING
    region, above = _area(user, scope)
    # Every forum an officer sees lies in the officer's own province, the first column after the
    # year of the forums' ladder index: a province's board is read in order from it.
    province = Q(province_code=region.province_code)
    if scope.agency_id:
        own = Q(agency_id=scope.agency_id)
    elif scope.level == Level.PROVINSI:
        return province  # nothing is above a province
    else:
        own = Q(region_code=region.code) | Q(region_code__startswith=region.code + ".")
    # The Musrenbang forums above the user's region, read-only: their minutes decide the fate
    # of the user's own proposals (and are public documents).
    return province & (own | Q(kind=ForumKind.MUSRENBANG, region_code__in=above))


def _area(user, scope) -> tuple[Region, list[str]]:
    """The region an officer's forums are seen from, and the codes of the Musrenbang forums above
    it that the officer also sees: an agency's kabupaten/kota's own among them."""
    if scope.agency_id:
        region = user.agency.region
        return region, [*region.ancestor_codes(), region.code]
    return user.region, user.region.ancestor_codes()


def can_run_forum(user, forum: Forum) -> bool:
    """The forum's own officers: the village's operator for its Musrenbang Desa, the camat's office
    for the kecamatan, the agency for its Forum Perangkat Daerah, Bappeda for the kabupaten/kota
    and province."""
    if not user.is_authenticated or not user.is_active:
        return False
    if forum.kind == ForumKind.AGENCY:
        return user.role == Role.AGENCY_OFFICER and user.agency_id == forum.agency_id
    return user.role == RUNS_LEVEL.get(forum.level) and user.region_id == forum.region_id


def can_see_forum(user, forum: Forum) -> bool:
    """forum_scope_filter's rule for one forum (tests/test_decisions.py holds both to one table)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if scope.nothing:
        return False
    region, above = _area(user, scope)
    if scope.agency_id:
        own = forum.agency_id == scope.agency_id
    else:
        own = forum.region_code == region.code or forum.region_code.startswith(region.code + ".")
    return own or (forum.kind == ForumKind.MUSRENBANG and forum.region_code in above)


def get_forum_for_user(user, pk, *, write: bool = False) -> Forum:
    """Fetch a forum the user may see (404 otherwise); with write=True, one they run (403)."""
    try:
        forum = Forum.objects.select_related("planning_year", "region", "agency", "approved_by").get(pk=pk)
    except (Forum.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_see_forum(user, forum):
        raise Http404
    if write and not can_run_forum(user, forum):
        raise PermissionDenied
    return forum


def can_set_ceilings(user) -> bool:
    """A kabupaten/kota's Bappeda sets the ceilings of its own kecamatan."""
    return user.is_authenticated and user.role == Role.BAPPEDA_KABUPATEN


def can_classify(user, forum: Forum) -> bool:
    """The officers who run a forum from the kecamatan up place its items in the regional plan's
    priorities and the budget nomenclature; a village forum does not."""
    return forum.level != Level.DESA and can_run_forum(user, forum)


# --- the season: Bappeda plans the forums of its region and sends monitoring teams ----------

PLANNERS = (Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI)


def can_plan_season(user) -> bool:
    """A Bappeda (kabupaten/kota or province) plans the forums of its own region's season."""
    return user.is_authenticated and user.is_active and user.role in PLANNERS and user.region_id is not None


def can_plan_forum(user, forum: Forum) -> bool:
    """A Bappeda plans (date, place, team) any forum of its region or under it, whoever runs it."""
    return can_plan_season(user) and forum.region.is_within(user.region)


def get_forum_to_plan(user, pk) -> Forum:
    """A forum the user may plan: 404 when they may not see it, 403 when they see it but may not plan it."""
    forum = get_forum_for_user(user, pk)
    if not can_plan_forum(user, forum):
        raise PermissionDenied
    return forum


def teams_for(user):
    """The monitoring teams a Bappeda keeps: those of its own region and of the regions under it."""
    if not can_plan_season(user):
        return MonitoringTeam.objects.none()
    region = user.region
    return MonitoringTeam.objects.filter(
        Q(region_id=region.pk) | Q(region__code__startswith=region.code + ".")
    ).select_related("region", "planning_year")


def get_team_for_user(user, pk) -> MonitoringTeam:
    """A team the user keeps (404 for any other, and for anyone but a Bappeda)."""
    if not can_plan_season(user):
        raise PermissionDenied
    try:
        return teams_for(user).get(pk=pk)
    except (MonitoringTeam.DoesNotExist, ValueError):
        raise Http404 from None


def team_fits(team: MonitoringTeam, forum: Forum) -> bool:
    """A team visits forums of its own plan year, in its own region or under it."""
    return team.planning_year_id == forum.planning_year_id and forum.region.is_within(team.region)
