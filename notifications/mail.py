"""Notifications by e-mail, sent by the background worker, never inside a request.

notify.py enqueues one task per change (an approval of 300 items is one task), inside the
change's transaction: the worker sees it only once the change is committed. The mail is plain
text in Indonesian, with the address of the item (or forum) on the site (PUBLIC_BASE_URL).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.reset import mail_configured

from . import messages
from .models import Notification

ATTEMPTS = 3


def body(notification: Notification) -> str:
    base = settings.PUBLIC_BASE_URL
    return "\n\n".join(
        [
            _("Hello %(name)s,") % {"name": notification.recipient},
            messages.text(notification),
            _("Open it on Musrenbang: %(link)s") % {"link": base + messages.target(notification)},
            "-- \n"
            + _("This message was sent automatically by Musrenbang. All your notifications: %(link)s")
            % {"link": base + reverse("notifications:inbox")},
        ]
    )


@task
def mail_notifications(notification_ids: list[int], attempt: int = 1) -> int:
    """Mail each of these notifications not mailed yet to its recipient; retried with growing
    pauses when the mail server fails. Returns how many went out."""
    if not mail_configured():
        return 0
    pending = (
        Notification.objects.filter(pk__in=notification_ids, mailed_at__isnull=True)
        .filter(recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient", "forum__region", "forum__agency", "forum__planning_year")
        .order_by("pk")
    )
    sent = []
    try:
        with translation.override("id"), mailers.default as connection:
            for notification in pending:
                message = EmailMessage(
                    subject=messages.subject(notification), body=body(notification), to=[notification.recipient.email]
                )
                connection.send_messages([message])
                sent.append(notification.pk)
    except Exception:
        done = set(sent)
        left = [pk for pk in notification_ids if pk not in done]
        if attempt < ATTEMPTS and left:
            retry = mail_notifications
            if retry.get_backend().supports_defer:
                retry = retry.using(run_after=timezone.now() + datetime.timedelta(minutes=5 * attempt * attempt))
            retry.enqueue(left, attempt + 1)
        raise
    finally:
        Notification.objects.filter(pk__in=sent).update(mailed_at=timezone.now())
    return len(sent)
