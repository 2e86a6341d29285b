"""The demo data `make run` loads: Lampung, a planning cycle with the desa window open, one
account per role, ranking criteria, kecamatan ceilings and regional priorities for Lampung
Tengah, and a dozen proposals in villages of Lampung Tengah (submitted ones wait in their
village's forum; the kecamatan forum already held has placed its items under the priorities).

Every step looks up what already exists first, so running it again adds nothing.
Proposals are entered and submitted through the workflow, as a village operator would.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from forums.models import Ceiling, Criterion, RegionalPriority
from regions.models import Agency, Level, Region

from . import workflow
from .models import PlanningYear, Proposal, Sector, StageWindow

PASSWORD = "musrenbang"
KABUPATEN = "18.02"  # Kabupaten Lampung Tengah

# Perangkat daerah of Lampung Tengah, with the sector each mainly carries out.
AGENCIES = [
    ("1.01.01", "Dinas Pendidikan dan Kebudayaan", "Disdikbud", "1.01"),
    ("1.02.01", "Dinas Kesehatan", "Dinkes", "1.02"),
    ("1.03.01", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", "1.03"),
    ("1.04.01", "Dinas Perumahan Rakyat dan Kawasan Permukiman", "Disperkim", "1.04"),
    ("1.06.01", "Dinas Sosial", "Dinsos", "1.06"),
    ("2.11.01", "Dinas Lingkungan Hidup", "DLH", "2.11"),
    ("2.13.01", "Dinas Pemberdayaan Masyarakat dan Kampung", "DPMK", "2.13"),
    ("2.15.01", "Dinas Perhubungan", "Dishub", "2.15"),
    ("2.17.01", "Dinas Koperasi dan Usaha Kecil Menengah", "Dinas Koperasi UKM", "2.17"),
    ("3.25.01", "Dinas Perikanan", "Diskan", "3.25"),
    ("3.27.01", "Dinas Tanaman Pangan dan Hortikultura", "Distanhorti", "3.27"),
    ("5.01.01", "Badan Perencanaan Pembangunan Daerah", "Bappeda", "1.03"),
]

ACCOUNTS = [
    # username, first name, last name, role, region code or agency code
    ("desa.kalirejo", "Sri", "Wahyuni", Role.VILLAGE_OPERATOR, "18.02.01.2003"),
    ("desa.srilangsep", "Agus", "Setiawan", Role.VILLAGE_OPERATOR, "18.02.01.2001"),
    ("desa.purwodadi", "Made", "Suarta", Role.VILLAGE_OPERATOR, "18.02.02.2001"),
    ("kec.kalirejo", "Rudi", "Hartono", Role.KECAMATAN_OPERATOR, "18.02.01"),
    ("kec.bangunrejo", "Nurhayati", "", Role.KECAMATAN_OPERATOR, "18.02.02"),
    ("opd.pupr", "Bambang", "Sutrisno", Role.AGENCY_OFFICER, "1.03.01"),
    ("opd.dinkes", "Ratna", "Sari", Role.AGENCY_OFFICER, "1.02.01"),
    ("bappeda.lamteng", "Dewi", "Lestari", Role.BAPPEDA_KABUPATEN, "18.02"),
    ("bappeda.lampung", "Hendra", "Gunawan", Role.BAPPEDA_PROVINSI, "18"),
    ("admin", "Admin", "Musrenbang", Role.ADMIN, None),
]

# username, title, problem, proposed work, sector, agency, volume, unit, cost, beneficiaries, count, submit?
PROPOSALS = [
    (
        "desa.kalirejo",
        "Rabat beton jalan Dusun III",
        "Jalan tanah sepanjang 600 m licin dan berlumpur saat hujan; anak sekolah sering jatuh.",
        "Rabat beton lebar 3 m sepanjang 600 m.",
        "1.03",
        "1.03.01",
        "600",
        "meter",
        420_000_000,
        "Warga Dusun III",
        640,
        True,
    ),
    (
        "desa.kalirejo",
        "Drainase jalan poros desa",
        "Air hujan menggenangi jalan poros desa karena tidak ada saluran.",
        "Saluran drainase pasangan batu 400 m di kedua sisi jalan.",
        "1.03",
        "1.03.01",
        "400",
        "meter",
        310_000_000,
        "Pengguna jalan poros desa",
        2100,
        True,
    ),
    (
        "desa.kalirejo",
        "Alat kesehatan posyandu",
        "Tiga posyandu belum punya timbangan bayi dan alat ukur tinggi yang layak.",
        "Pengadaan 3 paket alat antropometri posyandu.",
        "1.02",
        "1.02.01",
        "3",
        "paket",
        36_000_000,
        "Balita dan ibu hamil",
        180,
        True,
    ),
    (
        "desa.kalirejo",
        "Pelatihan pengolahan singkong",
        "Harga singkong mentah rendah; kelompok wanita tani ingin mengolah sendiri.",
        "Pelatihan dan peralatan pengolahan keripik dan tepung mocaf untuk 2 kelompok.",
        "2.17",
        "2.17.01",
        "2",
        "kegiatan",
        45_000_000,
        "Kelompok Wanita Tani",
        60,
        False,
    ),
    (
        "desa.srilangsep",
        "Rehabilitasi saluran irigasi tersier",
        "Saluran irigasi tersier rusak sehingga 40 ha sawah hanya bisa tanam sekali setahun.",
        "Rehabilitasi saluran irigasi tersier 850 m.",
        "3.27",
        "3.27.01",
        "850",
        "meter",
        275_000_000,
        "Petani anggota P3A",
        120,
        True,
    ),
    (
        "desa.srilangsep",
        "Sumur bor air bersih",
        "Warga RT 05 dan RT 06 kekurangan air bersih di musim kemarau.",
        "Pembangunan 2 titik sumur bor dengan tandon dan jaringan pipa.",
        "1.03",
        "1.03.01",
        "2",
        "titik",
        150_000_000,
        "Warga RT 05 dan RT 06",
        310,
        True,
    ),
    (
        "desa.srilangsep",
        "Penerangan jalan umum tenaga surya",
        "Jalan antar dusun gelap pada malam hari dan rawan kecelakaan.",
        "Pemasangan 20 titik lampu jalan tenaga surya.",
        "2.15",
        "2.15.01",
        "20",
        "titik",
        180_000_000,
        "Pengguna jalan antar dusun",
        1500,
        False,
    ),
    (
        "desa.srilangsep",
        "Rehabilitasi ruang kelas SD Negeri 2",
        "Dua ruang kelas SD Negeri 2 rusak berat, atap bocor.",
        "Rehabilitasi 2 ruang kelas.",
        "1.01",
        "1.01.01",
        "2",
        "unit",
        260_000_000,
        "Siswa SD Negeri 2",
        190,
        True,
    ),
    (
        "desa.purwodadi",
        "Jembatan gantung Way Pengubuan",
        "Warga menyeberang sungai dengan rakit untuk ke kebun dan sekolah.",
        "Pembangunan jembatan gantung bentang 40 m.",
        "1.03",
        "1.03.01",
        "40",
        "meter",
        950_000_000,
        "Warga Dusun II dan IV",
        870,
        True,
    ),
    (
        "desa.purwodadi",
        "Bedah rumah tidak layak huni",
        "Dua belas keluarga miskin tinggal di rumah berdinding papan lapuk.",
        "Peningkatan kualitas 12 rumah tidak layak huni.",
        "1.04",
        "1.04.01",
        "12",
        "unit",
        240_000_000,
        "Keluarga miskin",
        48,
        True,
    ),
    (
        "desa.purwodadi",
        "Tempat pengolahan sampah terpadu",
        "Sampah rumah tangga dibakar atau dibuang ke sungai.",
        "Pembangunan TPS3R dengan mesin pencacah.",
        "2.11",
        "2.11.01",
        "1",
        "unit",
        350_000_000,
        "Seluruh warga desa",
        3200,
        False,
    ),
    (
        "desa.purwodadi",
        "Kolam ikan kelompok pembudidaya",
        "Kelompok pembudidaya ikan belum memiliki kolam terpal dan benih.",
        "Bantuan 10 kolam terpal bundar beserta benih lele.",
        "3.25",
        "3.25.01",
        "10",
        "unit",
        60_000_000,
        "Pokdakan Mina Sejahtera",
        25,
        True,
    ),
]


def load(stdout=None) -> dict:
    """Load everything; returns the accounts so the command can print them."""
    if not Region.objects.filter(code__startswith="18.").exists():
        call_command("import_regions", province="18", stdout=stdout)
    with transaction.atomic():
        agencies = _agencies()
        year = _planning_year()
        users = _accounts(agencies)
        _ranking_rules(users["bappeda.lamteng"], year)
        priorities = _priorities(users["bappeda.lamteng"], year)
        _proposals(users, year)
        _forums(users, year, priorities)
    return users


def _agencies() -> dict[str, Agency]:
    kabupaten = Region.objects.get(code=KABUPATEN)
    return {
        code: Agency.objects.get_or_create(region=kabupaten, code=code, defaults={"name": name, "short_name": short})[0]
        for code, name, short, _sector in AGENCIES
    }


def _planning_year() -> PlanningYear:
    """Next year's plan, prepared now: the desa window open around today, the others after it."""
    today = timezone.localdate()
    year, _created = PlanningYear.objects.get_or_create(year=today.year + 1)
    kabupaten = Region.objects.get(code=KABUPATEN)
    schedule = [
        (Level.DESA, kabupaten, -14, 60),
        (Level.KECAMATAN, kabupaten, 61, 90),
        (Level.KABUPATEN, kabupaten, 91, 130),
        (Level.PROVINSI, kabupaten.parent, 131, 160),
    ]
    for level, region, start, end in schedule:
        StageWindow.objects.get_or_create(
            planning_year=year,
            level=level,
            region=region,
            defaults={
                "opens_on": today + datetime.timedelta(days=start),
                "closes_on": today + datetime.timedelta(days=end),
            },
        )
    return year


