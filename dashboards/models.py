"""The national and provincial summaries: proposals counted and summed per kabupaten/kota, kept
by dashboards/summaries.py (which says why, when they are refreshed, and who reads them).

Derived data only: every row is rebuilt from the proposals, the decisions and the ceilings by
each refresh, so deleting a year, a region or a sector simply takes its rows along (CASCADE).
Each table's unique key is also the index its reads use: they filter on the planning year,
then the province (a province's page) and the statuses the reader may count, and group by the
next column.
"""

from django.db import models

from proposals.enums import Status
from regions.models import Level


class Figure(models.Model):
    """How many proposals of one planning year, province and status fall in one group, their
    estimated cost and their agreed cost."""

    planning_year = models.ForeignKey("planning.PlanningYear", on_delete=models.CASCADE, related_name="+")
    provinsi = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    count = models.PositiveIntegerField()
    total = models.BigIntegerField()
    agreed = models.BigIntegerField(default=0)  # their agreed cost, where a forum agreed one

    class Meta:
        abstract = True


class RegionFigure(Figure):
    """Per kabupaten/kota: the provinces' and the kabupaten's rows, and (added up) the statuses."""

    kabupaten = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["planning_year", "provinsi", "kabupaten", "status"], name="region_figure_key"
            ),
        ]

    def __str__(self):
        return f"{self.kabupaten_id} {self.status}: {self.count}"


class SectorFigure(Figure):
    sector = models.ForeignKey("planning.Sector", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["planning_year", "provinsi", "sector", "status"], name="sector_figure_key"),
        ]

    def __str__(self):
        return f"{self.provinsi_id} {self.sector_id} {self.status}: {self.count}"


class LevelFigure(Figure):
    """By the level a proposal has reached (Proposal.level)."""

    level = models.PositiveSmallIntegerField(choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["planning_year", "provinsi", "level", "status"], name="level_figure_key"),
        ]

    def __str__(self):
        return f"{self.provinsi_id} {self.level} {self.status}: {self.count}"


class CeilingFigure(models.Model):
    """Per kabupaten/kota: its kecamatan's indicative ceilings added up, how many kecamatan have
    one, and the cost their Musrenbang agreed (dashboards.queries.ceiling_use, one level up)."""

    planning_year = models.ForeignKey("planning.PlanningYear", on_delete=models.CASCADE, related_name="+")
    provinsi = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    kabupaten = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    amount = models.BigIntegerField()
    kecamatan_count = models.PositiveIntegerField()
    used = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["planning_year", "provinsi", "kabupaten"], name="ceiling_figure_key"),
        ]

    def __str__(self):
        return f"{self.kabupaten_id}: {self.used} of {self.amount}"


class Stamp(models.Model):
    """Two moments, one row each: when the figures were read from the proposals, and when a
    page last asked the worker for a refresh. Two rows, not two columns, because a refresh holds
    its row locked while it runs and a page must never wait for that lock to ask."""

    class Name(models.TextChoices):
        REFRESHED = "refreshed"
        REQUESTED = "requested"

    name = models.CharField(primary_key=True, max_length=10, choices=Name.choices)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
