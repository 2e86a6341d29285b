"""A notification's words, in the active language: the inbox renders them in the reader's, the
e-mail in Indonesian (notifications/mail.py). The rows keep parameters, never text."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lokal import format_rupiah

from forums.models import Outcome
from proposals.enums import Status
from regions.models import Level

from .models import Kind, Notification


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def text(notification: Notification) -> str:
    """What happened, as one or two sentences."""
    p = notification.params
    forum = str(notification.forum) if notification.forum_id else _("A forum")
    item = {"forum": forum, "title": p.get("title", ""), "code": p.get("code", "")}
    kind = notification.kind
    if kind == Kind.RETURNED:
        message = _("%(forum)s returned “%(title)s” (%(code)s) to the village for revision.") % item
    elif kind == Kind.DECIDED:
        outcome = _label(Outcome, p.get("outcome", ""))
        if p.get("cost") is not None:
            outcome = f"{outcome} ({format_rupiah(p['cost'])})"
        message = _("%(forum)s decided on “%(title)s” (%(code)s): %(outcome)s.") % {**item, "outcome": outcome}
    elif kind == Kind.HANDED_OVER:
        message = _("%(forum)s handed “%(title)s” (%(code)s) to %(agency)s.") % {**item, "agency": p.get("agency", "")}
    elif kind == Kind.MERGED:
        message = _("%(forum)s merged “%(title)s” (%(code)s) into “%(other)s” (%(other_code)s).") % {
            **item,
            "other": p.get("other_title", ""),
            "other_code": p.get("other_code", ""),
        }
    elif kind == Kind.FORWARDED:
        message = _("%(forum)s agreed on “%(title)s” (%(code)s); it goes on to the next forum (%(level)s).") % {
            **item,
            "level": _label(Level, p.get("level")),
        }
    elif kind == Kind.CLOSED:
        message = _("Final outcome of “%(title)s” (%(code)s) at %(forum)s: %(status)s.") % {
            **item,
            "status": _label(Status, p.get("status", "")),
        }
    elif p.get("items"):
        message = ngettext(
            "%(forum)s has been approved; it decided %(n)d item of your village.",
            "%(forum)s has been approved; it decided %(n)d items of your village.",
            p["items"],
        ) % {"forum": forum, "n": p["items"]}
    else:
        message = _("%(forum)s has been approved and its minutes issued.") % {"forum": forum}
    if p.get("reason"):
        message = f"{message} " + _("Reason: %(reason)s") % {"reason": p["reason"]}
    return message


def subject(notification: Notification) -> str:
    """The e-mail's subject line."""
    about = notification.params.get("title") or (str(notification.forum) if notification.forum_id else "")
    return _("Musrenbang: %(kind)s: %(about)s") % {"kind": notification.get_kind_display(), "about": about}


def target(notification: Notification) -> str:
    """Where the notification leads: its proposal's page, or else its forum's."""
    if notification.proposal_id:
        return reverse("proposals:detail", args=[notification.proposal_id])
    if notification.forum_id:
        return reverse("forums:detail", args=[notification.forum_id])
    return reverse("notifications:inbox")
