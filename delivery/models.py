"""What became of an accommodated item after the plan (monitoring and evaluation).

The agency that carries an item reports on it: budgeted (APBD year, amount, sub kegiatan code),
contracted, under way with a progress in percent, completed (date, final cost, output volume), or
not carried out (the reason). `Delivery` holds the item's facts as they stand; every report the
agency files is a `Report` (who, when, as of which date, what changed, why) with its photos, so
the history is never overwritten. The public tracking page and the accountability page show
the same facts and the photos marked public; never who reported.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SUB_ACTIVITY_CODE = r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}$"  # e.g. 1.03.10.2.01.0017 (Kepmendagri 050-5889)


class Stage(models.TextChoices):
    BUDGETED = "budgeted", _("Budgeted")
    CONTRACTED = "contracted", _("Contracted")
    UNDERWAY = "underway", _("Under way")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Not carried out")


# Stages at which the item has its money in an APBD.
FUNDED = [Stage.BUDGETED, Stage.CONTRACTED, Stage.UNDERWAY, Stage.COMPLETED]
FINISHED = [Stage.COMPLETED, Stage.DROPPED]

# The facts of a Delivery a report sets, in the order the form asks and the history lists them.
FACTS = [
    "stage",
    "progress",
    "budget_year",
    "budget_amount",
    "sub_activity_code",
    "contract_number",
    "contract_date",
    "contract_value",
    "due_on",
    "completed_on",
    "final_cost",
    "output_volume",
    "reason",
]


class Delivery(models.Model):
    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.PROTECT, primary_key=True, related_name="delivery"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    budget_year = models.PositiveSmallIntegerField(_("APBD year"), null=True, blank=True)
    budget_amount = models.BigIntegerField(_("budgeted amount (Rp)"), null=True, blank=True)
    sub_activity_code = models.CharField(_("sub kegiatan code"), max_length=20, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    contract_value = models.BigIntegerField(_("contract value (Rp)"), null=True, blank=True)
    due_on = models.DateField(_("planned completion"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    final_cost = models.BigIntegerField(_("final cost (Rp)"), null=True, blank=True)
    output_volume = models.DecimalField(_("output volume"), max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("why it was not carried out"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["stage"], name="delivery_stage")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="delivery_progress_percent"),
            models.CheckConstraint(
                condition=~models.Q(stage__in=FUNDED) | models.Q(budget_year__isnull=False, budget_amount__gte=0),
                name="delivery_funded_has_budget",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage=Stage.CONTRACTED) | models.Q(contract_date__isnull=False),
                name="delivery_contracted_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage=Stage.COMPLETED)
                | models.Q(completed_on__isnull=False, final_cost__gte=0, output_volume__gt=0, progress=100),
                name="delivery_completed_has_facts",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage=Stage.DROPPED) | ~models.Q(reason=""), name="delivery_dropped_has_reason"
            ),
            models.CheckConstraint(
                condition=models.Q(sub_activity_code="") | models.Q(sub_activity_code__regex=SUB_ACTIVITY_CODE),
                name="delivery_sub_activity_code_format",
            ),
        ]

    def __str__(self):
        return f"{self.proposal} ({self.get_stage_display()})"

    @property
    def finished(self) -> bool:
        return self.stage in FINISHED


def due_date(delivery: Delivery | None, planning_year: int) -> datetime.date:
    """When an item should be done: its planned completion, else the end of its APBD year, else
    the end of the plan's own year (an item nobody has reported on by then is late)."""
    if delivery is not None and delivery.due_on:
        return delivery.due_on
    year = delivery.budget_year if delivery is not None and delivery.budget_year else planning_year
    return datetime.date(year, 12, 31)


class Report(models.Model):
    """One report on an item, as filed: the stage and progress it gave, what it changed, why."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="reports")
    as_of = models.DateField(_("as of"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), blank=True)
    # {field: [before, after]} as text: what this report changed in the item's facts.
    changes = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["delivery", "-as_of"], name="report_delivery_newest")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_percent"),
        ]

    def __str__(self):
        return f"{self.delivery_id}: {self.get_stage_display()}, {self.progress} % ({self.as_of})"

    def changed(self):
        """(the fact's name, before, after) for each fact this report changed, in words."""
        for name, (before, after) in self.changes.items():
            field = Delivery._meta.get_field(name)
            if field.choices:
                labels = dict(field.choices)
                before, after = labels.get(before, before), labels.get(after, after)
            yield field.verbose_name, before, after


def photo_path(photo, filename: str) -> str:
    return f"delivery/{photo.report.delivery_id}/{filename}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=255)
    # The agency's choice per report: a photo of the works may go on the public pages.
    public = models.BooleanField(_("may be shown publicly"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.file.name
