"""Delete downloads older than a number of days, files first: an export holds a snapshot of a
list that was current when it was built, and its owner has had days to fetch it.
deploy/ runs it from a nightly timer."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from downloads.models import Download


class Command(BaseCommand):
    help = "Delete finished downloads older than --days (default 7), their files included."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="keep downloads younger than this (default 7)")

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = Download.objects.filter(created_at__lt=cutoff, finished_at__isnull=False)
        count = 0
        for download in old.iterator():
            # The file first: a row without its file is what the page already handles (a 404),
            # a file without its row would be found by nobody.
            if download.file:
                download.file.storage.delete(download.file.name)
            download.delete()
            count += 1
        self.stdout.write(f"{count} downloads deleted.")
