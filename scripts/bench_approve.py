"""Benchmark: how long approving a kecamatan forum takes, and rendering its minutes in the worker. Not a test.

Usage, from the project root:

    DJANGO_SETTINGS_MODULE=musrenbang.settings .venv/bin/python scripts/bench_approve.py --items 300
    DJANGO_SETTINGS_MODULE=musrenbang.settings .venv/bin/python scripts/bench_approve.py --items 1000 --runs 3

It runs on the database DATABASE_URL names (use PostgreSQL, as production does), but never
touches its data: Django's test-database machinery creates a throwaway "test_..." database,
migrates it, and destroys it at the end. Uploaded files go to a temporary MEDIA_ROOT.

Each run builds a fresh Musrenbang Kecamatan (its own planning year) with N items already
decided, written with bulk_create for speed, then times the real
forums.workflow.approve_forum as a request runs it (the checks, the numbering, moving every
item on, the rendering queued in the database queue), then the worker's job for the same
document (forums.workflow.render_document: render, store, seal). It prints each run (wall
time; CPU time of this process and, separately, of the second process that lays out the
ranked list (forums/pdf_render.py); the queries), the medians, the PDF's size and pages, and
the peak memory of this process and of the second one.
The second process needs a second core: on a busy machine the wall time is nearer the sum of
the two CPU times.

Targets (2-core machine): approval under 1 s for any size; the worker's rendering 300 items
under 2.5 s and 1,000 items under 6 s, peak memory under 250 MB.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musrenbang.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from forums import workflow  # noqa: E402
from forums.defaults import default_considerations, default_resolutions  # noqa: E402
from forums.models import Attendee, Ceiling, Decision, Delegate, Forum, ForumKind, Outcome  # noqa: E402
from planning.models import PlanningYear, Sector  # noqa: E402
from proposals.models import Proposal, Status  # noqa: E402
from regions.models import Agency, Level, Region, kind_of, level_of  # noqa: E402

LADDER = [
    ("18", "Lampung"),
    ("18.02", "Kabupaten Lampung Tengah"),
    ("18.02.01", "Kalirejo"),
    ("18.02.01.2001", "Sri Way Langsep"),
    ("18.02.01.2002", "Kalidadi"),
    ("18.02.01.2003", "Kalirejo"),
    ("18.02.01.2004", "Balairejo"),
    ("18.02.01.2005", "Sinar Sari"),
]
AGENCIES = [
    ("1.03.01", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR"),
    ("1.02.01", "Dinas Kesehatan", "Dinkes"),
    ("1.01.01", "Dinas Pendidikan dan Kebudayaan", "Disdikbud"),
    ("3.27.01", "Dinas Pertanian", "Distan"),
    ("2.07.01", "Dinas Perdagangan dan Perindustrian", "Disdagperin"),
]
WORKS = [
    "Rabat beton jalan lingkungan",
    "Pembangunan drainase",
    "Rehabilitasi gedung posyandu",
    "Pengadaan sarana air bersih",
    "Pelatihan kelompok wanita tani",
    "Pembangunan jembatan beton",
    "Rehabilitasi ruang kelas SD",
]
# How the forum decided, as shares of the items.
OUTCOMES = [
    (Outcome.ACCEPTED, 70),
    (Outcome.ACCEPTED_CHANGED, 10),
    (Outcome.REJECTED, 10),
    (Outcome.VILLAGE_BUDGET, 5),
    (Outcome.MERGED, 5),
]


def build_world():
    regions = {}
    for code, name in LADDER:
        parent = regions.get(code.rsplit(".", 1)[0]) if "." in code else None
        regions[code] = Region.objects.create(
            code=code, name=name, level=level_of(code), kind=kind_of(code), parent=parent
        )
    agencies = [
        Agency.objects.create(region=regions["18.02"], code=code, name=name, short_name=short)
        for code, name, short in AGENCIES
    ]
    kecamatan = regions["18.02.01"]
    operator = User.objects.create(username="kec.kalirejo", role=Role.KECAMATAN_OPERATOR, region=kecamatan)
    villages = [r for code, r in regions.items() if r.level == Level.DESA]
    return regions, agencies, kecamatan, operator, villages


def build_forum(year: int, items: int, world, rng: random.Random) -> Forum:
    """A Musrenbang Kecamatan of `year` with `items` decided items, ready to approve."""
    regions, agencies, kecamatan, operator, villages = world
    planning_year = PlanningYear.objects.create(year=year)
    sectors = list(Sector.objects.all())
    now = timezone.now()
    proposals = []
    for i in range(items):
        village = villages[i % len(villages)]
        agency = agencies[i % len(agencies)]
        proposals.append(
            Proposal(
                planning_year=planning_year,
                status=Status.SUBMITTED,
                level=Level.KECAMATAN,
                tracking_code=f"B{year % 100:02d}{i:06d}",
                village=village,
                kecamatan=kecamatan,
                kabupaten=regions["18.02"],
                provinsi=regions["18"],
                title=f"{WORKS[i % len(WORKS)]} Dusun {rng.randint(1, 9)} {village.name} tahap {i + 1}",
                problem="Kondisi sarana rusak dan menghambat kegiatan warga.",
                proposed_work="Pembangunan sesuai gambar teknis.",
                proposer_type="desa",
                proposer_name="Pemerintah Desa",
                sector=sectors[i % len(sectors)],
                work_kind="fisik",
                target_agency=agency,
                current_agency=agency,
                volume=Decimal(rng.randint(10, 900)),
                unit="meter",
                estimated_cost=rng.randint(20, 400) * 1_000_000,
                beneficiaries="Warga dusun",
                beneficiary_count=rng.randint(20, 800),
                created_by=operator,
                submitted_at=now,
            )
        )
    proposals = Proposal.objects.bulk_create(proposals, batch_size=500)

    forum = Forum.objects.create(
        planning_year=planning_year,
        level=Level.KECAMATAN,
        region=kecamatan,
        kind=ForumKind.MUSRENBANG,
        held_on=datetime.date(year - 1, 2, 17),
        starts_at=datetime.time(9, 0),
        place="Aula Kantor Camat Kalirejo",
        chair_name="Drs. Sutrisno Hadi",
        chair_title="Camat Kalirejo",
    )
    forum.considerations = default_considerations(forum)
    forum.resolutions = default_resolutions(forum)
    forum.save(update_fields=["considerations", "resolutions"])

    weights = [w for _o, w in OUTCOMES]
    decisions, survivors = [], []
    for rank, proposal in enumerate(proposals, start=1):
        outcome = rng.choices([o for o, _w in OUTCOMES], weights)[0]
        if outcome == Outcome.MERGED and not survivors:
            outcome = Outcome.ACCEPTED
        decision = Decision(forum=forum, proposal=proposal, outcome=outcome, rank=rank, decided_by=operator)
        decision.decided_at = now
        if outcome == Outcome.ACCEPTED:
            survivors.append(proposal)
        elif outcome == Outcome.ACCEPTED_CHANGED:
            decision.adjusted_volume = (proposal.volume * Decimal("0.8")).quantize(Decimal("0.01"))
            decision.adjusted_cost = proposal.estimated_cost * 8 // 10
            decision.reason = "Volume disesuaikan dengan pagu indikatif."
        elif outcome == Outcome.REJECTED:
            decision.reason = "Bukan prioritas kecamatan tahun ini."
        elif outcome == Outcome.VILLAGE_BUDGET:
            decision.reason = "Kegiatan skala desa, dibiayai Dana Desa."
        else:
            decision.merged_into = rng.choice(survivors)
            decision.reason = "Lokasi dan kegiatan sama dengan usulan lain."
        decisions.append(decision)
    Decision.objects.bulk_create(decisions, batch_size=500)
    agreed_total = sum(
        d.adjusted_cost if d.adjusted_cost is not None else d.proposal.estimated_cost
        for d in decisions
        if d.outcome in (Outcome.ACCEPTED, Outcome.ACCEPTED_CHANGED)
    )
    Ceiling.objects.create(planning_year=planning_year, region=kecamatan, amount=agreed_total * 11 // 10)

    Attendee.objects.bulk_create(
        Attendee(
            forum=forum,
            name=f"Peserta {n}",
            # The villages' delegates and elements of society: the attendance rule approval checks.
            element="delegasi" if n % 2 else "tokoh_masyarakat",
            institution=f"Desa {villages[n % len(villages)].name}",
            gender="P" if n % 3 == 0 else "L",
            contact=f"0812-0000-{n:04d}",
            signs=n < 5,
        )
        for n in range(40)
    )
    Delegate.objects.bulk_create(
        Delegate(forum=forum, name=name, gender=gender, institution="Tokoh masyarakat")
        for name, gender in (("Sukardi", "L"), ("Endang Lestari", "P"), ("Yusuf Efendi", "L"), ("Ratna", "P"))
    )
    return forum


def children_cpu() -> float:
    # The second rendering process is waited for, so its CPU time counts among the children's.
    times = os.times()
    return times.children_user + times.children_system


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=300, help="items on the forum (default 300)")
    parser.add_argument("--runs", type=int, default=3, help="fresh forums to approve (default 3)")
    args = parser.parse_args()

    setup_test_environment(debug=False)
    # The production queue: approval only enqueues, and the worker's job is timed on its own.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with tempfile.TemporaryDirectory() as media:
            settings.MEDIA_ROOT = media
            vendor = connection.vendor
            print(f"Database: {vendor} ({connection.settings_dict['NAME']}), {args.items} items, {args.runs} runs")
            world = build_world()
            rng = random.Random(2026)
            approvals, renders, document = [], [], None
            for run in range(args.runs):
                forum = build_forum(2030 + run, args.items, world, rng)
                forum = Forum.objects.get(pk=forum.pk)
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    document = workflow.approve_forum(actor=world[3], forum=forum)
                    approvals.append(time.perf_counter() - started)
                queries = len(captured)
                started, cpu, second = time.perf_counter(), time.process_time(), children_cpu()
                workflow.render_document.call(document.pk)
                renders.append(time.perf_counter() - started)
                cpu, second = time.process_time() - cpu, children_cpu() - second
                print(
                    f"  run {run + 1}: approve_forum {approvals[-1]:.2f} s ({queries} queries); "
                    f"worker renders {renders[-1]:.2f} s (CPU {cpu:.2f} s + {second:.2f} s)"
                )
            document.refresh_from_db()
            pages = len(PdfReader(io.BytesIO(document.pdf.read())).pages)
            print(f"approve_forum median: {statistics.median(approvals):.2f} s")
            print(f"worker rendering median: {statistics.median(renders):.2f} s")
            print(f"PDF: {document.size / 1024:.0f} KiB, {pages} pages")
            print(
                f"peak memory: this process {peak_mb(resource.RUSAGE_SELF):.0f} MB, "
                f"second process {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return 0


if __name__ == "__main__":
    sys.exit(main())
