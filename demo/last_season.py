"""Last season, finished and being delivered: the plan of the current year (RKPD of this year,
deliberated early last year) for four of Kalirejo's items, walked through every forum up to the
kabupaten and then reported on by the agencies that carry them: a road completed with photos, a
drain under way, a posyandu budgeted, a retaining wall not carried out. The delivery pages
(/realisasi/), a region's accountability page and the tracking page's "Realisasi" section have
something to show from the first run.

A season entered after the fact is what a late entry is for (planning.models.LateEntry): Bappeda
grants one to the village for the past year with its reason, so the forums may carry last year's
dates. It must be granted before next year's intake window opens, or the village would file into
that window: demo/load.py loads this first, and skips it on a database that already has a later
season (a demo loaded before this existed).
"""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from delivery import workflow as delivery_workflow
from delivery.models import Delivery
from forums import workflow as forums_workflow
from forums.models import Forum, ForumKind
from planning import workflow as planning_workflow
from planning.models import PlanningYear, Sector, StageWindow
from proposals import workflow as intake
from proposals.models import Proposal
from regions.models import Agency, Level

from .data import KABUPATEN, KECAMATAN_PEOPLE, PEOPLE
from .entries import attend, village_proposal

REASON = "Data peragaan: musim perencanaan tahun lalu dicatat sesudahnya agar realisasinya dapat diikuti."

# title, problem, proposed work, sector, agency, volume, unit, cost
ITEMS = [
    (
        "Rabat beton jalan Dusun I",
        "Jalan lingkungan Dusun I berlubang dan tergenang setiap hujan.",
        "Rabat beton lebar 3 m sepanjang 400 m.",
        "1.03",
        "1.03.01",
        "400",
        "meter",
        280_000_000,
    ),
    (
        "Saluran drainase Dusun II",
        "Rumah warga di tepi jalan kebanjiran karena saluran tertimbun.",
        "Saluran pasangan batu 300 m.",
        "1.03",
        "1.03.01",
        "300",
        "meter",
        210_000_000,
    ),
    (
        "Posyandu Dusun IV",
        "Posyandu menumpang di teras rumah kader.",
        "Bangunan posyandu 6 x 8 m beserta perlengkapannya.",
        "1.02",
        "1.02.01",
        "1",
        "unit",
        150_000_000,
    ),
    (
        "Talud penahan tebing Dusun V",
        "Tebing di tepi jalan longsor setiap musim hujan.",
        "Talud pasangan batu 120 m.",
        "1.03",
        "1.03.01",
        "120",
        "meter",
        190_000_000,
    ),
]


def load(users: dict, agencies: dict[str, Agency]) -> None:
    today = timezone.localdate()
    year, _created = PlanningYear.objects.get_or_create(year=today.year)
    if (
        Proposal.objects.filter(planning_year=year).exists()
        or StageWindow.objects.filter(planning_year__year__gt=year.year).exists()
    ):
        return
    operator, bappeda = users["desa.kalirejo"], users["bappeda.lamteng"]
    planning_workflow.grant_late_entry(
        actor=bappeda, planning_year=year, villages=[operator.region], opens_on=today, closes_on=today, reason=REASON
    )
    proposals = [_enter(operator, agencies, *item) for item in ITEMS]
    last = today.year - 1
    held = [
        (Level.DESA, operator.region, operator, datetime.date(last, 1, 14), "Balai Desa Kalirejo", PEOPLE),
        (
            Level.KECAMATAN,
            operator.region.parent,
            users["kec.kalirejo"],
            datetime.date(last, 2, 10),
            "Aula Kantor Camat Kalirejo",
            KECAMATAN_PEOPLE,
        ),
    ]
    for level, region, actor, held_on, place, people in held:
        forum = Forum.objects.get(planning_year=year, kind=ForumKind.MUSRENBANG, level=level, region=region)
        _hold(actor, forum, held_on, place, people, delegates=True)
    for username, code, day in (("opd.pupr", "1.03.01", 24), ("opd.dinkes", "1.02.01", 25)):
        forum = Forum.objects.get(planning_year=year, kind=ForumKind.AGENCY, agency=agencies[code])
        _hold(
            users[username], forum, datetime.date(last, 2, day), f"Aula {agencies[code].short_name}", KECAMATAN_PEOPLE
        )
    kabupaten = Forum.objects.get(planning_year=year, kind=ForumKind.MUSRENBANG, region__code=KABUPATEN)
    _hold(bappeda, kabupaten, datetime.date(last, 3, 18), "Gedung Sesat Agung Gunung Sugih", KECAMATAN_PEOPLE)
    _deliver(users, proposals, today.year)


