"""Who may do what with pokok-pikiran DPRD: the one place for the Pokir pages.

Seeing is proposals' rule (proposals/queries.py scope_filter, through get_proposal_for_user): a
DPRD member sees only their own items, the Setwan its kabupaten's once submitted to it, anyone
else a Pokir item only once verified into the forums (and never a village or kecamatan). On top
of it: only the member who entered an item changes it, while it is a draft or returned; only the
Setwan of the item's kabupaten verifies or returns it, while it waits for verification. Out of
scope is a 404 (a member asking for another member's item), in scope but not allowed a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from proposals.access import get_proposal_for_user
from proposals.models import Channel, Proposal, Status


def is_member(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.DPRD_MEMBER and user.region_id is not None


def is_secretariat(user) -> bool:
    return (
        user.is_authenticated and user.is_active and user.role == Role.DPRD_SECRETARIAT and user.region_id is not None
    )


def may_open_pokir_pages(user) -> bool:
    return is_member(user) or is_secretariat(user)


def items_for(user):
    """The Pokir items of the user's own window: a member's own, the Setwan's kabupaten's."""
    if not may_open_pokir_pages(user):
        return Proposal.objects.none()
    return Proposal.objects.visible_to(user).filter(channel=Channel.POKIR)


def get_item_for_user(user, pk, *, write: bool = False) -> Proposal:
    """One Pokir item the user may see on the Pokir pages (404), with write=True one they may change (403)."""
    if not may_open_pokir_pages(user):
        raise Http404
    proposal = get_proposal_for_user(user, pk)
    if not proposal.is_pokir:
        raise Http404
    if write and not can_edit(user, proposal):
        raise PermissionDenied
    return proposal


def _own(user, proposal: Proposal) -> bool:
    return is_member(user) and proposal.is_pokir and proposal.created_by_id == user.pk


def can_edit(user, proposal: Proposal) -> bool:
    return _own(user, proposal) and proposal.status in (Status.DRAFT, Status.RETURNED)


def can_submit(user, proposal: Proposal) -> bool:
    """The member sends a draft, or an item returned to them, to the Setwan."""
    return can_edit(user, proposal)


def can_delete(user, proposal: Proposal) -> bool:
    return _own(user, proposal) and proposal.status == Status.DRAFT


def can_verify(user, proposal: Proposal) -> bool:
    """The Setwan of the item's kabupaten verifies it or returns it, while it waits for that."""
    return (
        is_secretariat(user)
        and proposal.is_pokir
        and proposal.kabupaten_id == user.region_id
        and proposal.status == Status.VERIFYING
    )
