"""Following a proposal by e-mail: anyone gives an address on the proposal's tracking page, opens
the link mailed there to confirm (double opt-in), and from then on hears when the proposal's
public record changes: when a forum that decided it is approved (its decision becomes public,
see public/tracking.py) and when its village withdraws it. Every message carries a link that
stops it in one step, and the List-Unsubscribe headers a mail program offers as a button.

Nothing tells anyone whether an address follows anything: the page says the same for a new
address, one already confirmed and one waiting. An address waiting for its confirmation gets the
link again at most every RESEND minutes, and one network address may ask ASKS_PER_HOUR times an
hour: the form cannot be used to flood someone's inbox.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.reset import mail_configured
from proposals.enums import EventAction
from proposals.models import Proposal

from .models import Follower
from .tracking import tracked_proposal

RESEND = datetime.timedelta(minutes=10)
ASKS_PER_HOUR = 20


def may_ask(address: str) -> bool:
    """Count one more request from this network address; False past ASKS_PER_HOUR this hour."""
    key = f"follow-asks:{address}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) <= ASKS_PER_HOUR
    except ValueError:  # expired between add and incr
        return True


def ask_to_follow(proposal: Proposal, email: str) -> None:
    """Record the wish and mail the confirmation link (unless confirmed, or mailed a moment ago)."""
    email = email.strip().lower()
    with transaction.atomic():
        follower = Follower.objects.select_for_update().filter(proposal=proposal, email=email).first()
        if follower is None:
            try:
                with transaction.atomic():
                    follower = Follower.objects.create(proposal=proposal, email=email, token=secrets.token_urlsafe(32))
            except IntegrityError:  # the same address, sent twice at once: the other one mails
                return
        elif follower.confirmed_at is not None or follower.asked_at > timezone.now() - RESEND:
            return
        else:
            follower.asked_at = timezone.now()
            follower.save(update_fields=["asked_at"])
        mail_confirmation.enqueue(follower.pk)


def by_token(token: str) -> Follower | None:
    """The follower a mailed link names, with its proposal; None for a link that names nobody."""
    return Follower.objects.select_related("proposal").filter(token=token).first()


def confirm(follower: Follower) -> None:
    if follower.confirmed_at is None:
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])


def stop(follower: Follower) -> None:
    """Forget the address for this proposal."""
    follower.delete()


# --- the messages ---------------------------------------------------------------------------


def _address(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


@task
def mail_confirmation(follower_id: int) -> bool:
    follower = Follower.objects.select_related("proposal").filter(pk=follower_id, confirmed_at__isnull=True).first()
    if follower is None or not mail_configured():
        return False
    proposal = follower.proposal
    with translation.override("id"):
        message = EmailMessage(
            subject=_("Confirm: follow proposal %(code)s") % {"code": proposal.tracking_code},
            body="\n\n".join(
                [
                    _("Someone (we hope you) asked for news of the proposal “%(title)s” (%(code)s) on Musrenbang.")
                    % {"title": proposal.title, "code": proposal.tracking_code},
                    _("To start receiving it, open this link and confirm: %(link)s")
                    % {"link": _address(reverse("public:follow_confirm", args=[follower.token]))},
                    _("If it was not you, ignore this message: nothing more will be sent."),
                ]
            ),
            to=[follower.email],
        )
        with mailers.default as connection:
            connection.send_messages([message])
    return True


@task
def tell_followers(follower_ids: list[int]) -> int:
    """Mail each confirmed follower what the proposal's public record says now."""
    if not mail_configured():
        return 0
    followers = Follower.objects.filter(pk__in=follower_ids, confirmed_at__isnull=False).select_related("proposal")
    sent = 0
    with translation.override("id"), mailers.default as connection:
        for follower in followers:
            record = tracked_proposal(follower.proposal.tracking_code)
            if record is None:
                continue
            stop_link = _address(reverse("public:follow_stop", args=[follower.token]))
            lines = [
                _("News of the proposal “%(title)s” (%(code)s).")
                % {"title": record.title, "code": record.tracking_code},
                _("Where it stands now: %(status)s.") % {"status": record.status},
            ]
            if record.steps:  # the newest line of its public timeline
                last = record.steps[-1]
                lines.append(
                    last.action + (f" · {last.forum}" if last.forum else "") + (f": {last.note}" if last.note else "")
                )
            lines += [
                _("Its whole record: %(link)s")
                % {"link": _address(reverse("public:track_detail", args=[record.tracking_code]))},
                "-- \n" + _("Stop following this proposal: %(link)s") % {"link": stop_link},
            ]
            message = EmailMessage(
                subject=_("News of proposal %(code)s: %(title)s")
                % {"code": record.tracking_code, "title": record.title},
                body="\n\n".join(lines),
                to=[follower.email],
                headers={"List-Unsubscribe": f"<{stop_link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            )
            connection.send_messages([message])
            sent += 1
    return sent


class FollowerListener:
    """Hears intake and deliberation (proposals/seams.py) and queues the followers' mail: one task
    per change, in its transaction, two queries at most, whatever the number of items."""

    def events_written(self, events: list) -> None:
        withdrawn = {event.proposal_id for event in events if event.action == EventAction.WITHDRAWN}
        if withdrawn:
            self._tell(Follower.objects.filter(proposal_id__in=withdrawn))

    def forum_approved(self, forum, actor) -> None:
        self._tell(Follower.objects.filter(proposal__decisions__forum=forum))

    def _tell(self, followers) -> None:
        if not mail_configured():
            return
        ids = list(followers.filter(confirmed_at__isnull=False).values_list("pk", flat=True))
        if ids:
            tell_followers.enqueue(ids)
