"""Every change a Bappeda makes to officers' accounts: create (one or many), save, deactivate,
reactivate, lift a login pause. Each verb checks the actor's right once more (accounts/access.py), runs in one
transaction and raises WorkflowError, a message for the user, when the rules refuse.

No verb sets a password: a new account has none that works, and its officer chooses one through
a one-time link (accounts/passwords.py), so no Bappeda ever sees or chooses an officer's password.
Nothing is ever deleted: proposals, decisions and minutes refer to the officers who made them.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from musrenbang.errors import WorkflowError

from . import access, throttle
from .models import CouncilSeat, Role, User

logger = logging.getLogger("accounts.throttle")


def _check(actor, account: User) -> None:
    if not access.may_hold(actor, account):
        raise WorkflowError(
            _("You may not give %(name)s this role or region.") % {"name": account.get_full_name() or account.username}
        )


def create_accounts(*, actor, accounts: list[User]) -> list[User]:
    """Save new accounts, all or none, each without a usable password.

    Side effects: the accounts exist and may receive set-password links; none can log in yet.
    """
    for account in accounts:
        _check(actor, account)
        account.is_active = True
        account.set_unusable_password()
    try:
        with transaction.atomic():
            # One save() each, not bulk_create: whatever follows a model's saves (the audit log)
            # sees every account created.
            for account in accounts:
                account.save(force_insert=True)
                _keep_seat(account)
    except IntegrityError:
        # Another request took one of the usernames between the check and the save.
        raise WorkflowError(
            _("Another account took one of these usernames a moment ago, so nothing was saved. Try again.")
        ) from None
    return accounts


def save_account(*, actor, account: User, fields: list[str]) -> None:
    """Save the changed fields of an account the actor manages (its password never among them)."""
    _check(actor, account)
    try:
        with transaction.atomic():
            account.save(update_fields=fields)
            _keep_seat(account)
    except IntegrityError:
        raise WorkflowError(_("Another account took this username a moment ago. Choose another.")) from None


def _keep_seat(account: User) -> None:
    """A DPRD member's dapil and faction as the form read them (`pending_seat`), saved beside the
    account; an account that is no longer a member loses its seat."""
    seat = getattr(account, "pending_seat", None)
    if account.role == Role.DPRD_MEMBER and seat:
        CouncilSeat.objects.update_or_create(user=account, defaults={"dapil": seat[0], "faction": seat[1]})
    elif account.role != Role.DPRD_MEMBER:
        CouncilSeat.objects.filter(user=account).delete()


def set_active(*, actor, account: User, active: bool) -> None:
    """Deactivate an account (its officer can no longer log in, and their open sessions end at
    their next request) or reactivate it. One's own account cannot be deactivated."""
    if not active and account.pk == actor.pk:
        raise WorkflowError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        if locked.is_active == active:
            return
        locked.is_active = account.is_active = active
        locked.save(update_fields=["is_active"])


def unlock(*, actor, account: User) -> None:
    """Forget the failed logins that paused an officer's account (accounts/throttle.py), from every
    address. Recorded in the log (logger "accounts.throttle") with who lifted it."""
    _check(actor, account)
    count = throttle.unlock(account.username)
    logger.warning("login pause of %s lifted by %s (%d record(s))", account.username, actor.username, count)
