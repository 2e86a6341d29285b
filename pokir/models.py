"""Pokok-pikiran DPRD (Pokir): what a legislator's item carries beside the proposal itself.

The item is a proposals.Proposal with channel "pokir", so that forums, lists, exports and
tracking treat it as any other; this is the recess meeting (reses) it came from and the member's
seat at the time. The evidence files are the proposal's attachments of kind "reses".
State changes go through pokir/workflow.py; who sees what is proposals/queries.py (scope_filter)
and pokir/access.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Recess(models.Model):
    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, primary_key=True, related_name="recess"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("DPRD member")
    )
    # Copied from the member's seat when the item is entered: the item keeps the district and the
    # faction it was proposed under, whatever the seat says later.
    dapil = models.CharField(_("electoral district (dapil)"), max_length=100)
    faction = models.CharField(_("faction (fraksi)"), max_length=100)
    held_on = models.DateField(_("date of the recess meeting"))
    place = models.CharField(_("place of the recess meeting"), max_length=200)
    attendee_count = models.PositiveIntegerField(_("number of attendees"))

    class Meta:
        verbose_name = _("recess meeting (reses)")
        verbose_name_plural = _("recess meetings (reses)")
        constraints = [
            models.CheckConstraint(condition=models.Q(attendee_count__gte=1), name="recess_has_attendees"),
        ]

    def __str__(self):
        return f"{self.place}, {self.held_on}"
