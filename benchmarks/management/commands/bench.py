from django.core.management.base import BaseCommand, CommandError

from benchmarks import bench
from benchmarks import load as loading


class Command(BaseCommand):
    help = (
        "Time every page family of the scale issue on this database (after `seed_national`), in interleaved "
        "rounds, beside the same list in the Django admin, and print one table: p50, p95, queries, SQL time, "
        "the main query alone, the ratio to the admin, HTML size. With --load: serve the data set with "
        "gunicorn and drive it with a mix of requests for some seconds; print req/s and p50/p95/p99."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=7, help="measured rounds after one warm-up (default 7)")
        parser.add_argument("--year", type=int, help="plan year to measure (default: the one with most proposals)")
        parser.add_argument("--only", default="", help="only pages whose name contains this text")
        parser.add_argument("--explain", action="store_true", help="then print each main query's plan")
        load_mode = parser.add_argument_group("load mode")
        load_mode.add_argument("--load", action="store_true", help="drive gunicorn instead of timing pages")
        load_mode.add_argument("--seconds", type=float, default=30, help="how long (default 30)")
        load_mode.add_argument("--concurrency", type=int, default=6, help="clients at once (default 6)")
        load_mode.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3, as deployed)")
        load_mode.add_argument(
            "--search-share", type=float, default=0.0, help="share of the lists that search (e.g. 0.2; default 0)"
        )
        load_mode.add_argument("--warmup", type=float, default=3, help="seconds not counted first (default 3)")

    def handle(self, *args, rounds, year, only, explain, load: bool, **options):
        try:
            if load:
                self.drive(year=year, **options)
                return
            if rounds < 1:
                raise CommandError("--rounds must be at least 1.")
            results = bench.run(year=year, rounds=rounds, only=only, log=self.stdout.write)
        except bench.BenchError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(bench.table(results))
        if explain:
            self.stdout.write("\n" + bench.explain(results))

    def drive(self, *, year, seconds, concurrency, workers, search_share, warmup, **_options):
        if seconds <= 0 or concurrency < 1 or workers < 1 or not 0 <= search_share <= 1 or warmup < 0:
            raise CommandError(
                "--seconds must be above 0, --concurrency and --workers at least 1, --search-share "
                "between 0 and 1, --warmup not negative."
            )
        result = loading.run(
            seconds=seconds,
            concurrency=concurrency,
            workers=workers,
            search_share=search_share,
            warmup=warmup,
            year=year,
            log=self.stdout.write,
        )
        self.stdout.write(loading.table(result))
