"""Who reads which audit log: the one place that decides.

A kabupaten/kota's Bappeda reads the entries about its kabupaten/kota and everything under it, a
province's Bappeda those about its province, the administrator every entry. Nobody else reads any:
for them the page does not exist (404), as the house rule has it for anything out of scope.
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import Role
from accounts.scope import scope_of

from .models import NATION

READERS = (Role.BAPPEDA_KABUPATEN, Role.BAPPEDA_PROVINSI)


def log_code_of(user) -> str | None:
    """The region code of the log this user reads ("" the nation's), or None for none."""
    scope = scope_of(user)
    if scope.everything:
        return NATION
    if scope.region_id is not None and user.role in READERS:
        return user.region.code
    return None


def can_read_log(user) -> bool:
    return log_code_of(user) is not None


def get_log_code_for_user(user) -> str:
    """The code of the user's log; Http404 when the user reads none."""
    code = log_code_of(user)
    if code is None:
        raise Http404
    return code
