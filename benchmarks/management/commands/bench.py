from django.core.management.base import BaseCommand, CommandError

from benchmarks import bench


class Command(BaseCommand):
    help = (
        "Time every page family of the scale issue on this database (after `seed_national`), in interleaved "
        "rounds, and print one table: p50, p95, queries, SQL time, HTML size."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=7, help="measured rounds after one warm-up (default 7)")
        parser.add_argument("--year", type=int, help="plan year to measure (default: the one with most proposals)")
        parser.add_argument("--only", default="", help="only pages whose name contains this text")

    def handle(self, *args, rounds, year, only, **options):
        if rounds < 1:
            raise CommandError("--rounds must be at least 1.")
        try:
            results = bench.run(year=year, rounds=rounds, only=only, log=self.stdout.write)
        except bench.BenchError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(bench.table(results))
