from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from benchmarks import seed as seeding


class Command(BaseCommand):
    help = (
        "Build a national data set for the benchmark: N submitted proposals over every village (or one "
        "province's), each waiting in its village forum with its history, and one province's village and "
        "kecamatan forums approved with their berita acara queued for the worker. PostgreSQL only; needs the "
        "regions (manage.py import_regions). Deterministic for the same arguments."
    )

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=2_000_000, help="how many (default 2,000,000)")
        parser.add_argument("--year", type=int, default=timezone.localdate().year + 1, help="plan year (RKPD)")
        parser.add_argument("--province", metavar="CODE", help="only this province's villages, e.g. 18")
        parser.add_argument(
            "--approved-province",
            metavar="CODE",
            default=seeding.SMALLEST,
            help="the province whose forums are approved up to the kecamatan, or 'none' "
            "(default: the seeded province with the fewest villages)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, proposals, year, province, approved_province, seed: int, **options):
        if proposals < 1:
            raise CommandError("--proposals must be at least 1.")
        try:
            counts = seeding.seed(
                proposals=proposals,
                year=year,
                province=province,
                approved_province=None if approved_province.lower() == "none" else approved_province,
                random_seed=seed,
                log=self.stdout.write,
            )
        except seeding.SeedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded RKPD {year}: {counts.proposals:,} proposals in {counts.villages:,} villages, "
                f"{counts.events:,} events, {counts.forums:,} forums, {counts.decisions:,} decisions, "
                f"{counts.approved:,} forums approved, in {counts.timings['total']:.0f} s."
            )
        )
