"""The rules Bappeda sets for a planning year that rank and cut a forum's list: the ranking
criteria (scored by the forum, or derived from the item's regional priority) and each kecamatan's
indicative ceiling."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CriterionKind(models.TextChoices):
    MANUAL = "manual", _("Scored by the forum")
    # forums/workflow/weighing.py scores it from the item's classification.
    PRIORITY = "priority", _("Supports a regional priority (scored automatically)")


class Criterion(models.Model):
    """A ranking criterion of one planning year, set by a kabupaten's (or province's) Bappeda:
    scored by the forum, or derived from the regional priority the item is placed under."""

    planning_year = models.ForeignKey("planning.PlanningYear", on_delete=models.CASCADE, related_name="criteria")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    kind = models.CharField(_("scored"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.MANUAL)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["planning_year", "region", "name"], name="criterion_unique_name"),
            models.UniqueConstraint(
                fields=["planning_year", "region"], condition=models.Q(kind="priority"), name="one_priority_criterion"
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight} %)"

    @property
    def is_automatic(self) -> bool:
        return self.kind == CriterionKind.PRIORITY


class Ceiling(models.Model):
    """A kecamatan's indicative ceiling (pagu indikatif kewilayahan) for one planning year."""

    planning_year = models.ForeignKey("planning.PlanningYear", on_delete=models.CASCADE, related_name="ceilings")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="ceilings", verbose_name=_("district")
    )
    amount = models.BigIntegerField(_("indicative ceiling (Rp)"))
    max_items = models.PositiveSmallIntegerField(
        _("maximum items to forward"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )

    class Meta:
        verbose_name = _("ceiling")
        verbose_name_plural = _("ceilings")
        constraints = [
            models.UniqueConstraint(fields=["planning_year", "region"], name="one_ceiling_per_kecamatan_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="ceiling_not_negative"),
        ]

    def __str__(self):
        return f"{self.region.display_name} {self.planning_year}"
