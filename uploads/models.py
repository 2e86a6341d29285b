"""A spreadsheet an officer sent to be imported, read by the background worker.

The request stores the file and queues its reading in one transaction and answers at once with
a page that follows the reading row by row. The worker checks every row (the slow part), then
saves everything or nothing, and writes the outcome here: what was saved and where to go next,
or every problem and row error to correct. Only the sender sees either.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being read")
    SAVED = "saved", _("Imported")
    REFUSED = "refused", _("Not imported: the file has errors")
    FAILED = "failed", _("Failed")


FINISHED = (State.SAVED, State.REFUSED, State.FAILED)


def upload_path(instance, filename):
    return f"uploads/{instance.created_at:%Y/%m}/{instance.pk}/{filename}"


class Upload(models.Model):
    # Random, not a running number: the address of someone's import must not be guessable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    # Which reader imports it (uploads.readers) and for what: a village, a forum, the language
    # the messages are written in, the page to send a corrected file from.
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    label = models.CharField(_("what"), max_length=200)
    # The file lives only until it has been read: it may hold phone numbers and addresses.
    file = models.FileField(upload_to=upload_path, max_length=255, blank=True)
    filename = models.CharField(max_length=120)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    # uploads.readers.Saved or Refused, as JSON.
    outcome = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="upload_user_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running"], finished_at__isnull=True)
                | models.Q(state__in=["saved", "refused", "failed"], finished_at__isnull=False),
                name="upload_finished_when_done",
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("uploads:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
