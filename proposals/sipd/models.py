"""What the SIPD import keeps of an imported proposal (proposals/sipd/__init__.py says why)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SipdRecord(models.Model):
    """A proposal imported from a SIPD usulan export, as SIPD holds it (proposals/sipd/).

    Its id in SIPD, and what SIPD's own deliberation said of it, kept as SIPD wrote them: this
    app's forums never decided on it, so the SIPD export writes these back where it would write
    its forums' decisions, and a second import compares against them.
    """

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, primary_key=True, related_name="sipd"
    )
    kabupaten = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regency/city")
    )
    sipd_id = models.CharField(_("SIPD ID"), max_length=40)
    status = models.CharField(_("status in SIPD"), max_length=100, blank=True)
    note = models.TextField(_("note in SIPD"), blank=True)
    village_recommendation = models.TextField(_("village recommendation in SIPD"), blank=True)
    kecamatan_recommendation = models.TextField(_("district recommendation in SIPD"), blank=True)
    agency_recommendation = models.TextField(_("agency recommendation in SIPD"), blank=True)

    class Meta:
        verbose_name = _("SIPD record")
        verbose_name_plural = _("SIPD records")
        constraints = [models.UniqueConstraint(fields=["kabupaten", "sipd_id"], name="sipd_id_unique_per_kabupaten")]

    def __str__(self):
        return self.sipd_id
