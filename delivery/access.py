"""Who sees and who reports on an accommodated item's delivery, in one place.

Seeing: the proposal's own seeing rule (proposals.access), narrowed to items the plan took in.
Reporting: an officer of the agency that carries the item now, or a Bappeda over its region
(which reports for an item no agency carries, or for an agency that keeps its records on paper).
Out of scope is a 404; in scope but not reportable is a 403.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.models import Role
from accounts.scope import scope_of
from proposals.enums import Status
from proposals.models import Proposal

REPORTING_ROLES = {Role.AGENCY_OFFICER, Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI, Role.ADMIN}


def items_for(user):
    """The accommodated items this user may see, with their delivery (if reported) joined."""
    return (
        Proposal.objects.visible_to(user)
        .filter(status=Status.ACCOMMODATED)
        .select_related("delivery", "village", "kecamatan", "current_agency", "regional_priority")
    )


def get_item_for_user(user, pk) -> Proposal:
    return get_object_or_404(items_for(user), pk=pk)


def can_report(user, proposal: Proposal) -> bool:
    """May this user file a report on an item they can see?"""
    if user.role not in REPORTING_ROLES:
        return False
    scope = scope_of(user)
    if scope.agency_id:
        return proposal.current_agency_id == scope.agency_id
    return True  # a Bappeda or the administrator, over an item it can see


def may_open_delivery(user) -> bool:
    """Whether the delivery list is in this user's menu."""
    return user.is_authenticated and user.role in REPORTING_ROLES
