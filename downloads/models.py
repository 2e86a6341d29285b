"""A file an officer asked for that takes too long to build inside a request.

The request saves a Download (who, what, with which parameters) and queues its task in the same
transaction; the worker builds the file, reporting rows done as it goes, and stores it. The
officer watches a progress page and then downloads the file; nobody else can see either.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def download_path(instance, filename):
    return f"downloads/{instance.created_at:%Y/%m}/{instance.pk}/{filename}"


class Download(models.Model):
    # Random, not a running number: the address of someone's export must not be guessable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="downloads")
    # Which builder makes the file (downloads.builders) and what it was asked, e.g. the list's
    # query string: the worker rebuilds the officer's own filtered, sorted list from it.
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    label = models.CharField(_("what"), max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=download_path, max_length=255, blank=True)
    filename = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="download_user_newest")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="done") | ~models.Q(file=""), name="download_done_has_file"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def finished(self) -> bool:
        return self.state in (State.DONE, State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
