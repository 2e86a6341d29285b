"""The minutes (berita acara) a forum issues: their running numbers and the issued documents."""

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .forum import Forum


class MinutesCounter(models.Model):
    """The running number of minutes issued by one region in one year, taken under a row lock."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_counter_per_region_year")]

    def __str__(self):
        return f"{self.region.code}/{self.year}: {self.last}"


def minutes_path(instance, filename):
    return f"minutes/{instance.forum.planning_year.year}/{instance.forum_id}/{filename}"


# A document whose rendering failed this many times waits for an operator
# (`manage.py render_pending_minutes`).
RENDER_ATTEMPTS = 4


class MinutesQuerySet(models.QuerySet):
    def ready(self):
        """Documents whose PDF is rendered and sealed: the only ones anyone may download or verify."""
        return self.filter(rendered_at__isnull=False)


class MinutesDocument(models.Model):
    """An issued berita acara. Written once; a correction is a new row with the next revision.

    Approval creates the row (number, time, verification code) in its transaction; the
    background worker renders the PDF and seals it with its SHA-256 (forums.workflow.minutes).
    Until then pdf, sha256, size and rendered_at are empty together.
    """

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="documents")
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    number = models.CharField(_("number"), max_length=80, unique=True)
    pdf = models.FileField(_("PDF"), upload_to=minutes_path, max_length=255, blank=True)
    # NULL, not "", while the PDF is being prepared: many may be pending under the unique rule.
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason for the revision"), blank=True)
    # The short code printed under the document's QR code: /v/<code>/ is its public verification
    # page. Chosen before rendering (the PDF carries it), so it cannot be derived from the hash.
    verify_code = models.CharField(_("verification code"), max_length=10, unique=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # The worker's tries so far and the last one's error, for the forum page and the operators.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["forum", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "revision"], name="one_document_per_revision"),
            models.CheckConstraint(condition=models.Q(revision=0) | ~models.Q(reason=""), name="revision_has_reason"),
            models.CheckConstraint(
                condition=models.Q(rendered_at__isnull=True, sha256__isnull=True, size__isnull=True, pdf="")
                | models.Q(rendered_at__isnull=False, sha256__isnull=False, size__isnull=False) & ~models.Q(pdf=""),
                name="minutes_sealed_whole",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("forums:document", args=[self.forum_id, self.pk])

    @property
    def is_ready(self) -> bool:
        return self.rendered_at is not None

    @property
    def gave_up(self) -> bool:
        """Every try to render it failed; it waits for an operator."""
        return not self.is_ready and self.attempts >= RENDER_ATTEMPTS

    def file_intact(self) -> bool:
        """Whether the kept file still hashes to the SHA-256 recorded when it was sealed: the row is
        guarded by the database (migration 0010), the file by this check (the public verification
        page, `manage.py verify_minutes` after a restore)."""
        if not self.is_ready:
            return False
        digest = hashlib.sha256()
        try:
            with self.pdf.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 16), b""):
                    digest.update(chunk)
        except OSError:  # gone, or unreadable
            return False
        return digest.hexdigest() == self.sha256

    @property
    def download_name(self) -> str:
        """The file name a download offers: the number, which readers know it by."""
        return f"berita-acara-{self.number.replace('/', '-')}.pdf"


class ChainEntry(models.Model):
    """One link of the public chain of sealed berita acara (forums/chain.py): the document's
    number and SHA-256, and the digest of the link before it, hashed together. Append-only: the
    database refuses to change or delete a link (migration 0011).

    Each PDF prints the chain's head as it stood when the PDF was rendered (`anchor`). Rewriting
    an earlier document and its row would change that document's link and every link after it,
    so the head printed on any later paper copy would no longer be found in the chain."""

    seq = models.PositiveIntegerField(_("link"), unique=True)
    document = models.OneToOneField(MinutesDocument, on_delete=models.PROTECT, related_name="chain_entry")
    # Copied from the document so the chain can be read, archived and checked on its own.
    number = models.CharField(_("number"), max_length=80)
    document_sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"))
    previous = models.CharField(_("previous link"), max_length=64)
    digest = models.CharField(_("link digest"), max_length=64, unique=True)
    # The link printed on this document: the head when its PDF was rendered (none for the first).
    anchor = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("chain link")
        ordering = ["seq"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="chain_starts_at_one"),
            models.CheckConstraint(condition=models.Q(anchor__lt=models.F("seq")), name="chain_anchor_is_earlier"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.number}"
