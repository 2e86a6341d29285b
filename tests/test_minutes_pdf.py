"""The berita acara a forum issues: what the PDF says, in Indonesian, and how a revision differs.

The forum is built through the real workflow: a village submits, its Musrenbang Desa agrees
and approves, the Musrenbang Kecamatan Kalirejo decides each item, orders them, fills in its
details and approves. The assertions read the PDF's own text (pypdf), with whitespace folded,
because a line break inside a table cell is not part of what the document says.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader

from forums import chain
from forums import workflow as forums_workflow
from forums.defaults import default_considerations, default_resolutions, forum_names
from forums.models import Element, Forum, ForumKind, Gender, Outcome
from forums.pdf import date_in_words, lines, ordinal, quantity, render_minutes
from proposals import workflow
from regions.models import Level

from .factories import ProposalFactory, attend

HELD_ON = datetime.date(2016, 8, 9)  # a Tuesday
CHAIR = "Drs. Sutrisno Hadi"

# title -> estimated cost; the village submits them in this order.
ITEMS = {
    "Rabat beton jalan Dusun Sukamaju": 150_000_000,
    "Drainase lingkungan Dusun Mekarsari": 200_000_000,
    "Jembatan gantung Way Pisang": 300_000_000,
    "Gapura batas desa Kalirejo": 40_000_000,
    "Pengerasan jalan Sukamaju ruas dua": 90_000_000,
    "Sumur bor balai warga RT 03": 25_000_000,
}
REJECT_REASON = "Bukan prioritas kecamatan tahun ini."
MERGE_REASON = "Ruas jalan yang sama dengan usulan lain."
VILLAGE_REASON = "Kegiatan skala desa, dibiayai Dana Desa."
CHANGE_REASON = "Volume disesuaikan dengan pagu indikatif."


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.fixture
def kecamatan_forum(
    settings,
    tmp_path,
    intake,
    ladder,
    village_operator,
    kecamatan_operator,
    bappeda_kabupaten,
    pupr,
):
    """The Musrenbang Kecamatan Kalirejo with six items from Desa Kalirejo, decided and filled in."""
    settings.MEDIA_ROOT = tmp_path
    village = ladder["18.02.01.2003"]
    proposals = {}
    for title, cost in ITEMS.items():
        proposal = ProposalFactory(
            village=village, target_agency=pupr, created_by=village_operator, title=title, estimated_cost=cost
        )
        proposals[title] = workflow.submit_proposal(actor=village_operator, proposal=proposal)

    desa = Forum.objects.get(level=Level.DESA, region=village)
    for decision in desa.decisions.all():
        forums_workflow.decide(actor=village_operator, decision=decision, outcome=Outcome.ACCEPTED)
    forums_workflow.update_forum(
        actor=village_operator,
        forum=desa,
        held_on=datetime.date(2016, 2, 3),
        place="Balai Desa Kalirejo",
        chair_name="Suparman",
        chair_title="Kepala Desa Kalirejo",
    )
    attend(village_operator, desa)
    for name, gender in (("Wagiman", Gender.MALE), ("Siti Aminah", Gender.FEMALE), ("Karto", Gender.MALE)):
        forums_workflow.add_delegate(actor=village_operator, forum=desa, name=name, gender=gender, institution="Warga")
    forums_workflow.approve_forum(actor=village_operator, forum=desa)

    forum = Forum.objects.get(level=Level.KECAMATAN, region=ladder["18.02.01"])
    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten, planning_year=forum.planning_year, kecamatan=ladder["18.02.01"], amount=600_000_000
    )
    decisions = {d.proposal.title: d for d in forum.decisions.select_related("proposal")}
    survivor = proposals["Rabat beton jalan Dusun Sukamaju"]
    plan = {
        "Rabat beton jalan Dusun Sukamaju": {"outcome": Outcome.ACCEPTED},
        "Drainase lingkungan Dusun Mekarsari": {
            "outcome": Outcome.ACCEPTED_CHANGED,
            "reason": CHANGE_REASON,
            "adjusted_volume": Decimal("80.5"),
            "adjusted_cost": 120_000_000,
        },
        "Jembatan gantung Way Pisang": {"outcome": Outcome.ACCEPTED},
        "Gapura batas desa Kalirejo": {"outcome": Outcome.REJECTED, "reason": REJECT_REASON},
        "Pengerasan jalan Sukamaju ruas dua": {
            "outcome": Outcome.MERGED,
            "reason": MERGE_REASON,
            "merged_into": survivor,
        },
        "Sumur bor balai warga RT 03": {"outcome": Outcome.VILLAGE_BUDGET, "reason": VILLAGE_REASON},
    }
    for title, kwargs in plan.items():
        forums_workflow.decide(actor=kecamatan_operator, decision=decisions[title], **kwargs)
    # The forum puts the bridge first: Jembatan, Rabat beton, Drainase, ...
    for _ in range(2):
        forums_workflow.move(actor=kecamatan_operator, decision=decisions["Jembatan gantung Way Pisang"], up=True)

    forums_workflow.update_forum(
        actor=kecamatan_operator,
        forum=forum,
        held_on=HELD_ON,
        starts_at=datetime.time(9, 0),
        place="Aula Kantor Camat Kalirejo",
        chair_name=CHAIR,
        chair_title="Camat Kalirejo",
        considerations=default_considerations(forum),
        resolutions=default_resolutions(forum),
    )
    for name, element, institution, gender, signs in (
        ("Bambang Sugiarto", Element.AGENCY, "Bappeda Kabupaten Lampung Tengah", Gender.MALE, False),
        ("Ratna Dewi", Element.WOMEN, "Tokoh perempuan Desa Kalirejo", Gender.FEMALE, True),
        ("Hasan Basri", Element.VILLAGE_DELEGATE, "Kepala Desa Sri Way Langsep", Gender.MALE, True),
    ):
        forums_workflow.add_attendee(
            actor=kecamatan_operator,
            forum=forum,
            name=name,
            element=element,
            institution=institution,
            gender=gender,
            contact="0812-3456-7890",
            signs=signs,
        )
    for name, gender in (("Sukardi", Gender.MALE), ("Endang Lestari", Gender.FEMALE), ("Yusuf Efendi", Gender.MALE)):
        forums_workflow.add_delegate(
            actor=kecamatan_operator, forum=forum, name=name, gender=gender, institution="Tokoh"
        )
    return forum


@pytest.fixture
def approved(kecamatan_forum, kecamatan_operator):
    # An officer reading the site in English still issues Indonesian minutes.
    with translation.override("en"):
        document = forums_workflow.approve_forum(actor=kecamatan_operator, forum=kecamatan_forum)
    return document


def test_minutes_carry_letterhead_title_number_and_the_date_in_words(approved):
    text = pdf_text(approved.pdf.read())

    # The letterhead names the government and the unit; the meeting place is not its address.
    assert text.startswith("PEMERINTAH KABUPATEN LAMPUNG TENGAH KECAMATAN KALIREJO BERITA ACARA")
    assert "BERITA ACARA KESEPAKATAN HASIL MUSRENBANG KECAMATAN KALIREJO TAHUN 2016" in text
    assert f"DALAM RANGKA PENYUSUNAN RKPD {approved.forum.planning_year.year} KABUPATEN LAMPUNG TENGAH" in text
    assert f"Nomor: {approved.number}" in text
    assert (
        "Pada hari ini, Selasa tanggal sembilan bulan Agustus tahun dua ribu enam belas, "
        "bertempat di Aula Kantor Camat Kalirejo, pukul 09.00 WIB, telah diselenggarakan "
        "Musyawarah Perencanaan Pembangunan (Musrenbang) Kecamatan Kalirejo"
    ) in text
    assert "dihadiri oleh 3 (tiga) orang peserta, terdiri atas 2 laki-laki dan 1 perempuan, " in text
    assert "sesuai daftar hadir (Lampiran I)." in text


def test_minutes_list_considerations_and_numbered_decisions(approved):
    text = pdf_text(approved.pdf.read())

    assert "Setelah memperhatikan, mendengar dan mempertimbangkan: 1. Sambutan dan arahan Camat Kalirejo" in text
    body = between(text, "MENYEPAKATI:", "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.")
    labels = re.findall(r"\b(KE[A-Z]+) :", body)
    assert labels == ["KESATU", "KEDUA", "KETIGA", "KEEMPAT"]
    assert "KESATU : Menyepakati daftar prioritas usulan kegiatan pembangunan Kecamatan Kalirejo" in body
    assert "Lampiran II" in body


def test_minutes_are_signed_by_the_chair_and_participant_representatives(approved):
    text = pdf_text(approved.pdf.read())

    closing = between(text, "Demikian berita acara", "LAMPIRAN I ")
    assert f"Kalirejo, 9 Agustus 2016 PIMPINAN SIDANG Camat Kalirejo {CHAIR}" in closing
    signers = closing[closing.index("WAKIL PESERTA") :]
    assert "1 Ratna Dewi Kelompok perempuan, Tokoh perempuan Desa Kalirejo 1." in signers
    assert "2 Hasan Basri Delegasi desa/kelurahan, Kepala Desa Sri Way Langsep 2." in signers
    assert "Bambang Sugiarto" not in signers
    attendance = between(text, "DAFTAR HADIR", "LAMPIRAN II ")
    # Name, element (and institution), gender and room to sign.
    assert "1 Bambang Sugiarto Perangkat daerah, Bappeda Kabupaten Lampung Tengah L 1." in attendance
    assert "2 Ratna Dewi Kelompok perempuan, Tokoh perempuan Desa Kalirejo P 2." in attendance
    # Published to everyone: no phone numbers or addresses (UU 27/2022), though the forum recorded them.
    assert "0812-3456-7890" not in text and "Alamat" not in text and "No. HP" not in text


def test_priority_list_shows_agreed_items_in_rank_order_with_cost_and_total(approved):
    text = pdf_text(approved.pdf.read())
    codes = {d.proposal.title: d.proposal.tracking_code for d in approved.forum.decisions.select_related("proposal")}
    # A kecamatan forum names the village alone: every item is in the same kecamatan.
    sector, place = "(Bidang Pekerjaan Umum dan Penataan Ruang)", "Desa Kalirejo"

    agreed = between(text, "DAFTAR PRIORITAS USULAN", "LAMPIRAN III ")
    # One row each: no, code, title, sector, [note,] location, volume, cost, agency; the bridge first.
    rows = [
        f"1 {codes['Jembatan gantung Way Pisang']} Jembatan gantung Way Pisang {sector} "
        f"{place} 100 meter Rp300.000.000 Dinas PUPR",
        f"2 {codes['Rabat beton jalan Dusun Sukamaju']} Rabat beton jalan Dusun Sukamaju {sector} "
        f"{place} 100 meter Rp150.000.000 Dinas PUPR",
        f"3 {codes['Drainase lingkungan Dusun Mekarsari']} Drainase lingkungan Dusun Mekarsari {sector} "
        f"Disepakati dengan perubahan: {CHANGE_REASON} {place} 80,5 meter Rp120.000.000 Dinas PUPR",
    ]
    positions = [agreed.find(row) for row in rows]
    assert -1 not in positions, agreed
    assert positions == sorted(positions)
    for title in ("Gapura batas desa Kalirejo", "Pengerasan jalan Sukamaju ruas dua", "Sumur bor balai warga RT 03"):
        assert title not in agreed
    assert (
        f"{rows[-1]} JUMLAH (3 usulan) Rp570.000.000 Pagu indikatif kewilayahan: Rp600.000.000 Sisa pagu: Rp30.000.000"
    ) in agreed


def test_items_not_agreed_are_listed_with_their_reasons(approved):
    text = pdf_text(approved.pdf.read())
    codes = {d.proposal.title: d.proposal.tracking_code for d in approved.forum.decisions.select_related("proposal")}

    rejected = between(text, "USULAN YANG TIDAK DISEPAKATI", "LAMPIRAN IV ")
    gapura = rejected.index("Gapura batas desa Kalirejo")
    merged = rejected.index("Pengerasan jalan Sukamaju ruas dua")
    village = rejected.index("Sumur bor balai warga RT 03")
    assert gapura < merged < village
    assert f"Tidak disepakati {REJECT_REASON}" in rejected[gapura:merged]
    assert f"Digabungkan dengan usulan {codes['Rabat beton jalan Dusun Sukamaju']}" in rejected[merged:village]
    assert MERGE_REASON in rejected[merged:village]
    assert "Dibiayai dengan anggaran desa (APB Desa)" in rejected[village:]
    assert VILLAGE_REASON in rejected[village:]
    for title in ("Jembatan gantung Way Pisang", "Drainase lingkungan Dusun Mekarsari"):
        assert title not in rejected


def test_minutes_name_the_delegates(approved):
    text = pdf_text(approved.pdf.read())

    delegates = text[text.index("LAMPIRAN IV ") :]
    assert "DELEGASI MUSRENBANG KECAMATAN KALIREJO" in delegates
    assert "1 Sukardi L Tokoh 2 Endang Lestari P Tokoh 3 Yusuf Efendi L Tokoh" in delegates


def test_every_page_after_the_first_carries_the_number_and_a_page_count(approved):
    pages = PdfReader(io.BytesIO(approved.pdf.read())).pages
    count = len(pages)

    for i, page in enumerate(pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Halaman {i} dari {count}" in text
        assert (f"Nomor {approved.number}" in text) == (i > 1)


def test_a_revision_names_the_first_number_and_reason_and_leaves_the_first_file_alone(approved, kecamatan_operator):
    first_bytes = approved.pdf.read()
    reason = "Nama pimpinan sidang salah ketik."

    revision = forums_workflow.revise_minutes(
        actor=kecamatan_operator, forum=approved.forum, reason=reason, chair_name="Drs. Sutrisno Hadi, M.Si."
    )

    text = pdf_text(revision.pdf.read())
    assert revision.revision == 1
    assert revision.number != approved.number
    assert f"Nomor: {revision.number}" in text
    assert f"Revisi ke-1 atas berita acara nomor {approved.number}: {reason}" in text
    assert f"Nomor {revision.number} · Rev. 1" in text
    assert "Drs. Sutrisno Hadi, M.Si." in text
    assert revision.sha256 != approved.sha256
    approved.pdf.open()
    assert hashlib.sha256(approved.pdf.read()).hexdigest() == approved.sha256 == hashlib.sha256(first_bytes).hexdigest()


def test_village_forum_minutes_use_the_village_letterhead(approved, ladder):
    desa = Forum.objects.get(level=Level.DESA, region=ladder["18.02.01.2003"])
    document = desa.documents.get()

    text = pdf_text(document.pdf.read())

    assert text.startswith("PEMERINTAH KABUPATEN LAMPUNG TENGAH KECAMATAN KALIREJO DESA KALIREJO BERITA ACARA")
    assert "BERITA ACARA KESEPAKATAN HASIL MUSRENBANG DESA KALIREJO TAHUN 2016" in text
    assert "Pada hari ini, Rabu tanggal tiga bulan Februari tahun dua ribu enam belas" in text
    assert "Pagu indikatif kewilayahan" not in text  # a village has no ceiling
    # A village's items carry its own estimate; "pagu indikatif" is the kecamatan's ceiling.
    assert "Volume Perkiraan biaya Perangkat Daerah" in text and "Pagu indikatif" not in text


def test_rendering_reads_the_items_in_a_fixed_number_of_queries(
    approved, django_assert_max_num_queries, kecamatan_operator
):
    forum = Forum.objects.select_related("region", "agency", "planning_year").get(pk=approved.forum_id)

    # names (ancestors), decisions, their villages, kecamatan and merged-into items, ceiling,
    # attendees, delegates, a late entry, the unit's letterhead: none of them per item.
    with django_assert_max_num_queries(10):
        data = render_minutes(forum, number="050/999/18020100/2026", issued_at=approved.issued_at)

    assert "050/999/18020100/2026" in pdf_text(data)


def test_same_forum_number_and_time_give_the_same_bytes(approved):
    forum = Forum.objects.select_related("region", "agency", "planning_year").get(pk=approved.forum_id)

    again = render_minutes(
        forum,
        number=approved.number,
        issued_at=approved.issued_at,
        verify_code=approved.verify_code,
        chain_anchor=chain.anchor_of(approved),  # the link of the public chain it printed
    )

    assert hashlib.sha256(again).hexdigest() == approved.sha256


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "KESATU"),
        (2, "KEDUA"),
        (3, "KETIGA"),
        (4, "KEEMPAT"),
        (5, "KELIMA"),
        (6, "KEENAM"),
        (7, "KETUJUH"),
        (8, "KEDELAPAN"),
        (9, "KESEMBILAN"),
        (10, "KESEPULUH"),
        (11, "KESEBELAS"),
        (12, "KEDUA BELAS"),
        (20, "KEDUA PULUH"),
        (21, "KEDUA PULUH SATU"),
    ],
)
def test_decision_ordinals_are_written_in_words(n, word):
    assert ordinal(n) == word


def test_date_in_words_gives_day_name_day_month_and_year():
    words = date_in_words(HELD_ON)

    assert (words.day_name, words.day, words.month, words.year) == (
        "Selasa",
        "sembilan",
        "Agustus",
        "dua ribu enam belas",
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("100.00"), "100"), (Decimal("80.50"), "80,5"), (Decimal("1500.25"), "1.500,25")],
)
def test_quantities_use_indonesian_separators(value, text):
    assert quantity(value) == text


@pytest.fixture
def forums_of_every_level(intake, ladder, pupr):
    year = intake.planning_year

    def musrenbang(code):
        region = ladder[code]
        return Forum.objects.create(planning_year=year, level=region.level, region=region)

    return {
        "desa": musrenbang("18.02.01.2003"),
        "kecamatan": musrenbang("18.02.01"),
        "agency": Forum.objects.create(
            planning_year=year, level=Level.KABUPATEN, region=ladder["18.02"], kind=ForumKind.AGENCY, agency=pupr
        ),
        "kabupaten": musrenbang("18.02"),
        "provinsi": musrenbang("18"),
    }


@pytest.mark.parametrize(
    ("level", "government", "units", "forum_name", "next_forum"),
    [
        (
            "desa",
            "Pemerintah Kabupaten Lampung Tengah",
            ("Kecamatan Kalirejo", "Desa Kalirejo"),
            "Musrenbang Desa Kalirejo",
            "Musrenbang Kecamatan Kalirejo",
        ),
        (
            "kecamatan",
            "Pemerintah Kabupaten Lampung Tengah",
            ("Kecamatan Kalirejo",),
            "Musrenbang Kecamatan Kalirejo",
            "Forum Perangkat Daerah dan Musrenbang RKPD Kabupaten Lampung Tengah",
        ),
        (
            "agency",
            "Pemerintah Kabupaten Lampung Tengah",
            ("Dinas Pekerjaan Umum dan Penataan Ruang",),
            "Forum Perangkat Daerah Dinas Pekerjaan Umum dan Penataan Ruang",
            "Musrenbang RKPD Kabupaten Lampung Tengah",
        ),
        (
            "kabupaten",
            "Pemerintah Kabupaten Lampung Tengah",
            ("Badan Perencanaan Pembangunan Daerah",),
            "Musrenbang RKPD Kabupaten Lampung Tengah",
            "Musrenbang RKPD Provinsi Lampung",
        ),
        (
            "provinsi",
            "Pemerintah Provinsi Lampung",
            ("Badan Perencanaan Pembangunan Daerah",),
            "Musrenbang RKPD Provinsi Lampung",
            "",
        ),
    ],
)
def test_letterhead_and_forum_names_follow_the_level(
    forums_of_every_level, level, government, units, forum_name, next_forum
):
    names = forum_names(forums_of_every_level[level])

    assert (names.government, names.units, names.forum, names.next_forum) == (
        government,
        units,
        forum_name,
        next_forum,
    )


def test_default_decisions_carry_no_numbers_and_follow_the_level(forums_of_every_level, intake):
    year = intake.planning_year.year
    decisions = {level: default_resolutions(forum).split("\n\n") for level, forum in forums_of_every_level.items()}

    assert decisions["kecamatan"][0] == (
        "Menyepakati daftar prioritas usulan kegiatan pembangunan Kecamatan Kalirejo untuk Rencana Kerja "
        f"Pemerintah Daerah (RKPD) Kabupaten Lampung Tengah Tahun {year}, sebagaimana tercantum dalam Lampiran II "
        "berita acara ini, untuk disampaikan kepada Forum Perangkat Daerah dan Musrenbang RKPD Kabupaten Lampung "
        "Tengah."
    )
    # Only the desa and kecamatan forums elect delegates (Lampiran IV).
    assert {level: len(texts) for level, texts in decisions.items()} == {
        "desa": 4,
        "kecamatan": 4,
        "agency": 3,
        "kabupaten": 3,
        "provinsi": 3,
    }
    assert "Lampiran IV" in decisions["desa"][2]
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in decisions["agency"][0]
    for forum in forums_of_every_level.values():
        for text in (default_resolutions(forum), default_considerations(forum)):
            assert not re.search(r"^\s*(\d+[.)]|KE[A-Z]+\b)", text, flags=re.MULTILINE)
            assert "\n\n\n" not in text
        assert len(lines(default_considerations(forum))) >= 5


def test_the_chair_has_room_to_sign_between_the_title_and_the_name(approved):
    # Each line's height on the page (PDF points from the bottom), read where the text is drawn.
    heights = {}

    def seen(text, cm, tm, font, size):
        if text.strip():
            heights.setdefault(text.strip(), tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    reader = PdfReader(io.BytesIO(approved.pdf.read()))
    page = next(p for p in reader.pages if "PIMPINAN SIDANG" in p.extract_text())
    page.extract_text(visitor_text=seen)

    gap_mm = (heights["Camat Kalirejo"] - heights[CHAIR]) * 25.4 / 72
    assert gap_mm >= 18  # room for a signature and a stamp, not the next line
