"""Where each audit log entry belongs.

The entries themselves are django-auditlog's LogEntry rows (who, when, what object, the values
before and after). Each also gets one EntryRegion row for every log it appears in: the nation's
(the administrator's, code ""), and the province's and kabupaten/kota's the changed object lies
in. A Bappeda's page then reads "the rows of region X, newest first" along one index and never
touches another region's entries; an officer moved from one kabupaten to another appears in both.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import Kind

NATION = ""  # the code of the administrator's log: every entry


class EntryRegion(models.Model):
    entry = models.ForeignKey("auditlog.LogEntry", on_delete=models.CASCADE, related_name="regions")
    # A Kemendagri code ("18" a province, "18.02" a kabupaten/kota), not a foreign key: the log
    # outlives any change to the ladder, and the page filters on it without a join.
    region_code = models.CharField(_("region code"), max_length=13, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The entry's own timestamp, copied, so that one index orders a region's rows.
    at = models.DateTimeField(_("when"))
    place = models.CharField(_("place"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("audit log entry region")
        verbose_name_plural = _("audit log entry regions")
        constraints = [models.UniqueConstraint(fields=["region_code", "entry"], name="audit_entry_once_per_region")]
        indexes = [
            models.Index(fields=["region_code", "-at", "-entry"], name="audit_region_newest"),
            models.Index(fields=["region_code", "kind", "-at", "-entry"], name="audit_region_kind_newest"),
        ]

    def __str__(self):
        return f"{self.region_code or '*'} {self.entry_id}"
