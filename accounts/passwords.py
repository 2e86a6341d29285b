"""One-time set-password links: how an officer gets a first password, or a new one, from their
Bappeda without the Bappeda ever seeing or choosing it.

A link is Django's password-reset token (default_token_generator) for the account: it stops
working once the password is set (the token hashes the stored password), once the officer logs
in, and after settings.PASSWORD_RESET_TIMEOUT seconds. The Bappeda prints the links with a QR
code each (the sheet page) and hands each officer their own slip.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User

# The accounts of the last batch a manager created or asked links for, kept in their session
# (a thousand ids do not fit in an address).
SHEET_SESSION_KEY = "accounts:sheet"


@dataclass(frozen=True)
class Slip:
    account: User
    link: str
    qr: str  # an SVG data URI


def set_password_path(account: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    return reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token})


def slips(request, accounts) -> list[Slip]:
    """A slip per account: its link as an absolute address, and that address as a QR code."""
    result = []
    for account in accounts:
        link = request.build_absolute_uri(set_password_path(account))
        # A fixed mask: choosing the best of the eight costs eight times the work, seconds for a
        # kabupaten's sheet, and any mask scans.
        qr = segno.make(link, error="m", micro=False, mask=0).svg_data_uri(border=2, omitsize=True)
        result.append(Slip(account, link, qr))
    return result


def valid_until() -> datetime.datetime:
    """When links made now stop working."""
    return timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


def remember_batch(request, accounts) -> None:
    request.session[SHEET_SESSION_KEY] = [account.pk for account in accounts]


def remembered_batch(request) -> list[int]:
    ids = request.session.get(SHEET_SESSION_KEY) or []
    return [pk for pk in ids if isinstance(pk, int)]
