"""What the public may read, and nothing more: the agreed results of approved forums, and the
issued berita acara with their verification (tracking a proposal by its code: public/tracking.py).

Pages without login never touch model instances in their templates: each page gets plain
dataclasses built here, field by field (an allow-list). A new field on Proposal, Forum or
ProposalEvent therefore never reaches a public page by accident; someone has to add it here.
Kept out on purpose: the proposer's name and contact, address, RT/RW and coordinates,
attachments, every officer account (actors, deciders, issuers), and internal events (created,
edited, scored) with their notes.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import Substr
from django.urls import reverse

from forums import chain
from forums.defaults import forum_title, official_name
from forums.models import (
    AGREED,
    DECISION_COST,
    ChainEntry,
    Decision,
    Forum,
    ForumKind,
    ForumScan,
    ForumStatus,
    MinutesDocument,
    ScanKind,
)
from forums.queries import Standing, ranking
from planning.models import PlanningYear
from proposals.models import Proposal
from regions.models import Level, Region

# Region codes by level: how many leading characters name the ancestor at each level.
_CODE_LENGTH = {Level.PROVINSI: 2, Level.KABUPATEN: 5, Level.KECAMATAN: 8, Level.DESA: 13}

_TRACKING_CODE_RE = re.compile(r"^[0-9A-Z]{8}$")


def normalize_tracking_code(raw: str) -> str | None:
    """'k7pq-2m9x', ' K7PQ2M9X ' -> 'K7PQ-2M9X'; None when it cannot be a tracking code."""
    compact = re.sub(r"[\s\-]", "", raw or "").upper()
    if not _TRACKING_CODE_RE.match(compact):
        return None
    return f"{compact[:4]}-{compact[4:]}"


def latest_documents(forum_ids: Iterable[int]) -> dict[int, MinutesDocument]:
    """Each forum's newest issued berita acara: one query."""
    latest: dict[int, MinutesDocument] = {}
    for document in (
        MinutesDocument.objects.ready().filter(forum_id__in=list(forum_ids)).order_by("forum_id", "revision")
    ):
        latest[document.forum_id] = document
    return latest


def document_url(document: MinutesDocument) -> str:
    return reverse("public:document", args=[document.verify_code])


def verify_url(document: MinutesDocument) -> str:
    return reverse("public:verify", args=[document.verify_code])


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicItem:
    position: int
    title: str
    village: str
    kecamatan: str
    volume: Decimal
    unit: str
    cost: int
    agency: str
    tracking_url: str  # the proposal's public tracking page
    is_pokir: bool = False  # a DPRD member's pokok-pikiran (includes/pokir_mark.html)


@dataclass(frozen=True)
class PublicDocument:
    number: str
    revision: int
    issued_at: datetime.datetime
    sha256: str
    download_url: str
    verify_url: str
    superseded: bool
    scan_url: str = ""  # the signed and stamped paper, when the forum's officers have kept its scan


@dataclass(frozen=True)
class Placed:
    """An agreed item's place in its forum's printed list: its position and its decision's id. The
    page shown is read whole (items_in_full); a kabupaten's forum may agree a thousand items."""

    position: int
    pk: int


@dataclass(frozen=True)
class PublicForum:
    name: str
    items: tuple[Placed, ...]  # every agreed item, in the printed order
    total: int
    documents: tuple[PublicDocument, ...]  # newest first


@dataclass(frozen=True)
class RegionLink:
    code: str
    name: str


@dataclass(frozen=True)
class ChildRegion:
    code: str
    name: str
    forum_count: int  # approved forums in its subtree


@dataclass(frozen=True)
class RegionResults:
    code: str
    name: str
    year: int
    trail: tuple[RegionLink, ...]  # the ancestors, province first
    forums: tuple[PublicForum, ...]
    children: tuple[ChildRegion, ...]


