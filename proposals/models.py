"""Proposals (usulan), their attachments and their history.

State changes never happen here: a status moves only through proposals/transitions.py, and the
intake verbs are in proposals/workflow.py. Who may see what is decided in proposals/access.py.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from lokal import format_rupiah

from planning.models import Sector  # planning's since proposals 0018; named here for the FK and old imports
from regions.models import Level

from . import seams
from .enums import AttachmentKind, Channel, EventAction, ProposerType, SpendingType, Status, WorkKind
from .queries import ProposalQuerySet

# Upper bound on one proposal's estimated cost (Rp100 miliar): far above any single item, low
# enough to catch a mistyped figure. The database enforces it as well as the form.
MAX_COST = 100_000_000_000


class Proposal(models.Model):
    # db_index=False on this and the other foreign keys a scope index leads with (Meta.indexes):
    # a second index on the same column only costs writes and disk, and planning time on every
    # query over this table, which PostgreSQL prices index by index (32 indexes took a join of
    # four regions 3.8 ms to plan at 2 M proposals).
    planning_year = models.ForeignKey(
        "planning.PlanningYear",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("planning year"),
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    level = models.PositiveSmallIntegerField(_("current level"), choices=Level.choices, default=Level.DESA)
    tracking_code = models.CharField(_("tracking code"), max_length=9, unique=True, null=True, blank=True)
    # Musrenbang (a village's item, climbing from its village forum) or Pokir DPRD (a member's
    # pokok-pikiran, entering at the kabupaten through the Setwan's verification: pokir/).
    # db_default: the benchmark seed COPYs rows without it.
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.MUSRENBANG, db_default="musrenbang"
    )

    # The village and, copied from it, every ancestor: list pages filter by these ids
    # directly instead of walking the region tree for each proposal. A Pokir item's village is
    # where the member places the work, within their kabupaten: the work has a place either way.
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village"), db_index=False
    )
    kecamatan = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"), db_index=False
    )
    kabupaten = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regency/city"), db_index=False
    )
    provinsi = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("province"), db_index=False
    )

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    proposed_work = models.TextField(_("proposed work"))
    proposer_type = models.CharField(_("proposed by"), max_length=10, choices=ProposerType.choices)
    proposer_name = models.CharField(_("proposer's name"), max_length=120)
    proposer_contact = models.CharField(_("proposer's contact"), max_length=120, blank=True)

    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("sector"), db_index=False
    )
    work_kind = models.CharField(_("kind of work"), max_length=10, choices=WorkKind.choices)
    target_agency = models.ForeignKey(
        "regions.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("target agency"),
        db_index=False,
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
        db_index=False,
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

    # The kabupaten's catalogue item (kamus usulan) the village picked, with its name and unit price
    # as they were when the proposal was filed: a price changed later never rewrites it. An item
    # outside the catalogue says why instead (proposals/cataloguing.py). db_default: the benchmark
    # seed COPYs proposal rows without these columns.
    catalogue_item = models.ForeignKey(
        "catalogue.CatalogueItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("catalogue item"),
    )
    catalogue_name = models.CharField(_("catalogue item as filed"), max_length=200, blank=True, db_default="")
    catalogue_unit_price = models.BigIntegerField(_("unit price as filed (Rp)"), null=True, blank=True)
    outside_catalogue_reason = models.TextField(_("why it is outside the catalogue"), blank=True, db_default="")

    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    estimated_cost = models.BigIntegerField(_("estimated cost (Rp)"))
    # What the last approved forum that agreed to the item agreed to (its own change, else the
    # figures it received): set by the forums' approval, empty until a forum agrees. Lists and
    # sums read it here, beside the village's estimate, without reading every forum's decisions.
    agreed_volume = models.DecimalField(_("agreed volume"), max_digits=12, decimal_places=2, null=True, blank=True)
    agreed_cost = models.BigIntegerField(_("agreed cost (Rp)"), null=True, blank=True)

    beneficiaries = models.CharField(_("beneficiaries"), max_length=255)
    beneficiary_count = models.PositiveIntegerField(_("number of beneficiaries"))

    # Where the item fits in the regional plan and the budget nomenclature (Permendagri 90/2019).
    # Filled in by the forums that review it (the kecamatan onwards), not by the village; the
    # T-D.4 table and the SIPD export print them.
    regional_priority = models.ForeignKey(
        "planning.RegionalPriority",
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
    # The village's choice: its photos on the public tracking page once submitted (they are kept
    # re-encoded, without the phone's location data). Off unless the village says so; the database
    # default too, for the bulk loads that COPY rows without it.
    photos_public = models.BooleanField(
        _("photos may be shown publicly"),
        default=False,
        db_default=False,
        help_text=_("Once submitted, the photos are shown on the proposal's public tracking page."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The one-time token of the form that entered it: a second tap on "save" on a slow line sends
    # the same form again, and finds this draft instead of making a second one.
    entry_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

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
                condition=models.Q(agreed_cost__isnull=True) | models.Q(agreed_cost__gte=0),
                name="agreed_cost_not_negative",
            ),
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
            # A Pokir item enters at the kabupaten: it never waits in a village's or a kecamatan's
            # forum; only it waits for the Setwan, and only it is proposed by a DPRD member.
            models.CheckConstraint(
                condition=models.Q(channel="musrenbang") | models.Q(level__lte=Level.KABUPATEN),
                name="pokir_from_the_kabupaten_up",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="verifying") | models.Q(channel="pokir"),
                name="only_pokir_awaits_setwan",
            ),
            models.CheckConstraint(
                condition=models.Q(channel="pokir", proposer_type="dprd")
                | (models.Q(channel="musrenbang") & ~models.Q(proposer_type="dprd")),
                name="pokir_proposed_by_dprd",
            ),
            models.CheckConstraint(
                condition=models.Q(catalogue_item__isnull=True) | models.Q(outside_catalogue_reason=""),
                name="catalogue_or_reason",
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
            # A kabupaten's dashboard adds its proposals up from this index alone (dashboards/queries.py,
            # tally: 20,000 rows in 4 ms, against 15 reading them from the table).
            models.Index(
                fields=["kabupaten", "planning_year", "status", "-created_at"],
                name="proposal_kab_scope",
                include=["level", "sector", "kecamatan", "estimated_cost", "agreed_cost", "id"],
            ),
            models.Index(fields=["provinsi", "planning_year", "status", "-created_at"], name="proposal_prov_scope"),
            models.Index(fields=["target_agency", "planning_year", "status"], name="proposal_agency_scope"),
            models.Index(fields=["current_agency", "planning_year", "status"], name="proposal_cur_agency_scope"),
            models.Index(fields=["planning_year", "status", "-created_at"], name="proposal_national_scope"),
            # The list's default order, newest first, at every scope: a page is the first 25 rows of
            # an index scan instead of a sort of the whole scope (2 M rows for the nation). Other
            # filters (year, status, sector) are checked on the rows as the scan meets them.
            models.Index(fields=["-created_at", "-id"], name="proposal_newest"),
            models.Index(fields=["provinsi", "-created_at", "-id"], name="proposal_prov_newest"),
            models.Index(fields=["kabupaten", "-created_at", "-id"], name="proposal_kab_newest"),
            models.Index(fields=["kecamatan", "-created_at", "-id"], name="proposal_kec_newest"),
            models.Index(fields=["sector", "planning_year"], name="proposal_sector"),
            # The one other order offered over a province or the nation (ProposalTable.WIDE_ORDERS):
            # the largest amounts first, or the smallest (the same index read backwards).
            models.Index(fields=["-estimated_cost", "-id"], name="proposal_costliest"),
            models.Index(fields=["provinsi", "-estimated_cost", "-id"], name="proposal_prov_costliest"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    @property
    def outside_catalogue(self) -> bool:
        """Filed outside the kabupaten's catalogue, with a reason (marked "di luar kamus" in lists)."""
        return bool(self.outside_catalogue_reason)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_pokir(self) -> bool:
        return self.channel == Channel.POKIR

    @property
    def photos(self):
        return [a for a in self.attachments.all() if a.kind == AttachmentKind.PHOTO]

    @property
    def documents(self):
        return [a for a in self.attachments.all() if a.kind != AttachmentKind.PHOTO]


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
            # A proposal has at most one of each document; photos are counted by the form (max 3),
            # a Pokir item's recess evidence by its form (pokir/forms.py).
            models.UniqueConstraint(
                fields=["proposal", "kind"],
                condition=~models.Q(kind__in=["photo", "reses"]),
                name="one_document_per_kind_but_reses",
            ),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("proposals:attachment", args=[self.proposal_id, self.pk])


