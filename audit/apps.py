"""The one place that says what the audit log follows, and why each.

Every audited change goes through the model's save() or delete() (auditlog's signals; a workflow
that wrote these rows with QuerySet.update() or bulk_create() would bypass them, so the planning
and forum workflows save row by row). Not followed here, on purpose: proposals and their
decisions (each proposal has its own history, proposals.ProposalEvent), minutes (revisions are
numbered documents), regions and agencies (the Kemendagri import), planning years (a number).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _region(obj):
    return obj.region


def _forum_region(obj):
    return obj.forum.region


def _forum_name(obj):
    return str(obj.forum)


def _priority_region(indicator):
    return indicator.priority.region


def _realisation_region(realisation):
    return realisation.indicator.priority.region


def _office_region(office):
    return office.region if office.region_id else office.agency.region


def _officer_region(user):
    # An agency officer works in the agency's region (accounts.User.clean copies it).
    if user.region_id is None and user.agency_id is not None:
        return user.agency.region
    return user.region


def _officer_place(user):
    region = _officer_region(user)
    return str(user.agency) if user.agency_id else (region.display_name if region else "")


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from auditlog.signals import post_log
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from catalogue.models import CatalogueItem
        from downloads.builders import register
        from forums.models import Attendee, Ceiling, Criterion, Delegate, Forum, ForumScan, MonitoringTeam
        from planning.models import Indicator, IndicatorValue, LateEntry, RegionalPriority, StageWindow
        from regions.models import Office

        from . import exports, recording
        from .registry import Kind, track

        # A kecamatan's indicative ceiling decides how much of its list goes forward: the issue's
        # own example is a ceiling cut from Rp1.5 billion to Rp600 million without a trace.
        track(Ceiling, kind=Kind.CEILING, region=_region, money={"amount"})
        # The criteria and their weights decide every item's rank in the region's forums.
        track(Criterion, kind=Kind.CRITERION, region=_region)
        # Stage windows decide when villages may enter and forums may sit; a national window
        # (no region) is in the administrator's log only.
        track(StageWindow, kind=Kind.WINDOW, region=_region)
        # A late entry opens intake again for named villages (and lifts the forums' windows).
        track(LateEntry, kind=Kind.WINDOW, region=_region, m2m_fields={"villages"}, exclude_fields=["created_at"])
        # Regional priorities are what agreed items are classified under in the RKPD.
        track(RegionalPriority, kind=Kind.PRIORITY, region=_region)
        # Its indicators (baseline and target) and each year's realisation: what the plan is
        # measured by. Logged under the priority's kind, in the priority's region.
        track(Indicator, kind=Kind.PRIORITY, region=_priority_region)
        track(IndicatorValue, kind=Kind.PRIORITY, region=_realisation_region, exclude_fields=["recorded_at"])
        # A forum's details (date, place, chair, the minutes' texts, the reason for exceeding the
        # ceiling) and its approval: what its berita acara says about the meeting.
        track(Forum, kind=Kind.FORUM, region=_region, exclude_fields=["created_at"])
        # Who attended and who was elected: the quorum and the delegates the next forum hears.
        track(Attendee, kind=Kind.ATTENDEE, region=_forum_region, place=_forum_name)
        track(Delegate, kind=Kind.DELEGATE, region=_forum_region, place=_forum_name)
        # The signed paper kept with a forum (attendance list, stamped berita acara): who put which
        # file there and when; a replaced scan shows as a change of its file.
        track(ForumScan, kind=Kind.SCAN, region=_forum_region, place=_forum_name)
        # The letterhead a unit prints on its minutes (address, telephone, e-mail, logo file).
        track(
            Office, kind=Kind.OFFICE, region=_office_region, place=lambda o: str(o.unit), exclude_fields=["updated_at"]
        )
        # The catalogue of proposals: which price an item had when, who changed it, who turned it off.
        track(
            CatalogueItem,
            kind=Kind.CATALOGUE,
            region=lambda item: item.kabupaten,
            money={"unit_price"},
            exclude_fields=["created_at", "updated_at", "search_name"],
        )
        # Who monitors the season's forums: a team's name, leader and members.
        track(MonitoringTeam, kind=Kind.TEAM, region=_region, exclude_fields=["created_at"])
        # Accounts: created, edited, deactivated, given another role or region, a new password
        # (logged as changed, its hash never shown). Hooked on the model, so that the admin and
        # the account pages are both followed; the time of the last login is left out (logins
        # have entries of their own).
        track(
            get_user_model(),
            kind=Kind.ACCOUNT,
            region=_officer_region,
            place=_officer_place,
            hidden={"password"},
            exclude_fields=["last_login", "date_joined"],
        )

        post_log.connect(recording.placed, dispatch_uid="audit.placed")
        user_logged_in.connect(recording.logged_in, dispatch_uid="audit.logged_in")
        user_login_failed.connect(recording.login_failed, dispatch_uid="audit.login_failed")
        register(exports.KIND, exports.build_in_worker)