# The criteria most kabupaten use, and a ceiling per kecamatan of the demo villages.
CRITERIA = [
    ("Urgensi", 30),
    ("Jumlah penerima manfaat", 25),
    ("Kesesuaian dengan prioritas daerah", 25),
    ("Kesiapan", 20),
]
CEILINGS = {"18.02.01": (1_500_000_000, 10), "18.02.02": (1_200_000_000, 8)}


def _ranking_rules(bappeda, year) -> None:
    if not Criterion.objects.filter(planning_year=year, region=bappeda.region).exists():
        workflow.set_criteria(actor=bappeda, planning_year=year, criteria=CRITERIA)
    for code, (amount, max_items) in CEILINGS.items():
        kecamatan = Region.objects.get(code=code)
        if not Ceiling.objects.filter(planning_year=year, region=kecamatan).exists():
            workflow.set_ceiling(
                actor=bappeda, planning_year=year, kecamatan=kecamatan, amount=amount, max_items=max_items
            )


# Lampung Tengah's RKPD priorities (prioritas daerah) with their targets (sasaran daerah).
PRIORITIES = [
    ("Peningkatan infrastruktur dan konektivitas wilayah", "Meningkatnya jalan dan jembatan kabupaten yang mantap"),
    ("Peningkatan kualitas sumber daya manusia", "Meningkatnya derajat kesehatan dan mutu pendidikan masyarakat"),
    ("Penguatan ekonomi kerakyatan berbasis pertanian", "Meningkatnya produktivitas dan nilai tambah hasil pertanian"),
    ("Pengelolaan lingkungan hidup dan pengurangan risiko bencana", "Meningkatnya indeks kualitas lingkungan hidup"),
]

