"""What anyone may read about one proposal by its tracking code: where it is, and what the forums
decided, as far as each has approved its result.

A forum's decisions, scores and notes are its working state until it approves: an item agreed in
the morning may be cut below the ceiling's line in the afternoon, and only the approval makes
either an outcome. So the timeline shows
- the item's moves: submitted, returned, resubmitted, handed over, forwarded, merged, closed,
  withdrawn by its village;
- a forum's decision only once that forum is approved, and then only its last one: the result,
  not the deliberation;
- a forum's words (its reasons, where the item went) only once that forum is approved; the
  village's own reason for withdrawing at once;
- "in deliberation" for the open forum that holds the item now.
Scores never. A decision is worded when read, in the reader's language (ProposalEvent.display_note),
not in that of the officer who recorded it.

As everywhere in public/ (see public/queries.py), the page gets plain dataclasses built field by
field: nothing else of the proposal, its events or its officers reaches it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from forums.defaults import forum_title, official_name
from forums.models import Decision, Forum, ForumStatus, MinutesDocument, Outcome
from proposals.access import public_scope_filter
from proposals.models import Attachment, AttachmentKind, EventAction, Proposal, ProposalEvent, Status
from proposals.queries import with_regions

from .delivery import PublicDelivery, delivery_of
from .queries import document_url, latest_documents, normalize_tracking_code

# The events a citizen sees on the timeline; created, edited and scored stay internal.
PUBLIC_ACTIONS = frozenset(
    {
        EventAction.SUBMITTED,
        EventAction.DECIDED,
        EventAction.RETURNED,
        EventAction.RESUBMITTED,
        EventAction.HANDED_OVER,
        EventAction.MERGED,
        EventAction.FORWARDED,
        EventAction.CLOSED,
        EventAction.WITHDRAWN,
    }
)
# Of those, the ones whose note is a forum's (its reason, where the item went): shown once the
# forum is approved.
FORUM_NOTES = frozenset(
    {
        EventAction.DECIDED,
        EventAction.RETURNED,
        EventAction.HANDED_OVER,
        EventAction.MERGED,
        EventAction.FORWARDED,
        EventAction.CLOSED,
    }
)
# Every note shown: the forums' (once approved) and the village's reason for withdrawing.
NOTED_ACTIONS = FORUM_NOTES | {EventAction.WITHDRAWN}
# A forum's later event of these kinds replaces its earlier decision on the item.
_DECIDING = frozenset({EventAction.DECIDED, EventAction.RETURNED, EventAction.HANDED_OVER})


@dataclass(frozen=True)
class PublicStep:
    """One line of a proposal's public timeline."""

    at: datetime.datetime | None  # None for "in deliberation": a state, not an event
    action: str
    from_level: str
    to_level: str
    forum: str
    note: str
    document_url: str  # the latest berita acara of the event's forum; empty before it is issued
    pending: bool = False  # the forum holding the item has not approved its result yet


@dataclass(frozen=True)
class PublicProposal:
    """Everything the tracking page may show about a proposal."""

    tracking_code: str
    title: str
    village: str
    kecamatan: str
    kabupaten: str
    provinsi: str
    planning_year: int
    level: str
    status: str
    status_code: str
    merged_into_code: str
    steps: tuple[PublicStep, ...]
    is_pokir: bool = False  # a DPRD member's pokok-pikiran, not a village's proposal
    # The photos, when the village chose to show them (Proposal.photos_public): their public addresses.
    photo_urls: tuple[str, ...] = ()
    # What became of it once the plan took it in (public/delivery.py), when its agency has reported.
    delivery: PublicDelivery | None = None


