"""Writing the log: where each of auditlog's entries belongs, and the entries for logins.

auditlog writes an entry on every save() and delete() of an audited model (audit/apps.py) and
then sends post_log; placed() gives that entry its regions. Logins are not changes to a model, so
they are written here from Django's own signals: a successful login names the officer; a failed
one the username tried and the client's address, never the password.
"""

from __future__ import annotations

import ipaddress

from auditlog.context import auditlog_disabled
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from regions.models import Level, level_of

from .models import NATION, EntryRegion
from .registry import AUDITED, Kind

MASK = "•••"


def conceal(value: str) -> str:
    """auditlog's mask for hidden fields (a password's hash): the change is logged, no part of the value."""
    return MASK


def client_ip(request) -> str | None:
    """The client's address as our own front server saw it.

    Behind nginx (BEHIND_PROXY=1, which is what sets SECURE_PROXY_SSL_HEADER) that is the last
    X-Forwarded-For entry: nginx appends the address it was called from, and anything before it
    is whatever the client chose to send. auditlog's own middleware takes the first entry, which
    anyone can forge. Without a proxy, REMOTE_ADDR.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR")
    if settings.SECURE_PROXY_SSL_HEADER and request.headers.get("X-Forwarded-For"):
        address = request.headers["X-Forwarded-For"].split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


def region_codes(region) -> set[str]:
    """The codes of the logs an object of this region appears in besides the nation's: its
    province's and its kabupaten/kota's (a kecamatan or village has no log of its own)."""
    if region is None:
        return set()
    codes = [*region.ancestor_codes(), region.code]
    return {code for code in codes if level_of(code) <= Level.KABUPATEN}


def place(entry: LogEntry, kind: str, regions, label: str = "") -> None:
    """Put an entry in the nation's log and in those of the given regions (None ones skipped)."""
    codes = {NATION}.union(*(region_codes(region) for region in regions))
    EntryRegion.objects.bulk_create(
        [
            EntryRegion(entry=entry, region_code=code, kind=kind, at=entry.timestamp, place=label[:255])
            for code in sorted(codes)
        ]
    )


def placed(sender, instance, log_entry=None, instance_old=None, **kwargs) -> None:
    """post_log receiver: the regions of an entry auditlog has just written."""
    audited = AUDITED.get(sender)
    if audited is None or log_entry is None:
        return
    region, label = audited.where(instance)
    regions = [region]
    # An officer moved to another region (or a row to another kecamatan) belongs to both logs:
    # the Bappeda it left sees that it left.
    if instance_old is not None and getattr(instance_old, "region_id", None) != getattr(instance, "region_id", None):
        regions.append(audited.where(instance_old)[0])
    place(log_entry, audited.kind, regions, label)


def _log_login(*, kind: str, user, tried: str, request) -> None:
    if auditlog_disabled.get():
        return
    model = get_user_model()
    where = AUDITED[model].where(user) if user is not None else (None, "")
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(user.pk) if user is not None else "",
        object_id=user.pk if user is not None else None,
        object_repr=str(user) if user is not None else tried,
        action=LogEntry.Action.ACCESS,
        actor=user if kind == Kind.LOGIN else None,
        remote_addr=client_ip(request),
        additional_data={"username": tried},
    )
    place(entry, kind, [where[0]], where[1])


def logged_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver."""
    _log_login(kind=Kind.LOGIN, user=user, tried=user.get_username(), request=request)


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed receiver: only the username is read from the credentials."""
    model = get_user_model()
    tried = str(credentials.get(model.USERNAME_FIELD) or "")[:150]
    accounts = model._default_manager.select_related("region", "agency__region")
    user = accounts.filter(**{model.USERNAME_FIELD: tried}).first() if tried else None
    _log_login(kind=Kind.LOGIN_FAILED, user=user, tried=tried, request=request)
