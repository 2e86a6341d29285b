"""Who may see and change which proposal: the one place that decides.

Seeing: an officer sees the proposals of their region and everything under it; an agency
officer sees those of their kabupaten/kota (or province) aimed at their agency. A draft is the
village's own working copy: nobody above the village sees it until it is submitted.
Administrators see everything. Pokok-pikiran DPRD (channel "pokir"): a DPRD member sees only
their own, the DPRD secretariat (Setwan) its kabupaten's once sent to it, villages and kecamatan
never, agencies and Bappeda once the Setwan has verified them into the forums; the Pokir pages'
own predicates (who edits, who verifies) are pokir/access.py's. The rule is scope_filter (kept in queries.py, beside the
QuerySet's visible_to that applies it, and built on accounts.scope); it is re-exported here.

Changing: only a village operator changes proposals, only in their own village, and only
while the proposal is a draft or has been returned to the village for revision. The same
operator may withdraw an item its village forum has not yet decided on (can_withdraw). Who runs a
forum is forums/access.py's to say.

Anything out of scope is a 404, indistinguishable from a proposal that does not exist; a
proposal that is in scope but not changeable by this user is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from regions.models import Level

from .models import Proposal, Status

# The seeing rule, kept beside the QuerySet that applies it; named here with the rest of access.
from .queries import public_scope_filter as public_scope_filter
from .queries import scope_filter as scope_filter
from .queries import with_regions


def get_proposal_for_user(user, pk, *, write: bool = False) -> Proposal:
    """Fetch one proposal the user may see (404 otherwise); with write=True, one they may change (403)."""
    try:
        proposal = Proposal.objects.visible_to(user).select_related("planning_year", "sector", "target_agency")
        proposal = proposal.get(pk=pk)
    except (Proposal.DoesNotExist, ValueError):
        raise Http404 from None
    # Its four regions by id, not joined: the joins took 9.6 ms to plan at 2 M proposals.
    with_regions([proposal])
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


def submitted_already(user, proposal: Proposal) -> bool:
    """The village's own proposal, submitted by an earlier tap: a second "Ajukan" is no error."""
    return _own_village(user, proposal) and proposal.status == Status.SUBMITTED and proposal.tracking_code is not None


def can_resubmit(user, proposal: Proposal) -> bool:
    return _own_village(user, proposal) and proposal.status == Status.RETURNED


def can_delete(user, proposal: Proposal) -> bool:
    return _own_village(user, proposal) and proposal.status == Status.DRAFT


def can_withdraw(user, proposal: Proposal) -> bool:
    """The village takes back its own item while it is still with its village forum: submitted to
    it, or returned by it for revision. Whether that forum has meanwhile decided is the forum's
    to say (proposals.seams.Deliberation.may_withdraw), asked by the workflow and the pages."""
    return (
        _own_village(user, proposal)
        and proposal.status in (Status.SUBMITTED, Status.RETURNED)
        and proposal.level == Level.DESA
    )


def drafts_of(user):
    """The drafts a village operator may submit: their own village's, oldest first (the order they were entered)."""
    if not can_create(user):
        return Proposal.objects.none()
    return Proposal.objects.filter(village_id=user.region_id, status=Status.DRAFT).order_by("created_at", "id")


def may_import_sipd(user, kabupaten) -> bool:
    """A kabupaten's Bappeda imports SIPD exports into its own kabupaten; the administrator into any."""
    if not user.is_authenticated or not user.is_active or kabupaten.level != Level.KABUPATEN:
        return False
    return user.role == Role.ADMIN or (user.role == Role.BAPPEDA_KABUPATEN and user.region_id == kabupaten.pk)


def imports_sipd(user) -> bool:
    """Whether the officer has a SIPD import page: a kabupaten's Bappeda, or the administrator."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role == Role.ADMIN or (user.role == Role.BAPPEDA_KABUPATEN and user.region_id is not None)


def sipd_kabupaten_of(user):
    """The kabupaten an officer imports a SIPD export into: a Bappeda kabupaten's own, None for the
    administrator (who chooses one on the form); for anyone else there is no such page (404)."""
    if not imports_sipd(user):
        raise Http404
    if user.role == Role.ADMIN:
        return None
    if not may_import_sipd(user, user.region):
        raise Http404
    return user.region
