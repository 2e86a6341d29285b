"""What the audit log follows: the kinds of entry, and for each audited model its kind, the region
whose Bappeda reads its entries, and which of its fields hold money.

audit/apps.py fills AUDITED through track(), once, at start-up; the rest of the app reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CEILING = "ceiling", _("Ceiling")
    CRITERION = "criterion", _("Ranking criterion")
    WINDOW = "window", _("Stage window")
    PRIORITY = "priority", _("Regional priority")
    FORUM = "forum", _("Forum details")
    ATTENDEE = "attendee", _("Attendance")
    DELEGATE = "delegate", _("Delegate")
    SCAN = "scan", _("Signed scan")
    TEAM = "team", _("Monitoring team")
    OFFICE = "office", _("Letterhead")
    CATALOGUE = "catalogue", _("Catalogue of proposals")
    ACCOUNT = "account", _("Account")
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")


@dataclass(frozen=True)
class Audited:
    kind: str
    # The region the object belongs to (None: the nation's alone), and how the log names that place.
    region: Callable[[models.Model], object]
    place: Callable[[models.Model], str] | None = None
    money: frozenset[str] = field(default_factory=frozenset)  # fields shown as Rupiah
    hidden: frozenset[str] = field(default_factory=frozenset)  # fields whose values are never shown

    def where(self, obj) -> tuple[object, str]:
        """(region, place) of an object; (None, "") when its region is gone (a cascade delete)."""
        try:
            region = self.region(obj)
            if self.place is not None:
                return region, self.place(obj)
        except ObjectDoesNotExist:
            return None, ""
        return region, region.display_name if region is not None else ""


AUDITED: dict[type[models.Model], Audited] = {}


def track(model, *, kind: str, region, place=None, money=(), hidden=(), **options) -> None:
    """Follow a model's creation, changes and deletion (auditlog's signals on save() and delete())
    and remember where its entries belong. `options` go to auditlog.register (exclude_fields, ...)."""
    from auditlog.registry import auditlog

    if hidden:
        options.update(mask_fields=list(hidden), mask_callable="audit.recording.conceal")
    auditlog.register(model, **options)
    AUDITED[model] = Audited(kind=kind, region=region, place=place, money=frozenset(money), hidden=frozenset(hidden))