def tracked_proposal(code: str) -> PublicProposal | None:
    """The public view of the submitted proposal with this tracking code, or None. Five queries:
    the proposal, its regions, its public events with their forums, those forums' latest minutes,
    and (while it is submitted) the forum deliberating on it; one more for what it was merged into,
    one for its photos when they are public, and three for its delivery once the plan took it in."""
    normalized = normalize_tracking_code(code)
    if normalized is None:
        return None
    proposal = (
        Proposal.objects.filter(public_scope_filter(), tracking_code=normalized).select_related("planning_year").first()
    )
    if proposal is None:
        return None
    # Its regions by id and what it merged into apart: joined, the query took 3.8 ms to plan
    # and 0.1 to run at 2 M proposals (proposals/queries.py, with_regions).
    with_regions([proposal])
    # Through proposal.events, each event knows its proposal without a query (display_note reads its unit).
    events = _outcomes_only(
        list(
            proposal.events.filter(action__in=PUBLIC_ACTIONS)
            .select_related("forum__region", "forum__agency")
            .order_by("at", "id")
        )
    )
    latest = latest_documents({e.forum_id for e in events if e.forum_id})
    # A forum's berita acara is linked once, from the last step that forum took.
    last_of_forum = {e.forum_id: e.pk for e in events if e.forum_id}
    steps = [_step(event, latest if last_of_forum.get(event.forum_id) == event.pk else {}) for event in events]
    holding = _deliberating(proposal) if proposal.status == Status.SUBMITTED else None
    if holding is not None:
        steps.append(
            PublicStep(
                at=None,
                action=_("In deliberation"),
                from_level="",
                to_level=holding.get_level_display(),
                forum=forum_title(holding),
                note="",
                document_url="",
                pending=True,
            )
        )
    return PublicProposal(
        tracking_code=proposal.tracking_code,
        title=proposal.title,
        village=official_name(proposal.village),
        kecamatan=official_name(proposal.kecamatan),
        kabupaten=official_name(proposal.kabupaten),
        provinsi=official_name(proposal.provinsi),
        planning_year=proposal.planning_year.year,
        level=proposal.get_level_display(),
        status=proposal.get_status_display(),
        status_code=proposal.status,
        merged_into_code=proposal.merged_into.tracking_code if proposal.merged_into else "",
        steps=tuple(steps),
        is_pokir=proposal.is_pokir,
        photo_urls=tuple(reverse("public:photo", args=[proposal.tracking_code, pk]) for pk in public_photos(proposal)),
        delivery=delivery_of(proposal),
    )


def public_photos(proposal: Proposal) -> list[int]:
    """The ids of the photos anyone may see: only when the village chose so (one query then)."""
    if not proposal.photos_public:
        return []
    return list(proposal.attachments.filter(kind=AttachmentKind.PHOTO).order_by("id").values_list("pk", flat=True))


def public_photo(code: str, pk: int) -> Attachment | None:
    """One photo of a submitted proposal whose village chose to show its photos, or None."""
    normalized = normalize_tracking_code(code)
    if normalized is None:
        return None
    return (
        Attachment.objects.exclude(proposal__status=Status.DRAFT)
        .filter(
            pk=pk,
            kind=AttachmentKind.PHOTO,
            proposal__tracking_code=normalized,
            proposal__photos_public=True,
        )
        .only("file", "content_type", "original_name")
        .first()
    )


def _approved(event: ProposalEvent) -> bool:
    return event.forum is not None and event.forum.status == ForumStatus.APPROVED


def _outcomes_only(events: list[ProposalEvent]) -> list[ProposalEvent]:
    """The events without the decisions that are not outcomes: those of a forum still open, and
    those its forum later replaced (by another decision, a return, a hand-over)."""
    replaced: set[int] = set()
    kept = []
    for event in reversed(events):
        if event.action == EventAction.DECIDED and (not _approved(event) or event.forum_id in replaced):
            continue
        if event.action in _DECIDING and event.forum_id:
            replaced.add(event.forum_id)
        kept.append(event)
    kept.reverse()
    return kept


def _step(event: ProposalEvent, latest: dict[int, MinutesDocument]) -> PublicStep:
    document = latest.get(event.forum_id)
    noted = event.action in NOTED_ACTIONS and (event.action not in FORUM_NOTES or _approved(event))
    return PublicStep(
        at=event.at,
        action=event.get_action_display(),
        from_level=event.get_from_level_display() if event.from_level else "",
        to_level=event.get_to_level_display() if event.to_level else "",
        forum=forum_title(event.forum) if event.forum else "",
        note=event.display_note if noted else "",
        document_url=document_url(document) if document else "",
    )


def _deliberating(proposal: Proposal) -> Forum | None:
    """The open forum whose list holds the item now, waiting to decide or to approve."""
    decision = (
        Decision.objects.filter(proposal=proposal)
        .exclude(forum__status=ForumStatus.APPROVED)
        .exclude(outcome=Outcome.HANDED_OVER)
        .select_related("forum__region", "forum__agency")
        .order_by("-id")
        .first()
    )
    return decision.forum if decision else None
