"""Check every issued berita acara's kept file against the SHA-256 recorded when it was sealed,
and the public chain of sealed documents link by link (forums/chain.py): after a restore
(scripts/restore.sh runs it), and from a timer (deploy/). Exits 1 when any file is missing or
changed, naming each, or when a link of the chain does not hold."""

from django.core.management.base import BaseCommand, CommandError

from forums import chain
from forums.models import MinutesDocument


class Command(BaseCommand):
    help = "Check every issued berita acara's file against its recorded SHA-256."

    def handle(self, *args, **options):
        checked, broken = 0, []
        for document in MinutesDocument.objects.ready().order_by("pk").iterator(chunk_size=500):
            checked += 1
            if not document.file_intact():
                broken.append(document)
        for document in broken:
            self.stderr.write(f"{document.number}: {document.pdf.name} is missing or no longer matches its SHA-256")
        links = chain.verify()
        if links.problem:
            where = f"link {links.broken_at}: " if links.broken_at else ""
            self.stderr.write(f"The chain of issued berita acara does not hold at {where}{links.problem}.")
        if broken:
            raise CommandError(f"{len(broken)} of {checked} issued berita acara do not match their SHA-256.")
        if links.problem:
            raise CommandError(f"The chain of issued berita acara is broken ({links.checked} links read).")
        self.stdout.write(
            f"{checked} issued berita acara checked: every file matches its SHA-256; "
            f"their chain holds ({links.checked} links read)."
        )
