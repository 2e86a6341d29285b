"""Planning cycles, proposals (usulan), their attachments and their history.

State changes never happen here: they go through proposals/workflow.py. Who may see what is
decided in proposals/access.py.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Level

from .queries import ProposalQuerySet, StageWindowQuerySet


class Sector(models.Model):
    """A bidang urusan (government affairs field, Permendagri 90/2019), e.g. 1.03 Pekerjaan Umum."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self):
        return self.name


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


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # In a forum at its current level, waiting for that forum's decision.
    SUBMITTED = "submitted", _("Submitted")
    # Sent back to the village for revision; the village corrects it and submits it again.
    RETURNED = "returned", _("Returned for revision")
    # The ends of the road:
    REJECTED = "rejected", _("Not agreed")
    MERGED = "merged", _("Merged into another proposal")
    VILLAGE_BUDGET = "village_budget", _("Left to the village budget")
    ACCOMMODATED = "accommodated", _("Taken into the plan")
    NOT_ACCOMMODATED = "not_accommodated", _("Not taken into the plan")


# A proposal in one of these statuses has left the ladder for good.
FINAL_STATUSES = {
    Status.REJECTED,
    Status.MERGED,
    Status.VILLAGE_BUDGET,
    Status.ACCOMMODATED,
    Status.NOT_ACCOMMODATED,
}


class ProposerType(models.TextChoices):
    WARGA = "warga", _("Resident")
    RT = "rt", _("RT (neighbourhood unit)")
    RW = "rw", _("RW (community unit)")
    LEMBAGA = "lembaga", _("Community institution")
    DESA = "desa", _("Village/kelurahan government")


class WorkKind(models.TextChoices):
    PHYSICAL = "fisik", _("Physical")
    NON_PHYSICAL = "nonfisik", _("Non-physical")


class SpendingType(models.TextChoices):
    """Jenis belanja, as SIPD names the kinds of regional spending an activity falls under."""

    OPERATING = "operasi", _("Operating expenditure (belanja operasi)")
    CAPITAL = "modal", _("Capital expenditure (belanja modal)")
    TRANSFER = "transfer", _("Transfer expenditure (belanja transfer)")


# Upper bound on one proposal's estimated cost (Rp100 miliar): far above any single item, low
# enough to catch a mistyped figure. The database enforces it as well as the form.
MAX_COST = 100_000_000_000


