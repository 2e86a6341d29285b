"""What the public keeps here: the e-mail addresses that follow a proposal (public/follow.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Follower(models.Model):
    """An e-mail address that asked to hear when a proposal's public record changes.

    Double opt-in: the row is made when the address is given, and mail about the proposal goes
    to it only once someone opened the link sent there and confirmed (confirmed_at). The token is
    the address's key to confirm and to stop, in every message; stopping deletes the row."""

    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=43, unique=True)
    asked_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        constraints = [models.UniqueConstraint(fields=["proposal", "email"], name="one_follow_per_address")]
        # Who to tell about these proposals: only the confirmed, by proposal.
        indexes = [
            models.Index(fields=["proposal"], condition=models.Q(confirmed_at__isnull=False), name="follower_confirmed")
        ]

    def __str__(self):
        return f"{self.email} → {self.proposal_id}"