# Where the kecamatan forums place the items they agree, by title: priority (index in
# PRIORITIES), programme, activity, sub-activity, activity target, spending type.
CLASSIFIED = {
    "Jembatan gantung Way Pengubuan": (
        0,
        "Program Penyelenggaraan Jalan",
        "Penyelenggaraan Jalan Kabupaten/Kota",
        "Pembangunan Jembatan",
        "Tersedianya jembatan penghubung antardusun",
        "modal",
    ),
}


def _priorities(bappeda, year) -> list[RegionalPriority]:
    existing = {p.name: p for p in RegionalPriority.objects.filter(planning_year=year, region=bappeda.region)}
    return [
        existing.get(name) or workflow.add_priority(actor=bappeda, planning_year=year, name=name, target=target)
        for name, target in PRIORITIES
    ]


def _accounts(agencies) -> dict[str, User]:
    users = {}
    for username, first, last, role, where in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, role=role)
            if role == Role.AGENCY_OFFICER:
                user.agency = agencies[where]
                user.region = user.agency.region
            elif where:
                user.region = Region.objects.get(code=where)
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(PASSWORD)
            user.full_clean()
            user.save()
        users[username] = user
    return users


def _proposals(users, year) -> None:
    sectors = {s.code: s for s in Sector.objects.all()}
    agencies = {a.code: a for a in Agency.objects.filter(region__code=KABUPATEN)}
    for username, title, problem, work, sector, agency, volume, unit, cost, who, count, submit in PROPOSALS:
        actor = users[username]
        if Proposal.objects.filter(village=actor.region, title=title).exists():
            continue
        proposal = workflow.create_proposal(
            actor=actor,
            proposal=Proposal(
                title=title,
                problem=problem,
                proposed_work=work,
                proposer_type="desa",
                proposer_name=f"Pemerintah Desa {actor.region.name}",
                proposer_contact="0812-7000-0000",
                sector=sectors[sector],
                work_kind="fisik" if sector in ("1.03", "1.04", "2.11", "1.01") else "nonfisik",
                target_agency=agencies[agency],
                rt="005",
                rw="002",
                address=f"Desa {actor.region.name}",
                volume=Decimal(volume),
                unit=unit,
                estimated_cost=cost,
                beneficiaries=who,
                beneficiary_count=count,
                land_status_clear=sector in ("1.03", "1.01"),
            ),
        )
        if submit:
            workflow.submit_proposal(actor=actor, proposal=proposal)


