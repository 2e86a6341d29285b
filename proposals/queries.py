"""Reusable reads: the vocabulary views use to ask for proposals, and what a user may see of them.

scope_filter is the seeing half of proposals/access.py (it lives here so that the QuerySet can
apply it without a circle of imports: access -> models -> queries, never back).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from accounts.models import Role
from accounts.scope import scope_of
from regions.models import Level, Region

from .enums import Channel, Status

_NOTHING = Q(pk__in=[])

# Every status but a draft, named one by one: "status IN (...)" lets PostgreSQL use the status
# column of the scope indexes, where "NOT status = 'draft'" is only a filter on the rows the index
# gives. Asking whether a kabupaten has proposals in a plan year took 67 ms one way, 0.2 ms the
# other (2 M proposals).
# A Pokir item awaiting the Setwan's verification is, like a draft, not yet anyone else's.
SUBMITTED = Q(status__in=[status for status in Status if status not in (Status.DRAFT, Status.VERIFYING)])
MUSRENBANG = Q(channel=Channel.MUSRENBANG)

# Which stored ancestor column holds a region of each level.
COLUMN_AT = {
    Level.PROVINSI: "provinsi",
    Level.KABUPATEN: "kabupaten",
    Level.KECAMATAN: "kecamatan",
    Level.DESA: "village",
}


def scope_filter(user) -> Q:
    """A filter on Proposal that keeps exactly what this user may see.

    The officer's region and everything under it (accounts.scope), through the ancestor column
    of that level; an agency officer, the items aimed at or now carried by its agency. A draft
    is the village's own working copy: nobody above the village sees it until it is submitted.

    Pokir DPRD: a member sees their own items, whatever their status, and no one else's; the
    Setwan sees its kabupaten's Pokir once submitted to it; villages and kecamatan never see Pokir
    (it does not pass their forums); agencies and Bappeda see it once the Setwan has verified it
    into the forums, as they see any item there.
    """
    if user.is_authenticated and user.is_active and user.role == Role.DPRD_MEMBER:
        return Q(channel=Channel.POKIR, created_by_id=user.pk)
    if user.is_authenticated and user.is_active and user.role == Role.DPRD_SECRETARIAT and user.region_id:
        return Q(channel=Channel.POKIR, kabupaten_id=user.region_id) & ~Q(status=Status.DRAFT)
    scope = scope_of(user)
    submitted = SUBMITTED
    if scope.everything:
        return Q()
    if scope.agency_id:
        # The agency the village aimed at, and the one that carries it now (after a hand-over).
        return (Q(target_agency_id=scope.agency_id) | Q(current_agency_id=scope.agency_id)) & submitted
    if scope.nothing:
        return _NOTHING
    own = Q(**{f"{COLUMN_AT[scope.level]}_id": scope.region_id})
    if scope.level == Level.DESA:
        return own & MUSRENBANG
    return own & submitted & MUSRENBANG if scope.level == Level.KECAMATAN else own & submitted


def with_regions(proposals):
    """The proposals with their village, kecamatan, kabupaten and province, read in one query by
    id (Region.objects.attach says why not joined); returned as a list."""
    return Region.objects.attach(proposals, *COLUMN_AT.values())


def public_scope_filter() -> Q:
    """A filter on Proposal for what the public may know of: everything a village has submitted,
    never its drafts. Which fields of those a page without login shows is public/queries.py's
    allow-list; the public statistics show aggregates only."""
    return SUBMITTED


# The columns of proposals/tables.py's rows (ProposalTable.body_html); the names of the village,
# the kecamatan, the sector and the agency come beside them (ProposalQuerySet.for_list).
LIST_COLUMNS = (
    "tracking_code",
    "channel",
    "title",
    "status",
    "estimated_cost",
    "agreed_cost",
    "created_at",
    "village",
    "kecamatan",
    "sector",
    "target_agency",
    "outside_catalogue_reason",
)


def _region_name(field: str) -> Subquery:
    return Subquery(Region.objects.filter(pk=OuterRef(field)).order_by().values("name"))


class RegionScoped(models.QuerySet):
    """Rows that carry a proposal's region columns (proposals, and their tally in proposals/tally.py)."""

    def in_region(self, region):
        """The rows in a region's subtree, through the stored ancestor ids (no tree walk)."""
        return self.filter(**{COLUMN_AT.get(region.level, "village"): region})


class ProposalQuerySet(RegionScoped):
    def visible_to(self, user) -> ProposalQuerySet:
        """What this user may see (scope_filter)."""
        return self.filter(scope_filter(user))

    def for_list(self) -> ProposalQuerySet:
        """What a list row shows and nothing more, whatever the row count. The first page of the
        largest kabupaten (2 M proposals) took 2.9 ms in PostgreSQL with the planning year and both
        regions joined, 1.9 of them planning the joins (the region table joined twice), and the ORM
        about as long again decoding 45 columns a row, long texts included, that the row never
        shows. The two region names come as subqueries by id instead: planned apart in
        microseconds, run only for the page's rows (after any sort and LIMIT), and no region
        objects built; reading the page's regions in a second query cost 2 ms a page. The sector's
        and the agency's names are joined in as plain values too: building a sector and an agency
        beside each proposal took 0.35 ms of a page's 2."""
        return self.only(*LIST_COLUMNS).annotate(
            village_name=_region_name("village"),
            kecamatan_name=_region_name("kecamatan"),
            sector_name=F("sector__name"),
            # What Agency.__str__ says: its short name, or its name when it has none.
            agency_name=Coalesce(NullIf(F("target_agency__short_name"), Value("")), F("target_agency__name")),
        )

    def for_export(self) -> ProposalQuerySet:
        """Every column a download writes, joined: a file plans its query once, not once a page."""
        return self.select_related("planning_year", "village", "kecamatan", "sector", "target_agency")
