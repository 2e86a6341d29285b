"""One notification: something that happened to an officer's item or forum.

The text is not stored: a notification keeps its kind and the parameters of its message (the
item's title and code, the outcome, the reason, ...), and notifications/messages.py renders them
in the reader's language, the inbox in theirs, the e-mail in Indonesian.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.enums import EventAction


class Kind(models.TextChoices):
    RETURNED = EventAction.RETURNED.value, EventAction.RETURNED.label
    DECIDED = EventAction.DECIDED.value, EventAction.DECIDED.label
    HANDED_OVER = EventAction.HANDED_OVER.value, EventAction.HANDED_OVER.label
    MERGED = EventAction.MERGED.value, EventAction.MERGED.label
    FORWARDED = EventAction.FORWARDED.value, EventAction.FORWARDED.label
    CLOSED = EventAction.CLOSED.value, EventAction.CLOSED.label
    FORUM_APPROVED = "forum_approved", _("Forum approved")


class Notification(models.Model):
    # No index of its own: the inbox index below starts with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("for")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    # Strings: proposals and forums sit below and never know about notifications.
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set by the worker once the e-mail went out, so that a retried task does not send it twice.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        # The header's unread count (recipient, read_at IS NULL) and the inbox, newest first.
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