def _plain(number: Decimal) -> Decimal:
    """80.00 -> 80, 2.50 -> 2.5: the figure as the officer typed it."""
    whole = number.to_integral_value()
    return whole if number == whole else number.normalize()


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
    # What the person acting typed (a reason), or names (a forum, an agency): never a word of the
    # interface, which would stay in the language of whoever happened to act.
    note = models.TextField(_("note"), blank=True)
    # The forum the event happened in, where it happened in one.
    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("forum")
    )
    # A forum's decision, on a "decided" event: its code (forums.models.Outcome), labelled when
    # read in the reader's language, and the volume and cost it agreed when it changed them.
    # db_default: the benchmark seed COPYs event rows without these columns.
    outcome = models.CharField(_("decision"), max_length=20, blank=True, default="", db_default="")
    volume = models.DecimalField(_("agreed volume"), max_digits=12, decimal_places=2, null=True, blank=True)
    cost = models.BigIntegerField(_("agreed cost (Rp)"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["proposal", "at"], name="event_proposal_at")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"

    @property
    def display_note(self) -> str:
        """The note as the reader reads it, in the active language: a decision's label (with the
        agreed figures when it changed them) before the reason. Reads self.proposal for the unit:
        fetch events through proposal.events, which hands them their proposal without a query."""
        if not self.outcome:
            return self.note
        label = seams.deliberation().outcome_label(self.outcome)
        if self.volume is not None and self.cost is not None:
            return _("%(label)s (%(volume)s %(unit)s, %(cost)s): %(reason)s") % {
                "label": label,
                "volume": formats.number_format(_plain(self.volume), decimal_pos=None),
                "unit": self.proposal.unit,
                "cost": format_rupiah(self.cost),
                "reason": self.note,
            }
        return f"{label}: {self.note}" if self.note else label


# Kept beside the import that fills it; imported here so that Django registers it with the app.
from .sipd.models import SipdRecord  # noqa: E402, F401

# Kept beside the list's count it serves, for the same reason.
from .tally import ProposalTally  # noqa: E402, F401