def _enter(operator, agencies, title, problem, work, sector, agency, volume, unit, cost) -> Proposal:
    proposal = village_proposal(
        operator,
        title=title,
        problem=problem,
        proposed_work=work,
        sector=Sector.objects.get(code=sector),
        work_kind="fisik",
        target_agency=agencies[agency],
        volume=volume,
        unit=unit,
        estimated_cost=cost,
        beneficiaries="Warga desa",
        beneficiary_count=300,
        land_status_clear=True,
    )
    return intake.submit_proposal(actor=operator, proposal=proposal)


def _hold(actor, forum: Forum, held_on, place, people, *, delegates=False) -> None:
    """Every item agreed, the forum's details and attendance recorded, then approved."""
    forums_workflow.update_forum(
        actor=actor,
        forum=forum,
        held_on=held_on,
        starts_at=datetime.time(9, 0),
        place=place,
        chair_name="Drs. Suparman",
    )
    attend(actor, forum, people)
    if delegates:
        for name, gender, institution, _element in people[:3]:
            forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender, institution=institution)
    for decision in forum.decisions.select_related("proposal"):
        forums_workflow.decide(actor=actor, decision=decision, outcome="accepted", reason="")
    forums_workflow.approve_forum(actor=actor, forum=forum)


def _deliver(users, proposals: list[Proposal], year: int) -> None:
    """The agencies' reports through the year, oldest first, as they would have filed them."""
    road, drain, posyandu, wall = (Proposal.objects.get(pk=p.pk) for p in proposals)
    pupr, dinkes = users["opd.pupr"], users["opd.dinkes"]
    budget = {"budget_year": year, "sub_activity_code": "1.03.10.2.01.0017"}
    steps = [
        (pupr, road, datetime.date(year, 1, 6), {"stage": "budgeted", "budget_amount": 275_000_000, **budget}, "", ()),
        (
            pupr,
            road,
            datetime.date(year, 4, 2),
            {
                "stage": "contracted",
                "contract_number": f"600/017/PUPR/{year}",
                "contract_date": datetime.date(year, 3, 30),
                "contract_value": 268_500_000,
                "due_on": datetime.date(year, 8, 31),
            },
            "Kontrak ditandatangani CV Karya Mandiri.",
            (),
        ),
        (
            pupr,
            road,
            datetime.date(year, 6, 15),
            {"stage": "underway", "progress": 55},
            "Pengecoran 220 m dari 400 m.",
            ("Pengecoran",),
        ),
        (
            pupr,
            road,
            datetime.date(year, 8, 28),
            {
                "stage": "completed",
                "progress": 100,
                "completed_on": datetime.date(year, 8, 26),
                "final_cost": 266_900_000,
                "output_volume": 400,
            },
            "Selesai dan diserahterimakan kepada desa.",
            ("Selesai",),
        ),
        (pupr, drain, datetime.date(year, 1, 6), {"stage": "budgeted", "budget_amount": 205_000_000, **budget}, "", ()),
        (
            pupr,
            drain,
            datetime.date(year, 5, 20),
            {
                "stage": "contracted",
                "contract_number": f"600/031/PUPR/{year}",
                "contract_date": datetime.date(year, 5, 18),
                "contract_value": 198_000_000,
                "due_on": datetime.date(year, 11, 30),
            },
            "",
            (),
        ),
        (
            pupr,
            drain,
            datetime.date(year, 10, 30),
            {"stage": "underway", "progress": 60},
            "Saluran 180 m terpasang; hujan memperlambat pekerjaan.",
            (),
        ),
        (
            dinkes,
            posyandu,
            datetime.date(year, 1, 8),
            {
                "stage": "budgeted",
                "budget_amount": 150_000_000,
                "budget_year": year,
                "sub_activity_code": "1.02.02.2.01.0006",
            },
            "Pembangunan dijadwalkan triwulan IV.",
            (),
        ),
        (
            pupr,
            wall,
            datetime.date(year, 2, 3),
            {"stage": "dropped", "reason": "Pemilik lahan belum melepaskan tanahnya; diusulkan lagi tahun depan."},
            "",
            (),
        ),
    ]
    for actor, item, as_of, facts, note, photos in steps:
        current = Delivery.objects.filter(pk=item.pk).first() or Delivery(proposal=item)
        for name, value in facts.items():
            setattr(current, name, value)
        delivery_workflow.file_report(
            actor=actor,
            proposal=item,
            facts=current,
            as_of=as_of,
            note=note,
            photos=[_photo(caption) for caption in photos],
            public=True,
        )


def _photo(caption: str) -> ContentFile:
    """A plain picture standing in for a photo of the works."""
    image = Image.new("RGB", (640, 400), (176, 190, 197))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 260, 640, 400), fill=(120, 120, 120))
    draw.text((24, 24), f"{caption} (contoh)", fill=(33, 33, 33))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"{caption.lower()}.jpg")
