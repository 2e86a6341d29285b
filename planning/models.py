"""The planning cycle: plan years, when each stage of the ladder takes work, and the regional
priorities a kabupaten/kota's RKPD sets for a year.

Everything above reads these rows; nothing here knows about proposals or forums. Changes go
through planning/workflow.py; who may make them is planning/access.py.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Level

from .queries import LateEntryQuerySet, StageWindowQuerySet


class PlanningYear(models.Model):
    """One planning cycle: 'RKPD 2027' is prepared during 2026."""

    year = models.PositiveSmallIntegerField(_("plan year"), unique=True)

    class Meta:
        verbose_name = _("planning year")
        verbose_name_plural = _("planning years")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="year_sane")]

    def __str__(self):
        return f"RKPD {self.year}"


class StageWindow(models.Model):
    """When one level of one planning year takes work, as set by a Bappeda for its region.

    A window set for a kabupaten overrides the province's, which overrides a national one
    (region left empty). Both dates are inclusive, in the server's time zone.
    """

    planning_year = models.ForeignKey(
        PlanningYear, on_delete=models.CASCADE, related_name="windows", verbose_name=_("planning year")
    )
    level = models.PositiveSmallIntegerField(_("stage"), choices=Level.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stage_windows",
        verbose_name=_("set for region"),
        limit_choices_to={"level__in": [Level.PROVINSI, Level.KABUPATEN]},
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    objects = StageWindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage window")
        verbose_name_plural = _("stage windows")
        ordering = ["planning_year", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["planning_year", "level", "region"], name="one_window_per_stage_and_region"
            ),
            # NULLs are distinct in a unique index, so the national window needs its own constraint.
            models.UniqueConstraint(
                fields=["planning_year", "level"], condition=models.Q(region__isnull=True), name="one_national_window"
            ),
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="window_in_order"),
        ]

    def __str__(self):
        return f"{self.planning_year} · {self.get_level_display()}: {self.opens_on} – {self.closes_on}"

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class RegionalPriority(models.Model):
    """A regional priority (prioritas daerah) of one planning year with its target (sasaran
    daerah), from the kabupaten's RKPD; T-D.4 lists each agreed item under one."""

    planning_year = models.ForeignKey(
        PlanningYear, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("planning year")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="priorities", verbose_name=_("regency/city")
    )
    name = models.CharField(_("regional priority"), max_length=200)
    target = models.CharField(_("regional target"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("regional priority")
        verbose_name_plural = _("regional priorities")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["planning_year", "region", "name"], name="priority_unique_name"),
        ]

    def __str__(self):
        return self.name


class SourceDocument(models.TextChoices):
    RPJPD = "rpjpd", _("RPJPD (long-term regional plan)")
    RPJMD = "rpjmd", _("RPJMD (medium-term regional plan)")
    RKPD = "rkpd", _("RKPD (annual regional work plan)")
    RENSTRA = "renstra", _("Renstra (an agency's strategic plan)")
    OTHER = "other", _("Another document")


class Direction(models.TextChoices):
    LOWER = "lower", _("Lower is better")
    HIGHER = "higher", _("Higher is better")


# Years an indicator's baseline, target or realisation may name.
_SANE_YEARS = {"gte": 2000, "lte": 2100}


def _years_sane(*names):
    return models.Q(**{f"{name}__{op}": bound for name in names for op, bound in _SANE_YEARS.items()})


class Indicator(models.Model):
    """A measurable target (indikator sasaran) under a regional priority, from the region's long- or
    medium-term plan: stunting prevalence falls from 4.13 % in 2024 to 3 % in 2029, say.

    A baseline or a target may be a range (poverty 0.6-1.8 %): then `*_high` holds its upper end.
    `decimals` is how many decimal places the officer wrote, so "6,30" reads back as "6,30".
    """

    priority = models.ForeignKey(
        RegionalPriority, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("regional priority")
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4)
    baseline_high = models.DecimalField(_("baseline, upper end"), max_digits=14, decimal_places=4, null=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    target_high = models.DecimalField(_("target, upper end"), max_digits=14, decimal_places=4, null=True)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    direction = models.CharField(_("better when"), max_length=6, choices=Direction.choices)
    source = models.CharField(_("source document"), max_length=8, choices=SourceDocument.choices)
    source_detail = models.CharField(_("document and page"), max_length=255, blank=True)
    decimals = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "name"], name="indicator_unique_name"),
            models.CheckConstraint(condition=_years_sane("baseline_year", "target_year"), name="indicator_years_sane"),
            models.CheckConstraint(
                condition=models.Q(target_year__gte=models.F("baseline_year")), name="indicator_target_after_baseline"
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_high__isnull=True) | models.Q(baseline_high__gt=models.F("baseline")),
                name="indicator_baseline_range_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(target_high__isnull=True) | models.Q(target_high__gt=models.F("target")),
                name="indicator_target_range_in_order",
            ),
            models.CheckConstraint(condition=models.Q(decimals__lte=4), name="indicator_decimals_stored"),
        ]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    """What an indicator measured in one year (realisasi), as Bappeda recorded it."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("realisation"), max_digits=14, decimal_places=4)
    note = models.CharField(_("source or note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator realisation")
        verbose_name_plural = _("indicator realisations")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_realisation_per_indicator_year"),
            models.CheckConstraint(condition=_years_sane("year"), name="realisation_year_sane"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}"


class LateEntry(models.Model):
    """A season recorded after the fact: named villages may file proposals for a plan year while
    this window is open although the year's village window has closed, and the forums that hear
    them may carry dates outside their stage windows (forums.queries.window_problems). Granted by
    the kabupaten/kota's Bappeda, always with the reason (a season held on paper, say)."""

    planning_year = models.ForeignKey(
        PlanningYear, on_delete=models.CASCADE, related_name="late_entries", verbose_name=_("planning year")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="late_entries", verbose_name=_("granted by")
    )
    villages = models.ManyToManyField("regions.Region", related_name="+", verbose_name=_("villages"))
    opens_on = models.DateField(_("entry opens on"))
    closes_on = models.DateField(_("entry closes on"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LateEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("late entry")
        verbose_name_plural = _("late entries")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="late_entry_in_order",
                violation_error_message=_("The late entry must close on or after the day it opens."),
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="late_entry_has_reason"),
        ]

    def __str__(self):
        return f"{self.planning_year} · {self.opens_on} – {self.closes_on}"

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class Sector(models.Model):
    """A bidang urusan (government affairs field, Permendagri 90/2019), e.g. 1.03 Pekerjaan Umum.

    What a region plans by, as much as by its priorities: the catalogue files its items under
    one, a proposal is of one, the dashboards count by them. Its table keeps the name it was
    created with, in proposals, where it first lived (proposals 0018 moved it here)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        db_table = "proposals_sector"
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self):
        return self.name
