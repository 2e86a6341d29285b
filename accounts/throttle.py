"""Login throttling (django-axes): who is locked out, the client address it counts by, and the
unlock an officer above may give.

Failed logins are counted per username and per address (settings: AXES_LOCKOUT_PARAMETERS); past
AXES_FAILURE_LIMIT either is refused for AXES_COOLOFF_TIME, each further failure restarting the
wait. A refused attempt is answered before any password is hashed (axes' backend comes first in
AUTHENTICATION_BACKENDS), so a guessing client costs the server little. The audit log records
every failed login (audit/recording.py); axes keeps the counts in its AccessAttempt table.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings


def client_ip(request) -> str:
    """The address a login comes from: behind the deployment's proxy (BEHIND_PROXY), the one the
    proxy saw, the last hop of X-Forwarded-For (a client can forge the earlier ones); else the
    socket's own address."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def is_locked_out(username: str) -> bool:
    return AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


def unlock(username: str) -> int:
    """Forget the failed logins of this username (from every address); returns how many records went."""
    return reset(username=username)
