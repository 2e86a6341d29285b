"""A kabupaten's (or province's) season of forums: the monitoring teams Bappeda sends to them.

A forum planned ahead is an ordinary Forum row whose date and place are set before any item
reaches it (forums/workflow/season.py); the team is the one thing a plan adds to it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonitoringTeam(models.Model):
    """A monitoring team (tim monitoring) of one plan year: a leader and members, who visit the
    forums Bappeda assigns them to. Lampung Tengah sent 4 teams to its 28 kecamatan forums."""

    planning_year = models.ForeignKey(
        "planning.PlanningYear",
        on_delete=models.PROTECT,
        related_name="monitoring_teams",
        verbose_name=_("planning year"),
    )
    # The Bappeda's own region (a kabupaten/kota or a province): whose team it is.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="monitoring_teams", verbose_name=_("region")
    )
    name = models.CharField(_("team name"), max_length=120)
    leader = models.CharField(_("team leader"), max_length=120)
    members = models.TextField(_("members"), blank=True, help_text=_("One per line."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring team")
        verbose_name_plural = _("monitoring teams")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["planning_year", "region", "name"], name="one_team_name_per_region_year"),
        ]

    def __str__(self):
        return self.name

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]
