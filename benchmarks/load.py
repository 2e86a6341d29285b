"""`manage.py bench --load`: the pages as production serves them, under steady load.

Starts gunicorn as the README's Production section runs it (DEBUG=0, sync workers, `--workers 3`)
on 127.0.0.1 at a free port, on the same database, with its static files collected first (the
manifest storage of DEBUG=0 needs them). Logs the officers in with a session each, written to
the database the server reads. Then `concurrency` client threads keep it busy for `seconds`:
each sends a request, reads the whole answer and sends the next (a closed loop, so never more
than `concurrency` requests are in flight, and a slow server is not buried under a queue it
could never serve). Each thread walks the same mix, the scale issue's: kabupaten lists (40 %,
pages 1 to 3, of which a share searches for a frequent word), tracking pages (30 %, codes from
across the country), the kabupaten's dashboard (15 %), public statistics (10 %) and the national
staff dashboard (5 %). A few seconds of warm-up first are not counted.

Prints one row per kind of request and one for all: requests, req/s, p50/p95/p99 and errors
(any answer but 200, or none). gunicorn is stopped at the end, however the run ends.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client

from dashboards import summaries
from proposals.models import Proposal

from .bench import BenchError, personas, planning_year_to_measure

ROOT = Path(settings.BASE_DIR)
SEARCH_WORDS = ["jembatan", "jalan", "sumur", "posyandu", "drainase"]
# (kind, persona, share of requests in percent); lists first: a share of them become searches.
MIX = [
    ("kabupaten list", "kabupaten", 40),
    ("tracking page", None, 30),
    ("kabupaten dashboard", "kabupaten", 15),
    ("public statistics", None, 10),
    ("national dashboard", "admin", 5),
]
SEARCH = "kabupaten search"
KINDS = [MIX[0][0], SEARCH] + [kind for kind, _persona, _share in MIX[1:]]


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""


@dataclass
class LoadResult:
    seconds: float
    tallies: dict[str, Tally]
    workers: int
    concurrency: int
    search_share: float
    client_cpu: float = 0.0  # seconds of CPU the client threads took: what they took from the server

    def errors(self) -> int:
        return sum(t.errors for t in self.tallies.values())


def deck(size: int = 100) -> list[str]:
    """The mix as one sequence (smooth weighted round robin): every kind comes back at even steps,
    so that even a run of a few seconds meets each of them."""
    current = {kind: 0 for kind, _persona, _share in MIX}
    order = []
    for _ in range(size):
        for kind, _persona, share in MIX:
            current[kind] += share
        chosen = max(current, key=current.get)
        current[chosen] -= 100
        order.append(chosen)
    return order


def run(
    *, seconds: float = 30, concurrency: int = 6, workers: int = 3, search_share: float = 0.0, warmup: float = 3,
    year: int | None = None, static_root: Path | None = None, log=print,
) -> LoadResult:  # fmt: skip
    """Serve the data set with gunicorn and measure the mix for `seconds`; see the module's doc."""
    planning_year = planning_year_to_measure(year)
    summaries.refresh()
    users = personas(planning_year)
    cookies = {None: ""}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        cookies[name] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    urls = _urls(planning_year)
    with Gunicorn(workers=workers, static_root=static_root or Path(settings.VAR_DIR) / "bench-static") as server:
        log(f"gunicorn on 127.0.0.1:{server.port}, {workers} workers; {concurrency} clients for {seconds:g} s")
        _drive(server.port, urls, cookies, concurrency, warmup, search_share, tallies=None)
        tallies = {kind: Tally() for kind in KINDS}
        cpu = time.process_time()
        elapsed = _drive(server.port, urls, cookies, concurrency, seconds, search_share, tallies=tallies)
        cpu = time.process_time() - cpu
    return LoadResult(elapsed, tallies, workers, concurrency, search_share, cpu)


