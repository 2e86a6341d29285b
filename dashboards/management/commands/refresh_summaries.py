import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from dashboards import summaries


class Command(BaseCommand):
    help = (
        "Recompute the national and provincial dashboard summaries now, in one transaction. Pages ask the "
        f"background worker for this when their figures are over {summaries.MAX_AGE.seconds // 60} minutes old; "
        "run it from a systemd timer or cron when they must be fresh at set times (e.g. before office hours)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        read_at = summaries.refresh()
        self.stdout.write(
            f"Summaries refreshed in {time.perf_counter() - started:.1f} s "
            f"(figures as of {timezone.localtime(read_at):%Y-%m-%d %H:%M:%S})."
        )
