"""Who is told what: the listener intake and deliberation report to (proposals/seams.py).

- Each event that matters to a village (its item returned, decided, handed to another agency,
  merged, forwarded, or closed) tells the village operators of the item's village; for a Pokir
  item, the DPRD member who entered it instead.
- An approved forum tells the officers who run it (its region's operators, or the agency's
  officers for a Forum Perangkat Daerah), the village operators whose items it decided, and the
  DPRD members whose pokok-pikiran it decided.
Nobody is told of what they did themselves, and deactivated accounts are told nothing.

Everything is written inside the transaction of the change (a change rolled back tells nobody)
in a fixed number of queries however many items move: who to tell in one query, what the forum
decided in one, the notifications in one INSERT, and the e-mail (when mail is configured) as one
task for the background worker, enqueued in the same transaction (notifications/mail.py).
"""

from __future__ import annotations

from django.db.models import Count, Q

from accounts.models import Role, User
from accounts.reset import mail_configured
from forums.access import RUNS_LEVEL
from forums.models import Decision, ForumKind
from proposals.models import Channel

from .mail import mail_notifications
from .models import Kind, Notification

# The events a village hears of; its own (created, edited, submitted...) and a forum's working
# steps (scored, classified) it does not.
TOLD = {kind.value for kind in Kind} - {Kind.FORUM_APPROVED}


class Notifier:
    def events_written(self, events: list) -> None:
        events = [event for event in events if event.action in TOLD]
        if not events:
            return
        # A village's item tells its village; a DPRD member's pokok-pikiran tells its member, and
        # never the village it lies in (villages do not see Pokir: proposals/queries.py).
        operators: dict[tuple[str, int], list[tuple[int, str]]] = {}
        villages = {e.proposal.village_id for e in events if not e.proposal.is_pokir}
        members = {e.proposal.created_by_id for e in events if e.proposal.is_pokir}
        for pk, role, region_id, email in User.objects.filter(
            Q(role=Role.VILLAGE_OPERATOR, region_id__in=villages) | Q(role=Role.DPRD_MEMBER, pk__in=members),
            is_active=True,
        ).values_list("pk", "role", "region_id", "email"):
            key = ("member", pk) if role == Role.DPRD_MEMBER else ("village", region_id)
            operators.setdefault(key, []).append((pk, email))
        if not operators:
            return
        decisions = _decisions_behind(events)
        notifications = []
        for event in events:
            params = _params(event, decisions.get((event.forum_id, event.proposal_id), {}))
            proposal = event.proposal
            key = ("member", proposal.created_by_id) if proposal.is_pokir else ("village", proposal.village_id)
            for pk, email in operators.get(key, []):
                if pk != event.actor_id:
                    notification = Notification(
                        recipient_id=pk,
                        kind=event.action,
                        params=params,
                        proposal_id=event.proposal_id,
                        forum_id=event.forum_id,
                        created_at=event.at,
                    )
                    notifications.append((notification, bool(email)))
        _write(notifications)

    def forum_approved(self, forum, actor) -> None:
        decided = Decision.objects.filter(forum=forum).order_by()
        villages = dict(
            decided.filter(proposal__channel=Channel.MUSRENBANG)
            .values_list("proposal__village_id")
            .annotate(items=Count("pk"))
        )
        members = dict(
            decided.filter(proposal__channel=Channel.POKIR)
            .values_list("proposal__created_by_id")
            .annotate(items=Count("pk"))
        )
        if forum.kind == ForumKind.AGENCY:
            runners = Q(role=Role.AGENCY_OFFICER, agency_id=forum.agency_id)
        else:
            runners = Q(role=RUNS_LEVEL[forum.level], region_id=forum.region_id)
        recipients = (
            User.objects.filter(
                runners
                | Q(role=Role.VILLAGE_OPERATOR, region_id__in=villages)
                | Q(role=Role.DPRD_MEMBER, pk__in=members),
                is_active=True,
            )
            .exclude(pk=actor.pk)
            .values_list("pk", "role", "region_id", "email")
        )
        notifications = []
        for pk, role, region_id, email in recipients:
            # A village operator who also runs this forum (a Musrenbang Desa) hears it once, with
            # the count of the village's items.
            items = {Role.VILLAGE_OPERATOR: villages.get(region_id), Role.DPRD_MEMBER: members.get(pk)}.get(role)
            notification = Notification(
                recipient_id=pk,
                kind=Kind.FORUM_APPROVED,
                params={"items": items} if items else {},
                forum_id=forum.pk,
                created_at=forum.approved_at,
            )
            notifications.append((notification, bool(email)))
        _write(notifications)


def _decisions_behind(events: list) -> dict:
    """(forum, proposal) -> what that forum decided on the item: one query for all the events."""
    forums = {event.forum_id for event in events if event.forum_id}
    if not forums:
        return {}
    rows = Decision.objects.filter(forum_id__in=forums, proposal_id__in={e.proposal_id for e in events}).values(
        "forum_id",
        "proposal_id",
        "outcome",
        "reason",
        "adjusted_cost",
        "handed_to__name",
        "merged_into__title",
        "merged_into__tracking_code",
    )
    # In a dict, unordered: the decisions' default order would join the forum, its year, region and agency.
    return {(row["forum_id"], row["proposal_id"]): row for row in rows.order_by()}


def _params(event, decision: dict) -> dict:
    """What the message needs, as plain values: never a translated word (messages.py renders them)."""
    proposal = event.proposal
    params = {"title": proposal.title, "code": proposal.tracking_code or ""}
    reason = decision.get("reason") or ""
    if event.action == Kind.DECIDED:
        params.update(outcome=decision.get("outcome", ""), reason=reason)
        if decision.get("adjusted_cost") is not None:
            params["cost"] = decision["adjusted_cost"]
    elif event.action == Kind.RETURNED:
        params["reason"] = reason or event.note
    elif event.action == Kind.HANDED_OVER:
        params.update(agency=decision.get("handed_to__name") or "", reason=reason)
    elif event.action == Kind.MERGED:
        params.update(
            other_title=decision.get("merged_into__title") or "",
            other_code=decision.get("merged_into__tracking_code") or "",
            reason=reason,
        )
    elif event.action == Kind.FORWARDED:
        params["level"] = event.to_level
    elif event.action == Kind.CLOSED:
        params.update(status=event.to_status, reason=reason)
    return params


def _write(notifications: list[tuple[Notification, bool]]) -> None:
    """Save the notifications; queue the mail of those whose recipient has an address."""
    if not notifications:
        return
    Notification.objects.bulk_create([notification for notification, _has_email in notifications])
    to_mail = [notification.pk for notification, has_email in notifications if has_email]
    if mail_configured() and to_mail:
        mail_notifications.enqueue(to_mail)