class Proposal(models.Model):
    planning_year = models.ForeignKey(
        PlanningYear, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("planning year")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    level = models.PositiveSmallIntegerField(_("current level"), choices=Level.choices, default=Level.DESA)
    tracking_code = models.CharField(_("tracking code"), max_length=9, unique=True, null=True, blank=True)

    # The village and, copied from it, every ancestor: list pages filter by these ids
    # directly instead of walking the region tree for each proposal.
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    kecamatan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    kabupaten = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regency/city")
    )
    provinsi = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    proposed_work = models.TextField(_("proposed work"))
    proposer_type = models.CharField(_("proposed by"), max_length=10, choices=ProposerType.choices)
    proposer_name = models.CharField(_("proposer's name"), max_length=120)
    proposer_contact = models.CharField(_("proposer's contact"), max_length=120, blank=True)

    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("sector"))
    work_kind = models.CharField(_("kind of work"), max_length=10, choices=WorkKind.choices)
    target_agency = models.ForeignKey(
        "regions.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("target agency"),
    )
    # The agency that would carry the work out now: the target at first, changed when an agency
    # hands the item to another. target_agency stays as the village asked (SIPD: OPD tujuan awal/akhir).
    current_agency = models.ForeignKey(
        "regions.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="current_proposals",
        verbose_name=_("current agency"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_items",
        verbose_name=_("merged into"),
    )

    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    estimated_cost = models.BigIntegerField(_("estimated cost (Rp)"))

    beneficiaries = models.CharField(_("beneficiaries"), max_length=255)
    beneficiary_count = models.PositiveIntegerField(_("number of beneficiaries"))

    # Where the item fits in the regional plan and the budget nomenclature (Permendagri 90/2019).
    # Filled in by the forums that review it (the kecamatan onwards), not by the village; the
    # T-D.4 table and the SIPD export print them.
    regional_priority = models.ForeignKey(
        "forums.RegionalPriority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("regional priority"),
    )
    program = models.CharField(_("programme"), max_length=255, blank=True)
    activity = models.CharField(_("activity (kegiatan)"), max_length=255, blank=True)
    sub_activity = models.CharField(_("sub-activity (sub kegiatan)"), max_length=255, blank=True)
    activity_target = models.CharField(_("activity target (sasaran kegiatan)"), max_length=255, blank=True)
    spending_type = models.CharField(_("spending type"), max_length=10, choices=SpendingType.choices, blank=True)

    land_status_clear = models.BooleanField(_("land status is clear"), default=False)
    has_certificate = models.BooleanField(_("land certificate available"), default=False)
    has_technical_details = models.BooleanField(_("technical details available"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_cost__gte=0, estimated_cost__lte=MAX_COST),
                name="cost_within_bounds",
            ),
            models.CheckConstraint(condition=models.Q(volume__gt=0), name="volume_positive"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-11.2, latitude__lte=6.3),
                name="latitude_in_indonesia",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=94.8, longitude__lte=141.1),
                name="longitude_in_indonesia",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(tracking_code__isnull=False, submitted_at__isnull=False),
                name="submitted_has_tracking_code",
            ),
            models.CheckConstraint(
                condition=models.Q(status="merged", merged_into__isnull=False)
                | (~models.Q(status="merged") & models.Q(merged_into__isnull=True)),
                name="merged_points_at_survivor",
            ),
        ]
        # One index per scope a list page filters at, led by the scope, then what it filters and sorts by.
        indexes = [
            models.Index(fields=["village", "planning_year", "status", "-created_at"], name="proposal_village_scope"),
            models.Index(fields=["kecamatan", "planning_year", "status", "-created_at"], name="proposal_kec_scope"),
            models.Index(fields=["kabupaten", "planning_year", "status", "-created_at"], name="proposal_kab_scope"),
            models.Index(fields=["provinsi", "planning_year", "status", "-created_at"], name="proposal_prov_scope"),
            models.Index(fields=["target_agency", "planning_year", "status"], name="proposal_agency_scope"),
            models.Index(fields=["current_agency", "planning_year", "status"], name="proposal_cur_agency_scope"),
            models.Index(fields=["planning_year", "status", "-created_at"], name="proposal_national_scope"),
            models.Index(fields=["sector", "planning_year"], name="proposal_sector"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def photos(self):
        return [a for a in self.attachments.all() if a.kind == AttachmentKind.PHOTO]

    @property
    def documents(self):
        return [a for a in self.attachments.all() if a.kind != AttachmentKind.PHOTO]


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    PROPOSAL_DOCUMENT = "proposal", _("Proposal document")
    COST_BREAKDOWN = "rab", _("Cost breakdown (RAB)")
    LAND_PROOF = "land", _("Proof of land status")


def attachment_path(instance, filename):
    # The stored name is ours, not the uploader's: the original name is kept in a field.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"proposals/{instance.proposal.planning_year.year}/{instance.proposal_id}/{instance.kind}-{stamp}.{ext}"


class Attachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "id"]
        constraints = [
            # A proposal has at most one of each document; photos are counted by the form (max 3).
            models.UniqueConstraint(
                fields=["proposal", "kind"], condition=~models.Q(kind="photo"), name="one_document_per_kind"
            ),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("proposals:attachment", args=[self.proposal_id, self.pk])


class EventAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted")
    SCORED = "scored", _("Scored")
    DECIDED = "decided", _("Decided")
    RETURNED = "returned", _("Returned for revision")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    HANDED_OVER = "handed_over", _("Handed to another agency")
    MERGED = "merged", _("Merged")
    FORWARDED = "forwarded", _("Forwarded")
    CLOSED = "closed", _("Final outcome")


class ProposalEvent(models.Model):
    """One line of a proposal's history: who did what, when, at which level, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    from_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    to_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The forum the event happened in, where it happened in one.
    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("forum")
    )

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["proposal", "at"], name="event_proposal_at")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
