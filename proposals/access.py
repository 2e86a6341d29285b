"""Who may see and change which proposal: the one place that decides.

Seeing: an officer sees the proposals of their region and everything under it; an agency
officer sees those of their kabupaten/kota (or province) aimed at their agency. A draft is the
village's own working copy: nobody above the village sees it until it is submitted.
Administrators see everything.

Changing: only a village operator changes proposals, only in their own village, and only
while the proposal is a draft.

Anything out of scope is a 404, indistinguishable from a proposal that does not exist; a
proposal that is in scope but not changeable by this user is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.models import Role

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
            return Q(target_agency_id=user.agency_id) & submitted
    return _NOTHING


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


def can_edit(user, proposal: Proposal) -> bool:
    """Village operators change their own village's drafts; nobody else changes a proposal here."""
    return (
        user.is_authenticated
        and user.role == Role.VILLAGE_OPERATOR
        and user.region_id == proposal.village_id
        and proposal.status == Status.DRAFT
    )


# Submitting and deleting are edits of a draft; they get their own names so templates and the
# workflow read as what they mean.
can_submit = can_edit
can_delete = can_edit
