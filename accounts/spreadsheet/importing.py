"""An account spreadsheet as the background worker imports it (uploads.readers says how).

Every row is checked first, with progress on the upload's page; only a file without a single
error creates accounts, through the same workflow verb, and only while the sender still manages
accounts. The new accounts' ids go with the outcome: the sheet of set-password links is printed
from them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from musrenbang.errors import WorkflowError
from uploads.readers import Refused, Saved, refusal

from .. import access, workflow
from .columns import COLUMNS
from .reading import read_accounts

KIND = "accounts"


def import_in_worker(upload, file, progress):
    manager = upload.user
    if not access.may_manage_accounts(manager):
        return Refused(problems=[_("You no longer manage accounts, so nothing was imported.")])
    reading = read_accounts(file, manager=manager, progress=progress)
    if refused := refusal(reading, COLUMNS):
        return refused

    def save():
        try:
            created = workflow.create_accounts(actor=manager, accounts=reading.accounts)
        except WorkflowError as error:
            return Refused(problems=[str(error)])
        message = ngettext(
            "%(count)d account from %(name)s was created.",
            "%(count)d accounts from %(name)s were created.",
            len(created),
        ) % {"count": len(created), "name": upload.filename}
        return Saved(
            message,
            reverse("accounts:import_sheet", args=[upload.pk]),
            _("Print the sheet of set-password links"),
            {"accounts": [account.pk for account in created]},
        )

    return save