def _urls(planning_year) -> dict[str, list[str]]:
    year = planning_year.year
    ids = Proposal.objects.filter(planning_year=planning_year).order_by("id").values_list("id", flat=True)
    first, last = ids.first(), ids.last()
    spread = range(first, last + 1, max(1, (last - first) // 200))
    codes = Proposal.objects.filter(pk__in=spread).exclude(tracking_code=None).values_list("tracking_code", flat=True)
    lists = f"/usulan/?planning_year={planning_year.pk}"
    return {
        "kabupaten list": [f"{lists}&status=submitted&page={page}" for page in (1, 2, 3)],
        SEARCH: [f"{lists}&q={quote(word)}" for word in SEARCH_WORDS],
        "tracking page": [f"/lacak/{code}/" for code in sorted(codes)],
        "kabupaten dashboard": [f"/dasbor/?tahun={year}"],
        "public statistics": [f"/statistik/?tahun={year}"],
        "national dashboard": [f"/dasbor/?tahun={year}"],
    }


def _drive(port, urls, cookies, concurrency, seconds, search_share, *, tallies) -> float:
    """Keep `concurrency` clients busy for `seconds`; count into `tallies` (None: a warm-up)."""
    persona = {kind: who for kind, who, _share in MIX} | {SEARCH: "kabupaten"}
    order = deck()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        step = number * 7  # the threads start at different places of the mix
        while time.perf_counter() < deadline:
            kind = order[step % len(order)]
            step += 1
            if kind == MIX[0][0] and rng.random() < search_share:
                kind = SEARCH
            status, elapsed, error = _get(port, rng.choice(urls[kind]), cookies[persona[kind]])
            if tallies is not None:
                with lock:
                    tally = tallies[kind]
                    if status == 200:
                        tally.times.append(elapsed)
                    else:
                        tally.errors += 1
                        tally.first_error = tally.first_error or error or f"HTTP {status}"

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _get(port: int, url: str, cookie: str) -> tuple[int, float, str]:
    """(status, seconds, error) of one GET, the whole body read, as a browser asks (gzip welcome)."""
    headers = {"Accept-Language": "id", "Accept-Encoding": "gzip"}
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection_.request("GET", url, headers=headers)
        response = connection_.getresponse()
        response.read()
        return response.status, time.perf_counter() - started, ""
    except (OSError, http.client.HTTPException) as error:
        return 0, time.perf_counter() - started, f"{type(error).__name__}: {error}"
    finally:
        connection_.close()


class Gunicorn:
    """gunicorn serving this project in a process of its own, started and stopped by `with`."""

    def __init__(self, *, workers: int, static_root: Path):
        self.workers, self.static_root = workers, static_root
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.output = tempfile.TemporaryFile()

    def environment(self) -> dict[str, str]:
        db = connection.settings_dict
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        return os.environ | {
            "DATABASE_URL": f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "DEBUG": "0",
            # The sessions made here are signed with this process's key: the server must share it.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback; in production the proxy holds TLS
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(self.static_root),
        }

    def __enter__(self) -> Gunicorn:
        if connection.vendor != "postgresql":
            raise BenchError("The load test serves the PostgreSQL data set: set DATABASE_URL.")
        env = self.environment()
        try:
            collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
            if subprocess.run(collect, cwd=ROOT, env=env, stdout=self.output, stderr=self.output).returncode:
                raise BenchError(f"collectstatic failed:\n{self.log_tail()}")
            self.port = _free_port()
            command = [sys.executable, "-m", "gunicorn", "musrenbang.wsgi", "--workers", str(self.workers)]
            command += ["--bind", f"127.0.0.1:{self.port}"]
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.output, stderr=self.output)
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn stopped at start-up:\n{self.log_tail()}")
            status, _elapsed, _error = _get(self.port, "/lacak/", "")
            if status == 200:
                return
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, size: int = 4000) -> str:
        self.output.seek(0)
        return self.output.read().decode(errors="replace")[-size:]

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful stop: the workers finish their request
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


HEADER = ["request", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"]


def table(result: LoadResult) -> str:
    """One row per kind of request and one for all of them, as a Markdown table."""
    rows = [HEADER, ["---"] * len(HEADER)]
    every = Tally([t for tally in result.tallies.values() for t in tally.times], result.errors())
    for kind, tally in [*result.tallies.items(), ("all", every)]:
        count = len(tally.times) + tally.errors
        rows.append([kind, str(count), f"{count / result.seconds:.1f}", *_percentiles(tally.times), str(tally.errors)])
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.append(
        f"\n{result.workers} gunicorn workers, {result.concurrency} clients, {result.seconds:.1f} s, "
        f"{result.search_share:.0%} of the lists searching; the clients took {result.client_cpu:.1f} s of CPU."
    )
    problems = [f"{kind}: {t.first_error}" for kind, t in result.tallies.items() if t.errors]
    return "\n".join(lines + (["", "First errors: " + "; ".join(problems)] if problems else []))


def _percentiles(times: list[float]) -> list[str]:
    if not times:
        return ["", "", ""]
    if len(times) == 1:
        return [f"{times[0] * 1000:.0f}"] * 3
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return [f"{statistics.median(times) * 1000:.0f}", f"{cuts[94] * 1000:.0f}", f"{cuts[98] * 1000:.0f}"]
