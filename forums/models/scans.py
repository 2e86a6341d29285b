"""Paper kept with a forum: the scan of its signed attendance list, and the scan of its berita
acara as signed and stamped after the meeting.

The generated PDF (MinutesDocument) never changes; the scan of the signed paper sits beside it,
one per issued document (a revision is signed again). Files are stored and removed only through
forums/workflow/scans.py and served only through views that check access.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forum import Forum
from .minutes import MinutesDocument


class ScanKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Signed attendance list")
    MINUTES = "minutes", _("Signed and stamped berita acara")


def scan_path(instance, filename):
    return f"scans/{instance.forum.planning_year.year}/{instance.forum_id}/{filename}"


class ForumScan(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="scans")
    kind = models.CharField(_("kind"), max_length=12, choices=ScanKind.choices)
    # The issued document a minutes scan is the signed paper of; empty for an attendance list.
    document = models.ForeignKey(
        MinutesDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("berita acara"),
    )
    file = models.FileField(_("file"), upload_to=scan_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="attendance", document__isnull=True)
                | models.Q(kind="minutes", document__isnull=False),
                name="minutes_scan_names_document",
            ),
            # A new scan replaces the old one: one attendance list per forum, one scan per document.
            models.UniqueConstraint(
                fields=["forum"], condition=models.Q(kind="attendance"), name="one_attendance_scan"
            ),
            models.UniqueConstraint(fields=["document"], name="one_scan_per_document"),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="scan_not_empty"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"
