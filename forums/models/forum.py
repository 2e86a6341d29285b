"""A forum, its meeting (attendees, delegates) and its decisions with their scores; the rules
(criteria, ceilings) are in rules.py.

See the package's docstring for how they fit together.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from proposals.enums import Status
from regions.models import Level

from .rules import Criterion


class ForumKind(models.TextChoices):
    MUSRENBANG = "musrenbang", _("Musrenbang")
    AGENCY = "agency", _("Agency forum")


class ForumStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    IN_SESSION = "in_session", _("In session")
    APPROVED = "approved", _("Approved")


class Forum(models.Model):
    planning_year = models.ForeignKey(
        "planning.PlanningYear", on_delete=models.PROTECT, related_name="forums", verbose_name=_("planning year")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="forums", verbose_name=_("region")
    )
    # The region's code and its province's, copied when the forum is made (a forum never moves,
    # and a region's code is its identity: the importer keys on it, the admin cannot change it).
    # An officer's forums and the board's ladder order are then read from one index on forums:
    # through the regions, a province's Bappeda sent 8,500 region ids or walked the country's
    # regions in ladder order (its forum board 73 ms, 211 before that; now 16-19 ms).
    region_code = models.CharField(_("region code"), max_length=13, editable=False)
    province_code = models.CharField(_("province code"), max_length=13, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=ForumKind.choices, default=ForumKind.MUSRENBANG)
    agency = models.ForeignKey(
        "regions.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forums",
        verbose_name=_("agency"),
    )
    status = models.CharField(_("status"), max_length=12, choices=ForumStatus.choices, default=ForumStatus.PREPARING)

    held_on = models.DateField(_("date"), null=True, blank=True)
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair_name = models.CharField(_("chair (pimpinan sidang)"), max_length=120, blank=True)
    chair_title = models.CharField(_("chair's position"), max_length=120, blank=True)
    resource_people = models.TextField(_("resource people"), blank=True, help_text=_("One per line."))
    considerations = models.TextField(
        _("considerations"), blank=True, help_text=_("What the forum heard and considered, one point per line.")
    )
    resolutions = models.TextField(
        _("decisions (KESATU, KEDUA, ...)"), blank=True, help_text=_("One decision per paragraph, in order.")
    )
    override_reason = models.TextField(
        _("reason for exceeding the ceiling"),
        blank=True,
        help_text=_("Only when the forum agrees to forward more than the ceiling or the item limit allows."),
    )

    outside_window_reason = models.TextField(
        _("reason for meeting or approving outside the stage window"),
        blank=True,
        default="",
        # The benchmark seed COPYs forum rows without this column.
        db_default="",
        help_text=_("Only when the forum is held or approved outside the dates Bappeda set for its stage."),
    )

    # The monitoring team Bappeda sends to the forum (forums/workflow/season.py). PROTECT: a team
    # that still has forums cannot be deleted; its forums are given another team (or none) first,
    # through the workflow, so that the audit log sees each forum's change.
    team = models.ForeignKey(
        "forums.MonitoringTeam",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forums",
        verbose_name=_("monitoring team"),
    )

    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["planning_year", "level", "region_code", "kind", "agency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["planning_year", "level", "region"],
                condition=models.Q(kind="musrenbang"),
                name="one_musrenbang_per_level_region_year",
            ),
            models.UniqueConstraint(
                fields=["planning_year", "region", "agency"],
                condition=models.Q(kind="agency"),
                name="one_agency_forum_per_agency_year",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="musrenbang", agency__isnull=True)
                | models.Q(kind="agency", agency__isnull=False, level=Level.KABUPATEN),
                name="agency_forum_has_agency",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_at__isnull=False),
                name="approved_forum_has_time",
            ),
            # Every path that writes a forum copies its region's code (copy_region_code); a
            # province's code is the first part of its regions' codes.
            models.CheckConstraint(
                condition=~models.Q(province_code="")
                & (
                    models.Q(region_code=models.F("province_code"))
                    | models.Q(region_code__startswith=Concat(models.F("province_code"), models.Value(".")))
                ),
                name="forum_region_code_in_province",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "planning_year", "status"], name="forum_region_year"),
            # The board's ladder order, for the whole country and within one province (every
            # officer's forums lie in one province: access.forum_scope_filter).
            models.Index(fields=["planning_year", "level", "region_code", "kind"], name="forum_ladder"),
            models.Index(
                fields=["planning_year", "province_code", "level", "region_code", "kind"], name="forum_province_ladder"
            ),
        ]

    def __str__(self):
        if self.kind == ForumKind.AGENCY:
            return _("Agency forum %(agency)s %(year)s") % {"agency": self.agency, "year": self.planning_year}
        return _("Musrenbang %(region)s %(year)s") % {"region": self.region.display_name, "year": self.planning_year}

    def save(self, *args, **kwargs):
        if self._state.adding and not self.region_code:
            self.copy_region_code()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("forums:detail", args=[self.pk])

    def copy_region_code(self) -> None:
        """Copy the region's code and its province's onto the forum (paths that write forums
        without save(), the benchmark's COPY, call it themselves)."""
        self.region_code, self.province_code = self.region.code, self.region.province_code

    @property
    def is_approved(self) -> bool:
        return self.status == ForumStatus.APPROVED

    @property
    def is_agency_forum(self) -> bool:
        return self.kind == ForumKind.AGENCY


class Gender(models.TextChoices):
    FEMALE = "P", _("Female")
    MALE = "L", _("Male")


class Element(models.TextChoices):
    """The part of the community, or of government, an attendee represents (unsur).

    The elements of society are the ones Permendagri 114/2014 names for the village's
    deliberations, the rest the participants Permendagri 86/2017 names for the Musrenbang
    Kecamatan; docs/rules.md ("Attendance rule") says which of them a forum needs
    (forums/attendance.py checks it).
    """

    VILLAGE_GOVERNMENT = "pemdes", _("Village or kelurahan government")
    BPD = "bpd", _("Village consultative body (BPD)")
    COMMUNITY_INSTITUTION = "lkd", _("Community institution (LPM, PKK, Karang Taruna, RT/RW)")
    CUSTOMARY_LEADER = "tokoh_adat", _("Customary leader")
    RELIGIOUS_LEADER = "tokoh_agama", _("Religious leader")
    COMMUNITY_LEADER = "tokoh_masyarakat", _("Community leader")
    EDUCATION_FIGURE = "tokoh_pendidikan", _("Education figure")
    FARMERS = "petani", _("Farmers' group")
    FISHERS = "nelayan", _("Fishers' group")
    CRAFTSPEOPLE = "perajin", _("Craftspeople's group")
    WOMEN = "perempuan", _("Women's group")
    CHILD_PROTECTION = "anak", _("Child welfare and protection group")
    POOR = "miskin", _("Poor households' group")
    DISABILITY = "disabilitas", _("People with disabilities")
    VILLAGE_DELEGATE = "delegasi", _("Delegate of a desa or kelurahan")
    DISTRICT_GOVERNMENT = "kecamatan", _("District government (kecamatan)")
    AGENCY = "perangkat_daerah", _("Regional agency (perangkat daerah)")
    DPRD = "dprd", _("Member of the regional council (DPRD)")
    OTHER = "lainnya", _("Other")


class Attendee(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("name"), max_length=120)
    # "Other" for the rows written before the element was asked (migration 0009) and for rows
    # written without one (the benchmark seed's COPY).
    element = models.CharField(
        _("element represented"), max_length=20, choices=Element.choices, default=Element.OTHER, db_default="lainnya"
    )
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    contact = models.CharField(_("address or phone"), max_length=200, blank=True)
    signs = models.BooleanField(
        _("signs the minutes"), default=False, help_text=_("A participant representative who signs the minutes.")
    )

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Delegate(models.Model):
    """A person elected to carry the forum's result to the next forum."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="delegates")
    name = models.CharField(_("name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    institution = models.CharField(_("institution or element represented"), max_length=200, blank=True)
    contact = models.CharField(_("phone"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_CHANGED = "accepted_changed", _("Accepted with changes")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Not agreed")
    MERGED = "merged", _("Merged into another item")
    VILLAGE_BUDGET = "village_budget", _("Left to the village budget")
    HANDED_OVER = "handed_over", _("Handed to another agency")
    TO_PROVINCE = "to_province", _("Passed to the province")


# Outcomes that carry an item forward (or, at the top, into the plan).
AGREED = {Outcome.ACCEPTED, Outcome.ACCEPTED_CHANGED, Outcome.TO_PROVINCE}
# Outcomes that need a reason written down.
NEEDS_REASON = {
    Outcome.ACCEPTED_CHANGED,
    Outcome.RETURNED,
    Outcome.REJECTED,
    Outcome.MERGED,
    Outcome.VILLAGE_BUDGET,
    Outcome.HANDED_OVER,
    Outcome.TO_PROVINCE,
}


class Decision(models.Model):
    """What one forum decided about one proposal: pending (no outcome) until it decides."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="decisions")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The figures the item arrived with: the lower forum's agreed ones, or the village's estimate.
    incoming_volume = models.DecimalField(_("volume proposed"), max_digits=12, decimal_places=2, null=True, blank=True)
    incoming_cost = models.BigIntegerField(_("cost proposed (Rp)"), null=True, blank=True)
    adjusted_volume = models.DecimalField(_("agreed volume"), max_digits=12, decimal_places=2, null=True, blank=True)
    adjusted_cost = models.BigIntegerField(_("agreed cost (Rp)"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )
    handed_to = models.ForeignKey(
        "regions.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed to agency"),
    )
    score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["forum", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "proposal"], name="one_decision_per_proposal_per_forum"),
            models.CheckConstraint(
                condition=models.Q(adjusted_cost__isnull=True) | models.Q(adjusted_cost__gte=0),
                name="adjusted_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="merged") | models.Q(merged_into__isnull=False),
                name="merge_names_survivor",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="handed_over") | models.Q(handed_to__isnull=False),
                name="handover_names_agency",
            ),
        ]
        indexes = [models.Index(fields=["forum", "outcome"], name="decision_forum_outcome")]

    def __str__(self):
        return f"{self.forum} · {self.proposal}"

    @property
    def is_pending(self) -> bool:
        return not self.outcome

    @property
    def is_agreed(self) -> bool:
        return self.outcome in AGREED

    @property
    def has_left(self) -> bool:
        """Handed to another agency, or no longer waiting here (returned to the village, withdrawn):
        it can no longer be scored or classified in this forum. Reads the proposal's status."""
        return self.outcome == Outcome.HANDED_OVER or self.proposal.status != Status.SUBMITTED

    @property
    def cost(self) -> int:
        """The cost this forum works with: its own adjustment, else what the item arrived with."""
        if self.adjusted_cost is not None:
            return self.adjusted_cost
        return self.incoming_cost if self.incoming_cost is not None else self.proposal.estimated_cost

    @property
    def volume(self) -> Decimal:
        if self.adjusted_volume is not None:
            return self.adjusted_volume
        return self.incoming_volume if self.incoming_volume is not None else self.proposal.volume


# Decision.cost as SQL over decisions, for sums made in the database (the dashboards' ceiling use).
DECISION_COST = Coalesce("adjusted_cost", "incoming_cost", "proposal__estimated_cost")
DECISION_VOLUME = Coalesce("adjusted_volume", "incoming_volume", "proposal__volume")


class Score(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="score_one_to_five"),
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.value}"
