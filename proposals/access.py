"""Who may see and change which proposal: the one place that decides.

Seeing: an officer sees the proposals of their region and everything under it; an agency
officer sees those of their kabupaten/kota (or province) aimed at their agency. A draft is the
village's own working copy: nobody above the village sees it until it is submitted.
Administrators see everything.

Changing: only a village operator changes proposals, only in their own village, and only
while the proposal is a draft or has been returned to the village for revision. A forum is
run (decided, ordered, approved) only by the officers of its own level and region.

Anything out of scope is a 404, indistinguishable from a proposal that does not exist; a
proposal that is in scope but not changeable by this user is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from forums.models import Forum, ForumKind
from regions.models import Level

from .models import Proposal, Status

_NOTHING = Q(pk__in=[])


def scope_filter(user) -> Q:
    """A filter on Proposal that keeps exactly what this user may see."""
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    submitted = ~Q(status=Status.DRAFT)
    match user.role:
        case Role.ADMIN:
            return Q()
        case Role.VILLAGE_OPERATOR:
            return Q(village_id=user.region_id)
        case Role.KECAMATAN_OPERATOR:
            return Q(kecamatan_id=user.region_id) & submitted
        case Role.BAPPEDA_KABUPATEN:
            return Q(kabupaten_id=user.region_id) & submitted
        case Role.BAPPEDA_PROVINSI:
            return Q(provinsi_id=user.region_id) & submitted
        case Role.AGENCY_OFFICER if user.agency_id:
            # The agency the village aimed at, and the one that carries it now (after a hand-over).
            return (Q(target_agency_id=user.agency_id) | Q(current_agency_id=user.agency_id)) & submitted
    return _NOTHING


def public_scope_filter() -> Q:
    """A filter on Proposal for what the public may know of: everything a village has submitted,
    never its drafts. Which fields of those a page without login shows is public/queries.py's
    allow-list; the public statistics show aggregates only."""
    return ~Q(status=Status.DRAFT)


def get_proposal_for_user(user, pk, *, write: bool = False) -> Proposal:
    """Fetch one proposal the user may see (404 otherwise); with write=True, one they may change (403)."""
    try:
        proposal = (
            Proposal.objects.visible_to(user)
            .select_related("planning_year", "village", "kecamatan", "kabupaten", "provinsi", "sector", "target_agency")
            .get(pk=pk)
        )
    except (Proposal.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not can_edit(user, proposal):
        raise PermissionDenied
    return proposal


def can_create(user) -> bool:
    return user.is_authenticated and user.role == Role.VILLAGE_OPERATOR and user.region_id is not None


def _own_village(user, proposal: Proposal) -> bool:
    return user.is_authenticated and user.role == Role.VILLAGE_OPERATOR and user.region_id == proposal.village_id


def can_edit(user, proposal: Proposal) -> bool:
    """Village operators change their own village's drafts, and items a forum returned to them."""
    return _own_village(user, proposal) and proposal.status in (Status.DRAFT, Status.RETURNED)


def can_submit(user, proposal: Proposal) -> bool:
    return _own_village(user, proposal) and proposal.status == Status.DRAFT


def can_resubmit(user, proposal: Proposal) -> bool:
    return _own_village(user, proposal) and proposal.status == Status.RETURNED


def can_delete(user, proposal: Proposal) -> bool:
    return _own_village(user, proposal) and proposal.status == Status.DRAFT


# ---------------------------------------------------------------------------------------------
# Forums
# ---------------------------------------------------------------------------------------------

# Who runs the Musrenbang of each level; an agency forum is run by that agency's officers.
RUNS_LEVEL = {
    Level.DESA: Role.VILLAGE_OPERATOR,
    Level.KECAMATAN: Role.KECAMATAN_OPERATOR,
    Level.KABUPATEN: Role.BAPPEDA_KABUPATEN,
    Level.PROVINSI: Role.BAPPEDA_PROVINSI,
}


def forum_scope_filter(user) -> Q:
    """A filter on Forum: the forums of the user's region and everything under it, and the
    Musrenbang forums above it.

    An agency officer sees its own agency's forum and the Musrenbang of its kabupaten/kota.
    """
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.role == Role.ADMIN:
        return Q()
    if user.role == Role.AGENCY_OFFICER:
        if not user.agency_id:
            return _NOTHING
        region = user.agency.region
        own = Q(agency_id=user.agency_id) | Q(kind=ForumKind.MUSRENBANG, region_id=region.pk)
    elif user.region_id is None:
        return _NOTHING
    else:
        region = user.region
        own = Q(region_id=region.pk) | Q(region__code__startswith=region.code + ".")
    # The Musrenbang forums above the user's region, read-only: their minutes decide the fate
    # of the user's own proposals (and are public documents).
    return own | Q(kind=ForumKind.MUSRENBANG, region__code__in=region.ancestor_codes())


def can_run_forum(user, forum: Forum) -> bool:
    """The forum's own officers: the village's operator for its Musrenbang Desa, the camat's office
    for the kecamatan, the agency for its Forum Perangkat Daerah, Bappeda for the kabupaten/kota
    and province."""
    if not user.is_authenticated or not user.is_active:
        return False
    if forum.kind == ForumKind.AGENCY:
        return user.role == Role.AGENCY_OFFICER and user.agency_id == forum.agency_id
    return user.role == RUNS_LEVEL.get(forum.level) and user.region_id == forum.region_id


def get_forum_for_user(user, pk, *, write: bool = False) -> Forum:
    """Fetch a forum the user may see (404 otherwise); with write=True, one they run (403)."""
    try:
        forum = (
            Forum.objects.filter(forum_scope_filter(user))
            .select_related("planning_year", "region", "agency", "approved_by")
            .get(pk=pk)
        )
    except (Forum.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not can_run_forum(user, forum):
        raise PermissionDenied
    return forum


def can_set_ceilings(user) -> bool:
    """A kabupaten/kota's Bappeda sets the ceilings of its own kecamatan."""
    return user.is_authenticated and user.role == Role.BAPPEDA_KABUPATEN


def can_set_planning(user) -> bool:
    """Bappeda sets criteria, ceilings and the schedule for its own region."""
    return user.is_authenticated and user.role in (Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI)


def can_set_priorities(user) -> bool:
    """A kabupaten/kota's Bappeda keeps its own regional priorities (from its RKPD)."""
    return user.is_authenticated and user.role == Role.BAPPEDA_KABUPATEN and user.region_id is not None


def can_classify(user, forum: Forum) -> bool:
    """The officers who run a forum from the kecamatan up place its items in the regional plan's
    priorities and the budget nomenclature; a village forum does not."""
    return forum.level != Level.DESA and can_run_forum(user, forum)
