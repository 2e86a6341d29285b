"""Forget finished imports after a number of days, and give up on ones the worker dropped.

A finished upload keeps only its outcome (the file went once it was read), but a refused one
lists the rows with errors as the file held them: phone numbers and addresses among them.
An upload still unfinished after an hour was lost by a worker that stopped mid-way (nothing was
saved: the saving is one transaction with marking it finished); it is marked failed, so that its
page says so instead of waiting forever, and its file is deleted. deploy/ runs this nightly.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from uploads.models import FINISHED, Upload
from uploads.tasks import server_error


class Command(BaseCommand):
    help = "Delete finished uploads older than --days (default 7); mark those unfinished after an hour failed."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="keep uploads younger than this (default 7)")

    def handle(self, *args, days, **options):
        now = timezone.now()
        old = Upload.objects.filter(created_at__lt=now - datetime.timedelta(days=days), state__in=FINISHED)
        for kept in old.exclude(file=""):  # a check never confirmed keeps its file (readers.Saved.keep_file)
            kept.file.delete(save=False)
        deleted, _ = old.delete()
        lost = 0
        dropped = Upload.objects.filter(created_at__lt=now - datetime.timedelta(hours=1)).exclude(state__in=FINISHED)
        for upload in dropped:
            with transaction.atomic():
                server_error(upload)
            lost += 1
        self.stdout.write(f"{deleted} uploads deleted, {lost} unfinished ones marked failed.")