def region_results(region: Region, planning_year: PlanningYear) -> RegionResults:
    """The approved forums of one region and year with their agreed items' places in the printed
    order (items_in_full reads the shown ones whole), and the child regions that have approved
    forums. The same queries for 1 item or 10,000."""
    forums = sorted(
        Forum.objects.filter(planning_year=planning_year, region=region, status=ForumStatus.APPROVED).select_related(
            "region", "agency", "planning_year"
        ),
        # The Musrenbang first, then the Forum Perangkat Daerah by agency code.
        key=lambda f: (f.kind != ForumKind.MUSRENBANG, f.agency.code if f.agency else ""),
    )
    standings: dict[int, list[Standing]] = {f.pk: [] for f in forums}
    agreed = Decision.objects.filter(forum__in=forums, outcome__in=AGREED).order_by("forum_id", "rank", "id")
    for forum_id, *standing in agreed.values_list("forum_id", "pk", "outcome", DECISION_COST):
        standings[forum_id].append(Standing(*standing))
    documents: dict[int, list[MinutesDocument]] = {f.pk: [] for f in forums}
    for document in (
        MinutesDocument.objects.ready()
        .filter(forum__in=forums)
        .order_by("forum_id", "-revision")
        .prefetch_related("scans")
    ):
        documents[document.forum_id].append(document)
    ancestors = Region.objects.filter(code__in=region.ancestor_codes()).order_by("code")
    return RegionResults(
        code=region.code,
        name=official_name(region),
        year=planning_year.year,
        trail=tuple(RegionLink(code=r.code, name=official_name(r)) for r in ancestors),
        forums=tuple(_public_forum(f, standings[f.pk], documents[f.pk]) for f in forums),
        children=tuple(child_regions(planning_year, region)),
    )


def agreed_proposals(region: Region, planning_year: PlanningYear):
    """The proposals the region's approved forums of the year agreed to: the results page's items,
    for its map (proposals/geo.py), on the decisions' forum index."""
    agreed = Decision.objects.filter(
        forum__region=region,
        forum__planning_year=planning_year,
        forum__status=ForumStatus.APPROVED,
        outcome__in=AGREED,
    )
    return Proposal.objects.filter(pk__in=agreed.values("proposal_id"))


def _public_forum(forum: Forum, standings: list[Standing], documents: list[MinutesDocument]) -> PublicForum:
    # The same order and positions as Lampiran II of the minutes (forums.pdf uses ranking too).
    result = ranking(forum, standings)
    return PublicForum(
        name=forum_title(forum),
        items=tuple(Placed(row.position, row.decision.pk) for row in result.rows if row.position is not None),
        total=result.agreed_total,
        documents=tuple(_public_document(d, superseded=i > 0) for i, d in enumerate(documents)),
    )


# What a results page shows of an item: its proposal's few columns, not its texts or search vector.
_SHOWN = ["adjusted_volume", "adjusted_cost", "incoming_volume", "incoming_cost", "proposal__title"]
_SHOWN += ["proposal__unit", "proposal__tracking_code", "proposal__channel", "proposal__volume"]
_SHOWN += ["proposal__estimated_cost", "proposal__village", "proposal__kecamatan", "proposal__current_agency"]
_SHOWN += ["proposal__current_agency__name", "proposal__current_agency__short_name"]


def items_in_full(placed: list[Placed]) -> dict[int, PublicItem]:
    """The shown items (of one forum's page or of several), whole, by their decision's id: one
    query for them and one for their villages' and kecamatan's names."""
    decisions = list(
        Decision.objects.filter(pk__in=[p.pk for p in placed]).select_related("proposal__current_agency").only(*_SHOWN)
    )
    Region.objects.attach([d.proposal for d in decisions], "village", "kecamatan")
    whole = {d.pk: d for d in decisions}
    return {p.pk: _public_item(p.position, whole[p.pk]) for p in placed if p.pk in whole}


def _public_item(position: int, decision: Decision) -> PublicItem:
    proposal = decision.proposal
    return PublicItem(
        position=position,
        title=proposal.title,
        village=proposal.village.display_name,
        kecamatan=proposal.kecamatan.display_name,
        volume=decision.volume,
        unit=proposal.unit,
        cost=decision.cost,
        agency=str(proposal.current_agency or ""),
        tracking_url=reverse("public:track_detail", args=[proposal.tracking_code]) if proposal.tracking_code else "",
        is_pokir=proposal.is_pokir,
    )


def _public_document(document: MinutesDocument, *, superseded: bool) -> PublicDocument:
    return PublicDocument(
        number=document.number,
        revision=document.revision,
        issued_at=document.issued_at,
        sha256=document.sha256,
        download_url=document_url(document),
        verify_url=verify_url(document),
        superseded=superseded,
        scan_url=reverse("public:document_scan", args=[document.verify_code]) if document.scans.all() else "",
    )


