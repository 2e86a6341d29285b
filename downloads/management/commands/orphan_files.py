"""List (and with --delete remove) the stored files no row names: left by a crash between writing
a file and committing its row, or by a restore of an older database. Every FileField of every
model counts as naming its files (read through the app registry, so no app is imported here).
Files younger than --older-than minutes are left alone: an upload may be on its way to its row."""

import datetime

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone


def named_files() -> set[str]:
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{field.name: ""})
                    .values_list(field.name, flat=True)
                    .iterator(chunk_size=2000)
                )
    return names


def stored_files(storage, folder: str = ""):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no file was ever stored
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


class Command(BaseCommand):
    help = "List the stored files no database row names; --delete removes them."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove them (default: only list)")
        parser.add_argument("--older-than", type=int, default=60, metavar="MINUTES", help="default 60")

    def handle(self, *args, delete, older_than, **options):
        storage = default_storage
        named = named_files()
        cutoff = timezone.now() - datetime.timedelta(minutes=older_than)
        orphans = [
            name for name in stored_files(storage) if name not in named and storage.get_modified_time(name) < cutoff
        ]
        for name in orphans:
            self.stdout.write(name)
            if delete:
                storage.delete(name)
        verb = "removed" if delete else "found (run with --delete to remove them)"
        self.stdout.write(f"{len(orphans)} file(s) no row names {verb}.")
