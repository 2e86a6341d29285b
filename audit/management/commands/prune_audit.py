"""Delete audit log entries past their keeping time: logins and failed logins after a year (they
hold addresses and usernames, personal data the log needs only to spot recent abuse), every other
change after ten years (the planning record a Bappeda may be asked to account for: the RPJMD's
five years twice over). deploy/ runs it from a weekly timer.

Deleting a LogEntry takes its EntryRegion rows with it (CASCADE). Deleted in batches, so that a
first run on years of entries never holds one long transaction.
"""

import datetime

from auditlog.models import LogEntry
from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.registry import Kind

LOGINS = [Kind.LOGIN, Kind.LOGIN_FAILED]
BATCH = 5_000


def prune(entries) -> int:
    deleted = 0
    while ids := list(entries.values_list("pk", flat=True)[:BATCH]):
        LogEntry.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted


class Command(BaseCommand):
    help = "Delete login entries older than --login-days (365) and other entries older than --years (10)."

    def add_arguments(self, parser):
        parser.add_argument("--login-days", type=int, default=365, help="keep logins this many days (default 365)")
        parser.add_argument("--years", type=int, default=10, help="keep every other entry this many years (default 10)")

    def handle(self, *args, login_days, years, **options):
        now = timezone.now()
        login_cutoff = now - datetime.timedelta(days=login_days)
        change_cutoff = now - datetime.timedelta(days=365 * years + years // 4)
        logins = prune(LogEntry.objects.filter(timestamp__lt=login_cutoff, regions__kind__in=LOGINS).distinct())
        changes = prune(LogEntry.objects.filter(timestamp__lt=change_cutoff))
        self.stdout.write(f"{logins} login entries and {changes} other entries deleted.")