def child_regions(planning_year: PlanningYear, parent: Region | None) -> list[ChildRegion]:
    """The regions one level below `parent` (the provinces when None) with approved forums of
    the year anywhere under them, with how many. Two queries: the forums grouped by the child's
    code prefix, then the children's names."""
    level = parent.level + 1 if parent else Level.PROVINSI
    if level > Level.DESA:
        return []
    forums = Forum.objects.filter(planning_year=planning_year, status=ForumStatus.APPROVED)
    if parent is not None:
        forums = forums.filter(region__code__startswith=parent.code + ".")
    counts = dict(
        forums.annotate(child=Substr("region__code", 1, _CODE_LENGTH[level]))
        .values("child")
        .annotate(n=Count("id"))
        .values_list("child", "n")
        .order_by()  # the forums' default order would join each one's year and agency into the count
    )
    if not counts:
        return []
    return [
        ChildRegion(code=r.code, name=official_name(r), forum_count=counts[r.code])
        for r in Region.objects.filter(code__in=counts, level=level).order_by("code")
    ]


# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedDocument:
    """What the verification page says about one issued berita acara."""

    verify_code: str
    number: str
    forum: str
    region: str
    issued_at: datetime.datetime
    revision: int
    sha256: str
    download_url: str
    verify_url: str
    # The newest revision of the same forum when it is newer than this one.
    superseded_by_number: str
    superseded_by_revision: int | None
    superseded_by_url: str
    stored_intact: bool  # the kept file still matches its SHA-256
    link: ChainLink | None  # its link of the public chain (forums/chain.py)
    link_holds: bool


@dataclass(frozen=True)
class ChainLink:
    """One link of the public chain of sealed berita acara, every field of it public."""

    seq: int
    number: str
    document_sha256: str
    sealed_at: datetime.datetime
    previous: str
    digest: str
    anchor: int | None
    verify_url: str


def chain_link(entry: ChainEntry) -> ChainLink:
    return ChainLink(
        seq=entry.seq,
        number=entry.number,
        document_sha256=entry.document_sha256,
        sealed_at=entry.sealed_at,
        previous=entry.previous,
        digest=entry.digest,
        anchor=entry.anchor,
        verify_url=reverse("public:verify", args=[entry.document.verify_code]),
    )


def chain_links():
    """The chain, newest link first, for the public chain page and its CSV."""
    return ChainEntry.objects.select_related("document").only("document__verify_code", *CHAIN_FIELDS).order_by("-seq")


CHAIN_FIELDS = ("seq", "number", "document_sha256", "sealed_at", "previous", "digest", "anchor")


def _documents():
    return MinutesDocument.objects.ready().select_related("forum__region", "forum__agency")


def verified_document(*, verify_code: str | None = None, sha256: str | None = None) -> VerifiedDocument | None:
    """The issued document with this verification code (or this SHA-256), or None. Three queries."""
    lookup = {"verify_code": verify_code.upper()} if verify_code else {"sha256": sha256}
    document = _documents().select_related("chain_entry").filter(**lookup).first()
    if document is None:
        return None
    entry = getattr(document, "chain_entry", None)
    newest = MinutesDocument.objects.ready().filter(forum_id=document.forum_id).order_by("-revision").first()
    newer = newest if newest and newest.revision > document.revision else None
    return VerifiedDocument(
        verify_code=document.verify_code,
        number=document.number,
        forum=forum_title(document.forum),
        region=official_name(document.forum.region),
        issued_at=document.issued_at,
        revision=document.revision,
        sha256=document.sha256,
        download_url=document_url(document),
        verify_url=verify_url(document),
        superseded_by_number=newer.number if newer else "",
        superseded_by_revision=newer.revision if newer else None,
        superseded_by_url=verify_url(newer) if newer else "",
        stored_intact=document.file_intact(),
        link=chain_link(entry) if entry else None,
        link_holds=bool(entry) and chain.link_holds(entry),
    )


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def issued_file(verify_code: str) -> MinutesDocument | None:
    """The stored document behind a public download link."""
    return MinutesDocument.objects.ready().filter(verify_code=verify_code.upper()).first()


def issued_scan(verify_code: str) -> ForumScan | None:
    """The signed and stamped scan of an issued berita acara, once its forum is approved (the
    attendance list's scan is never public: the paper carries addresses and phone numbers)."""
    return (
        ForumScan.objects.filter(
            kind=ScanKind.MINUTES,
            document__in=MinutesDocument.objects.ready().filter(verify_code=verify_code.upper()),
            forum__status=ForumStatus.APPROVED,
        )
        .only("file", "content_type", "original_name")
        .first()
    )