# Two villages' forums and one kecamatan's are already held, so the walk up the ladder starts
# half-way: Kalirejo's own forum is open for the demo user; Bangun Rejo's bridge already waits
# at Dinas PUPR. Every other item lands with PUPR or Dinkes, whose officers have demo accounts.
HELD = [
    # village operator, place, chair, decisions by title: (outcome, reason)
    (
        "desa.srilangsep",
        "Balai Desa Sri Way Langsep",
        ("Agus Setiawan", "Kepala Desa Sri Way Langsep"),
        {
            "Rehabilitasi saluran irigasi tersier": ("village_budget", "Skala desa: dianggarkan dari Dana Desa 2027."),
            "Sumur bor air bersih": ("accepted", ""),
            "Rehabilitasi ruang kelas SD Negeri 2": ("rejected", "Sudah tercakup dalam DAK Pendidikan 2027."),
        },
    ),
    (
        "desa.purwodadi",
        "Balai Desa Purwodadi",
        ("Made Suarta", "Kepala Desa Purwodadi"),
        {
            "Jembatan gantung Way Pengubuan": ("accepted", ""),
            "Bedah rumah tidak layak huni": ("village_budget", "Dianggarkan dari Dana Desa 2027."),
            "Kolam ikan kelompok pembudidaya": ("rejected", "Kelompok belum terdaftar sebagai Pokdakan."),
        },
    ),
    (
        "kec.bangunrejo",
        "Aula Kantor Camat Bangun Rejo",
        ("Drs. Syamsul Bahri", "Camat Bangun Rejo"),
        {"Jembatan gantung Way Pengubuan": ("accepted", "")},
    ),
]
PEOPLE = [
    ("Siti Aminah", "P", "Tim Penggerak PKK"),
    ("Wayan Sudarma", "L", "Badan Permusyawaratan Desa"),
    ("Yusuf Hidayat", "L", "Tokoh masyarakat"),
    ("Rina Marlina", "P", "Karang Taruna"),
    ("Slamet Riyadi", "L", "Kelompok tani"),
]


def _forums(users, year, priorities) -> None:
    from forums.models import Forum, ForumStatus

    for username, place, (chair, title), decided in HELD:
        actor = users[username]
        forum = Forum.objects.filter(planning_year=year, kind="musrenbang", region=actor.region).first()
        if forum is None or forum.status == ForumStatus.APPROVED:
            continue
        held_on = timezone.localdate() - datetime.timedelta(days=3 if forum.level == Level.DESA else 1)
        workflow.update_forum(
            actor=actor,
            forum=forum,
            held_on=held_on,
            starts_at=datetime.time(9, 0),
            place=place,
            chair_name=chair,
            chair_title=title,
        )
        for name, gender, element in PEOPLE:
            workflow.add_attendee(
                actor=actor,
                forum=forum,
                name=name,
                gender=gender,
                institution=element,
                contact=f"{actor.region.display_name}",
                signs=element != "Tokoh masyarakat",
            )
        for name, gender, element in PEOPLE[:3]:
            workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender, institution=element)
        for decision in forum.decisions.select_related("proposal"):
            outcome, reason = decided[decision.proposal.title]
            workflow.decide(actor=actor, decision=decision, outcome=outcome, reason=reason)
            if forum.level != Level.DESA and decision.proposal.title in CLASSIFIED:
                priority, program, activity, sub_activity, target, spending = CLASSIFIED[decision.proposal.title]
                workflow.classify(
                    actor=actor,
                    decision=decision,
                    regional_priority=priorities[priority],
                    program=program,
                    activity=activity,
                    sub_activity=sub_activity,
                    activity_target=target,
                    spending_type=spending,
                )
        workflow.approve_forum(actor=actor, forum=forum)
