"""Queue again the berita acara the worker has not sealed: after a worker died mid-task, or once
the cause of repeated failures is fixed. deploy/ runs it from a timer; running it twice is harmless."""

import datetime

from django.core.management.base import BaseCommand

from forums.workflow import queue_unsealed


class Command(BaseCommand):
    help = "Queue the rendering of every berita acara still without its PDF."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            metavar="MINUTES",
            help="only documents issued at least this many minutes ago (default 10; 0 for all)",
        )

    def handle(self, *args, older_than, **options):
        count = queue_unsealed(older_than=datetime.timedelta(minutes=older_than))
        self.stdout.write(f"{count} berita acara queued for rendering.")
