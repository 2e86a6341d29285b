"""Regional priorities, classification of items, the SIPD export of the proposal list and Tabel T-D.4.

The items climb through forums/workflow/ as the officers would move them:

    Desa Kalirejo          ROAD    PUPR    agreed by the desa and the kecamatan (classified there),
                                           changed by PUPR's forum
                           DRAIN   PUPR    changed by the desa, agreed by the kecamatan, waiting at PUPR
                           WELL    PUPR    not agreed by the desa
                           CLINIC  Dinkes  agreed by the desa, changed by the kecamatan, waiting at Dinkes
    Desa Purwodadi         BRIDGE  PUPR    waiting in its village's forum
    Desa Sri Way Langsep   a draft nobody above the village sees

Pages are read in English; the SIPD export and T-D.4 are Indonesian forms whatever the language.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localtime
from lokal import format_rupiah

from accounts.models import Role
from forums import queries
from forums import workflow as forums_workflow
from forums.models import AGREED, Decision, Forum, ForumKind, Outcome
from planning import workflow as planning_workflow
from planning.models import RegionalPriority
from proposals import workflow
from proposals.models import EventAction, Proposal, ProposalEvent, SpendingType, Status
from regions.models import Level

from .factories import ProposalFactory, UserFactory, attend

ROAD = "Rabat beton jalan Dusun III"
DRAIN = "Drainase jalan poros desa"
WELL = "Sumur bor mushola Al-Ikhlas"
CLINIC = "Alat kesehatan posyandu"
BRIDGE = "Jembatan gantung Way Pengubuan"

ROADS = "Peningkatan infrastruktur dan konektivitas wilayah"
PEOPLE = "Peningkatan kualitas sumber daya manusia"

# The SIPD usulan export's columns, in its order (reports/sipd.py documents each).
SIPD = [
    "ID Usulan",
    "Tanggal Usul",
    "Pengusul",
    "Profil",
    "Usulan",
    "Masalah",
    "Alamat",
    "Kabupaten/Kota",
    "Kecamatan",
    "Kelurahan/Desa",
    "OPD Tujuan Awal",
    "OPD Tujuan Akhir",
    "Status",
    "Catatan",
    "Rekomendasi Kelurahan/Desa",
    "Rekomendasi Kecamatan",
    "Rekomendasi OPD",
    "Volume",
    "Satuan",
    "Anggaran",
    "Jenis Belanja",
    "Sub Kegiatan",
]
TD4 = [
    "No",
    "Prioritas Daerah",
    "Sasaran Daerah",
    "Program",
    "Kegiatan Prioritas",
    "Sasaran Kegiatan",
    "Lokasi",
    "Volume",
    "Pagu",
    "Perangkat Daerah Penanggungjawab",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english_outside_requests():
    # Workflow messages and notes follow the active language; a request may leave another active.
    with translation.override("en"):
        yield


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def submit(operator, title, cost, **fields) -> Proposal:
    proposal = ProposalFactory(village=operator.region, created_by=operator, title=title, estimated_cost=cost, **fields)
    return workflow.submit_proposal(actor=operator, proposal=proposal)


def decision_of(forum, title) -> Decision:
    return Decision.objects.select_related("forum", "proposal").get(forum=forum, proposal__title=title)


def decide(actor, forum, title, outcome=Outcome.ACCEPTED, **details) -> Decision:
    return forums_workflow.decide(actor=actor, decision=decision_of(forum, title), outcome=outcome, **details)


def hold(forum, actor) -> None:
    """Fill in what the minutes need and elect delegates: the forum is ready to approve."""
    forums_workflow.update_forum(
        actor=actor,
        forum=forum,
        held_on=datetime.date(2026, 2, 10),
        place="Aula Kantor Camat",
        chair_name="Drs. Suparman",
        chair_title="Camat",
    )
    attend(actor, forum)
    if forum.level in queries.DELEGATE_LEVELS:
        for name, gender in [("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Joko Susilo", "L")]:
            forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)


def musrenbang(level, region) -> Forum:
    return Forum.objects.get(kind=ForumKind.MUSRENBANG, level=level, region=region)


def add_priority(bappeda, year, name, target="") -> RegionalPriority:
    return planning_workflow.add_priority(actor=bappeda, planning_year=year, name=name, target=target)


@pytest.fixture
def priorities(bappeda_kabupaten, other_bappeda_kabupaten, intake):
    """Two priorities of Lampung Tengah for the year, and one of Lampung Selatan."""
    year = intake.planning_year
    return {
        "roads": add_priority(bappeda_kabupaten, year, ROADS, "Jalan kabupaten dalam kondisi mantap 85 %"),
        "people": add_priority(bappeda_kabupaten, year, PEOPLE, "Angka harapan hidup naik"),
        "elsewhere": add_priority(other_bappeda_kabupaten, year, "Pariwisata bahari", "Kunjungan wisata naik"),
    }


ROAD_CLASSIFIED = {
    "program": "Program Penyelenggaraan Jalan",
    "activity": "Penyelenggaraan Jalan Kabupaten/Kota",
    "sub_activity": "Rehabilitasi Jalan",
    "activity_target": "Jalan dusun mantap sepanjang 600 m",
    "spending_type": SpendingType.CAPITAL,
}


@pytest.fixture
def kecamatan_forum(village_operator, intake, pupr, dinkes, ladder):
    """Kalirejo's four items, agreed (one changed) by their village: waiting at the kecamatan."""
    submit(village_operator, ROAD, 150_000_000, target_agency=pupr, rt="005", rw="002", address="Dusun III")
    submit(village_operator, DRAIN, 90_000_000, target_agency=pupr)
    submit(village_operator, WELL, 40_000_000, target_agency=pupr, unit="titik", volume=Decimal("2"))
    submit(village_operator, CLINIC, 36_000_000, target_agency=dinkes, unit="paket", volume=Decimal("3"))
    desa = musrenbang(Level.DESA, village_operator.region)
    decide(village_operator, desa, ROAD)
    decide(
        village_operator,
        desa,
        DRAIN,
        Outcome.ACCEPTED_CHANGED,
        reason="Volume disesuaikan dengan lebar jalan.",
        adjusted_volume=Decimal("80"),
        adjusted_cost=60_000_000,
    )
    decide(village_operator, desa, WELL, Outcome.REJECTED, reason="Skala desa: Dana Desa.")
    decide(village_operator, desa, CLINIC)
    hold(desa, village_operator)
    forums_workflow.approve_forum(actor=village_operator, forum=desa)
    return musrenbang(Level.KECAMATAN, ladder["18.02.01"])


@pytest.fixture
def walked(kecamatan_forum, kecamatan_operator, agency_officer, priorities, ladder, intake, pupr):
    """The whole cast of the module docstring, with the kecamatan's forum approved."""
    forum = kecamatan_forum
    road = decide(kecamatan_operator, forum, ROAD)
    forums_workflow.classify(
        actor=kecamatan_operator, decision=road, regional_priority=priorities["roads"], **ROAD_CLASSIFIED
    )
    decide(kecamatan_operator, forum, DRAIN)
    decide(
        kecamatan_operator,
        forum,
        CLINIC,
        Outcome.ACCEPTED_CHANGED,
        reason="Dua paket mencukupi.",
        adjusted_volume=Decimal("2"),
        adjusted_cost=24_000_000,
    )
    hold(forum, kecamatan_operator)
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    agency = Forum.objects.get(kind=ForumKind.AGENCY, agency=pupr)
    decide(
        agency_officer,
        agency,
        ROAD,
        Outcome.ACCEPTED_CHANGED,
        reason="Harga satuan disesuaikan dengan SSH 2027.",
        adjusted_volume=Decimal("90.5"),
        adjusted_cost=140_000_000,
    )
    purwodadi = UserFactory(username="op-purwodadi", role=Role.VILLAGE_OPERATOR, region=ladder["18.02.02.2001"])
    submit(purwodadi, BRIDGE, 950_000_000, target_agency=pupr, unit="meter", volume=Decimal("40"))
    ProposalFactory(village=ladder["18.02.01.2001"], title="Draf yang belum diajukan")
    return {title: Proposal.objects.get(title=title) for title in (ROAD, DRAIN, WELL, CLINIC, BRIDGE)}


# --- the SIPD export --------------------------------------------------------------------------


def read_csv(response) -> list[list]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def indonesian(label) -> str:
    with translation.override("id"):
        return str(label)


def changed(outcome_reason_volume_cost) -> str:
    volume, unit, cost, reason = outcome_reason_volume_cost
    return f"{indonesian(Outcome.ACCEPTED_CHANGED.label)} ({volume} {unit}, {format_rupiah(cost)}): {reason}"


def expected_rows(proposals) -> list[list]:
    """The SIPD row of each proposal, from its fields and from what the forums decided in `walked`."""
    with translation.override("id"):  # the export writes labels in Indonesian, whatever the page's language
        return _expected_rows(proposals)


def _expected_rows(proposals) -> list[list]:
    accepted, waiting = str(Outcome.ACCEPTED.label), translation.gettext("Waiting")
    # Per title: (desa, kecamatan, OPD recommendation, catatan, volume, anggaran)
    decided = {
        ROAD: (
            accepted,
            accepted,
            changed(("90,5", "meter", 140_000_000, "Harga satuan disesuaikan dengan SSH 2027.")),
            "Harga satuan disesuaikan dengan SSH 2027.",
            90.5,
            140_000_000,
        ),
        DRAIN: (
            changed(("80", "meter", 60_000_000, "Volume disesuaikan dengan lebar jalan.")),
            accepted,
            waiting,
            "Volume disesuaikan dengan lebar jalan.",
            80,
            60_000_000,
        ),
        WELL: (
            f"{indonesian(Outcome.REJECTED.label)}: Skala desa: Dana Desa.",
            "",
            "",
            "Skala desa: Dana Desa.",
            2,
            40_000_000,
        ),
        CLINIC: (
            accepted,
            changed(("2", "paket", 24_000_000, "Dua paket mencukupi.")),
            waiting,
            "Dua paket mencukupi.",
            2,
            24_000_000,
        ),
        BRIDGE: (waiting, "", "", "", 40, 950_000_000),
    }
    rows = []
    for p in proposals:
        desa, kecamatan, agency, note, volume, cost = decided[p.title]
        address = "Dusun III, RT 005 / RW 002" if p.title == ROAD else ""
        rows.append(
            [
                p.tracking_code,
                localtime(p.submitted_at).date(),
                p.proposer_name,
                p.get_proposer_type_display(),
                f"{p.title}: {p.proposed_work}",
                p.problem,
                address,
                "Kabupaten Lampung Tengah",
                p.kecamatan.name,
                p.village.name,
                p.target_agency.name,
                p.current_agency.name,
                p.get_status_display(),
                note,
                desa,
                kecamatan,
                agency,
                volume,
                p.unit,
                cost,
                indonesian(SpendingType.CAPITAL.label) if p.title == ROAD else "",
                ROAD_CLASSIFIED["sub_activity"] if p.title == ROAD else "",
            ]
        )
    return rows


def as_csv(row) -> list[str]:
    return ["" if v is None else v.isoformat() if isinstance(v, datetime.date) else str(v) for v in row]


def as_xlsx(row) -> list:
    # openpyxl reads a date cell back as a datetime at midnight, and an empty cell as None.
    return [
        datetime.datetime.combine(v, datetime.time()) if isinstance(v, datetime.date) else (None if v == "" else v)
        for v in row
    ]


@pytest.mark.parametrize(("export_format", "read", "cells"), [("csv", read_csv, as_csv), ("xlsx", read_xlsx, as_xlsx)])
@pytest.mark.parametrize(
    ("query", "scope", "order"),
    [
        ("", {}, ["-created_at"]),
        ("&wilayah=18.02.01", {"kecamatan__code": "18.02.01"}, ["-created_at"]),
        ("&sort=estimated_cost", {}, ["estimated_cost"]),
        ("&status=submitted&sort=-estimated_cost", {"status": Status.SUBMITTED}, ["-estimated_cost"]),
    ],
)
def test_the_sipd_export_holds_the_filtered_list_in_its_order_with_every_forums_recommendation(
    english, bappeda_kabupaten, walked, export_format, read, cells, query, scope, order
):
    english.force_login(bappeda_kabupaten)

    response = english.get(f"/usulan/?_export=sipd-{export_format}{query}")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="usulan-sipd.{export_format}"'
    header, *rows = read(response)
    assert header == SIPD
    listed = list(Proposal.objects.visible_to(bappeda_kabupaten).filter(**scope).order_by(*order))
    assert [row[0] for row in rows] == [p.tracking_code for p in listed]
    # Row by row as column -> cell, so that a failure names the column.
    assert [dict(zip(SIPD, row, strict=True)) for row in rows] == [
        dict(zip(SIPD, cells(row), strict=True)) for row in expected_rows(listed)
    ]


def test_the_list_page_offers_both_sipd_files_with_its_current_filters(english, bappeda_kabupaten, walked):
    english.force_login(bappeda_kabupaten)

    page = english.get("/usulan/?wilayah=18.02.01&sort=estimated_cost&page=1").content.decode()

    links = re.findall(r'<a href="\?([^"]*)">(SIPD \((?:XLSX|CSV)\))</a>', page)
    assert [(name, sorted(query.split("&amp;"))) for query, name in links] == [
        ("SIPD (XLSX)", ["_export=sipd-xlsx", "sort=estimated_cost", "wilayah=18.02.01"]),
        ("SIPD (CSV)", ["_export=sipd-csv", "sort=estimated_cost", "wilayah=18.02.01"]),
    ]


def test_the_sipd_export_of_a_kecamatan_operator_holds_only_their_kecamatan(english, kecamatan_operator, walked):
    english.force_login(kecamatan_operator)

    header, *rows = read_csv(english.get("/usulan/?_export=sipd-csv"))

    assert [row[0] for row in rows] == [walked[title].tracking_code for title in (CLINIC, WELL, DRAIN, ROAD)]


def test_an_anonymous_visitor_gets_no_sipd_export(client, walked):
    response = client.get("/usulan/?_export=sipd-xlsx")

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_text_that_looks_like_a_formula_reaches_the_sipd_files_as_text(english, bappeda_kabupaten, village, intake):
    ProposalFactory(
        village=village, submitted=True, title='=HYPERLINK("http://x","klik")', proposer_name="@warga", problem="-1+1"
    )
    english.force_login(bappeda_kabupaten)

    [_header, xlsx_row] = read_xlsx(english.get("/usulan/?_export=sipd-xlsx"))
    [_header, csv_row] = read_csv(english.get("/usulan/?_export=sipd-csv"))

    for row in (xlsx_row, csv_row):
        assert row[SIPD.index("Usulan")] == '\'=HYPERLINK("http://x","klik"): Rabat beton lebar 3 m.'
        assert row[SIPD.index("Pengusul")] == "'@warga"
        assert row[SIPD.index("Masalah")] == "'-1+1"


def sipd_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/usulan/?_export=sipd-xlsx")
    assert response.status_code == 200
    return len(captured.captured_queries), len(read_xlsx(response)) - 1


def test_the_sipd_export_runs_as_many_queries_for_twelve_rows_as_for_three(
    english, bappeda_kabupaten, village_operator, intake, pupr
):
    def add(count, start):
        for n in range(start, start + count):
            submit(village_operator, f"Usulan uji {n}", 10_000_000 + n, target_agency=pupr)

    add(3, 0)
    english.force_login(bappeda_kabupaten)
    english.get("/usulan/?_export=sipd-xlsx")  # the session warms up the same way for both sizes

    few, few_rows = sipd_queries(english)
    add(9, 100)
    many, many_rows = sipd_queries(english)

    assert (few_rows, many_rows) == (3, 12)
    assert few == many


# --- Tabel T-D.4 -----------------------------------------------------------------------------


def read_td4(response) -> tuple[str, list, list[list], list]:
    """(title, header, item rows, the rows after them) of a T-D.4 workbook."""
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    title, _blank, header, *rest = rows
    items = [row for row in rest if isinstance(row[0], int)]
    return title[0], header, items, rest[len(items) :]


@pytest.fixture
def ranked(kecamatan_forum, kecamatan_operator, bappeda_kabupaten, priorities, intake, ladder):
    """Kalirejo's kecamatan forum, decided and ordered but not approved: CLINIC moved to the top,
    WELL never arrived (not agreed by its village), DRAIN changed, ROAD and CLINIC classified."""
    forum = kecamatan_forum
    forums_workflow.set_ceiling(
        actor=bappeda_kabupaten, planning_year=intake.planning_year, kecamatan=ladder["18.02.01"], amount=900_000_000
    )
    forums_workflow.classify(
        actor=kecamatan_operator,
        decision=decide(kecamatan_operator, forum, ROAD),
        regional_priority=priorities["roads"],
        **ROAD_CLASSIFIED,
    )
    forums_workflow.classify(
        actor=kecamatan_operator,
        decision=decide(kecamatan_operator, forum, CLINIC),
        regional_priority=priorities["people"],
        program="Program Pemenuhan Upaya Kesehatan",
        activity="Penyediaan Fasilitas Pelayanan Kesehatan",
        activity_target="Posyandu berstandar",
    )
    decide(
        kecamatan_operator,
        forum,
        DRAIN,
        Outcome.ACCEPTED_CHANGED,
        reason="Separuh dulu.",
        adjusted_volume=Decimal("40.25"),
        adjusted_cost=31_500_000,
    )
    for _step in range(2):
        forums_workflow.move(actor=kecamatan_operator, decision=decision_of(forum, CLINIC), up=True)
    return forum


def test_td4_lists_the_agreed_items_in_rank_order_under_their_priorities(
    english, kecamatan_operator, ranked, pupr, dinkes
):
    english.force_login(kecamatan_operator)

    response = english.get(f"/musyawarah/{ranked.pk}/tabel-t-d4/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="tabel-t-d4-kecamatan-kalirejo-{ranked.planning_year.year}-draft.xlsx"'
    )
    title, header, items, after = read_td4(response)
    year = ranked.planning_year.year
    assert title == f"DRAFT Tabel T-D.4 Daftar Urutan Kegiatan Prioritas Kecamatan Kalirejo Tahun {year}"
    assert header == TD4
    ranking = queries.ranking(ranked)
    agreed = [row for row in ranking.rows if row.decision.outcome in AGREED]
    assert [row[0] for row in items] == [row.position for row in agreed] == [1, 2, 3]
    assert [row[8] for row in items] == [row.decision.cost for row in agreed]
    assert items == [
        [
            1,
            PEOPLE,
            "Angka harapan hidup naik",
            "Program Pemenuhan Upaya Kesehatan",
            f"Penyediaan Fasilitas Pelayanan Kesehatan ({CLINIC})",
            "Posyandu berstandar",
            "Desa Kalirejo",
            "3 paket",
            36_000_000,
            dinkes.name,
        ],
        [
            2,
            ROADS,
            "Jalan kabupaten dalam kondisi mantap 85 %",
            ROAD_CLASSIFIED["program"],
            f"{ROAD_CLASSIFIED['activity']} ({ROAD})",
            ROAD_CLASSIFIED["activity_target"],
            "Desa Kalirejo",
            "100 meter",
            150_000_000,
            pupr.name,
        ],
        [3, None, None, None, DRAIN, None, "Desa Kalirejo", "40,25 meter", 31_500_000, pupr.name],
    ]
    assert after[0][0] == "Jumlah"
    assert after[0][8] == ranking.agreed_total == 36_000_000 + 150_000_000 + 31_500_000
    assert (after[1][0], after[1][8]) == ("Pagu indikatif kewilayahan", 900_000_000)


def test_td4_of_an_approved_forum_is_no_longer_a_draft_and_its_pagu_is_in_rupiah(
    english, kecamatan_operator, bappeda_kabupaten, ranked
):
    hold(ranked, kecamatan_operator)
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=ranked)
    english.force_login(bappeda_kabupaten)  # reads the kecamatan's forum, does not run it

    response = english.get(f"/musyawarah/{ranked.pk}/tabel-t-d4/")

    title, _header, items, _after = read_td4(response)
    assert title == (
        f"Tabel T-D.4 Daftar Urutan Kegiatan Prioritas Kecamatan Kalirejo Tahun {ranked.planning_year.year}"
    )
    assert len(items) == 3
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=4, column=9).number_format == '"Rp"#,##0'


def test_the_kecamatan_forum_page_links_its_td4_and_a_village_forum_has_none(
    english, kecamatan_operator, ranked, village_operator
):
    english.force_login(kecamatan_operator)
    page = english.get(f"/musyawarah/{ranked.pk}/").content.decode()
    desa = musrenbang(Level.DESA, village_operator.region)

    assert f'<a href="/musyawarah/{ranked.pk}/tabel-t-d4/" id="td4">Tabel T-D.4, draft (XLSX)</a>' in page
    english.force_login(village_operator)
    assert 'id="td4"' not in english.get(f"/musyawarah/{desa.pk}/").content.decode()
    assert english.get(f"/musyawarah/{desa.pk}/tabel-t-d4/").status_code == 404


def test_td4_is_hidden_from_those_outside_the_forum(english, other_kecamatan_operator, ranked):
    english.force_login(other_kecamatan_operator)

    assert english.get(f"/musyawarah/{ranked.pk}/tabel-t-d4/").status_code == 404


# --- classification on the decision page -----------------------------------------------------


def classify_post(priority=None, **fields) -> dict:
    data = {f"cls-{name}": "" for name in ("program", "activity", "sub_activity", "activity_target", "spending_type")}
    data["cls-regional_priority"] = str(priority.pk) if priority else ""
    data.update({f"cls-{name}": value for name, value in fields.items()})
    return data


def classification(proposal) -> dict:
    proposal = Proposal.objects.get(pk=proposal.pk)
    return {
        "regional_priority": proposal.regional_priority_id,
        **{name: getattr(proposal, name) for name in ROAD_CLASSIFIED},
    }


def test_the_kecamatan_operator_classifies_an_item_and_the_timeline_records_it(
    english, kecamatan_forum, kecamatan_operator, priorities
):
    decision = decision_of(kecamatan_forum, ROAD)
    english.force_login(kecamatan_operator)
    url = f"/musyawarah/{kecamatan_forum.pk}/usulan/{decision.pk}/"

    page = english.get(url).content.decode()
    response = english.post(url + "klasifikasi/", classify_post(priorities["roads"], **ROAD_CLASSIFIED))

    # Only the kabupaten's own priorities of the year are offered.
    assert re.findall(r'<option value="(\d+)"', page.split('id="classify"')[1].split("</select>")[0]) == [
        str(priorities["roads"].pk),
        str(priorities["people"].pk),
    ]
    assert response.status_code == 302
    assert response["Location"] == url
    assert classification(decision.proposal) == {"regional_priority": priorities["roads"].pk, **ROAD_CLASSIFIED}
    event = ProposalEvent.objects.filter(proposal=decision.proposal).latest("id")
    assert (event.action, event.actor, event.forum) == (EventAction.EDITED, kecamatan_operator, kecamatan_forum)
    assert event.note == (
        f"Classification: regional priority “{ROADS}”; programme “Program Penyelenggaraan Jalan”; "
        "activity (kegiatan) “Penyelenggaraan Jalan Kabupaten/Kota”; sub-activity (sub kegiatan) “Rehabilitasi Jalan”; "
        "activity target (sasaran kegiatan) “Jalan dusun mantap sepanjang 600 m”; "
        "spending type “Capital expenditure (belanja modal)”"
    )
    # The saved classification is what the form shows next time.
    again = english.get(url).content.decode()
    assert f'<option value="{priorities["roads"].pk}" selected>' in again
    assert 'value="Rehabilitasi Jalan"' in again


def test_a_second_classification_records_only_what_changed(kecamatan_forum, kecamatan_operator, priorities):
    decision = decision_of(kecamatan_forum, ROAD)
    forums_workflow.classify(
        actor=kecamatan_operator, decision=decision, regional_priority=priorities["roads"], **ROAD_CLASSIFIED
    )
    before = ProposalEvent.objects.count()

    forums_workflow.classify(
        actor=kecamatan_operator,
        decision=decision,
        regional_priority=priorities["roads"],
        **{**ROAD_CLASSIFIED, "program": "Program Jalan Desa", "sub_activity": ""},
    )
    forums_workflow.classify(
        actor=kecamatan_operator,
        decision=decision,
        regional_priority=priorities["roads"],
        **{**ROAD_CLASSIFIED, "program": "Program Jalan Desa", "sub_activity": ""},
    )

    notes = list(ProposalEvent.objects.order_by("id").values_list("note", flat=True)[before:])
    assert notes == ["Classification: programme “Program Jalan Desa”; sub-activity (sub kegiatan) emptied"]


def test_the_classification_is_written_in_indonesian_for_an_indonesian_officer(
    client, kecamatan_forum, kecamatan_operator, priorities
):
    decision = decision_of(kecamatan_forum, ROAD)
    client.force_login(kecamatan_operator)

    client.post(
        f"/musyawarah/{kecamatan_forum.pk}/usulan/{decision.pk}/klasifikasi/",
        classify_post(program="Program Penyelenggaraan Jalan"),
    )

    note = ProposalEvent.objects.filter(proposal=decision.proposal).latest("id").note
    assert note.startswith("Klasifikasi: program “Program Penyelenggaraan Jalan”")


def test_a_priority_of_another_kabupaten_is_refused_and_the_form_keeps_what_was_typed(
    english, kecamatan_forum, kecamatan_operator, priorities
):
    decision = decision_of(kecamatan_forum, ROAD)
    english.force_login(kecamatan_operator)
    before = (classification(decision.proposal), ProposalEvent.objects.count())

    response = english.post(
        f"/musyawarah/{kecamatan_forum.pk}/usulan/{decision.pk}/klasifikasi/",
        classify_post(priorities["elsewhere"], program="Program Pariwisata", activity="Promosi wisata"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the regional priority from the options given." in page
    assert 'name="cls-program" value="Program Pariwisata"' in page
    assert 'name="cls-activity" value="Promosi wisata"' in page
    assert (classification(decision.proposal), ProposalEvent.objects.count()) == before


def test_the_workflow_refuses_a_priority_of_another_year_or_kabupaten(
    kecamatan_forum, kecamatan_operator, priorities, other_bappeda_kabupaten
):
    decision = decision_of(kecamatan_forum, ROAD)

    with pytest.raises(workflow.WorkflowError, match="regional priorities of this item's regency/city and year"):
        forums_workflow.classify(actor=kecamatan_operator, decision=decision, regional_priority=priorities["elsewhere"])
    assert Proposal.objects.get(pk=decision.proposal_id).regional_priority is None


def test_classification_is_refused_once_the_forum_is_approved(english, kecamatan_forum, kecamatan_operator, priorities):
    for title in (ROAD, DRAIN, CLINIC):
        decide(kecamatan_operator, kecamatan_forum, title)
    hold(kecamatan_forum, kecamatan_operator)
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=kecamatan_forum)
    decision = decision_of(kecamatan_forum, ROAD)
    english.force_login(kecamatan_operator)
    before = (classification(decision.proposal), ProposalEvent.objects.count())

    response = english.post(
        f"/musyawarah/{kecamatan_forum.pk}/usulan/{decision.pk}/klasifikasi/",
        classify_post(priorities["roads"], **ROAD_CLASSIFIED),
    )

    assert response.status_code == 200
    assert "has been approved; its decisions can no longer change." in response.content.decode()
    assert (classification(decision.proposal), ProposalEvent.objects.count()) == before


def test_an_item_returned_to_its_village_cannot_be_classified(kecamatan_forum, kecamatan_operator, priorities):
    decision = decide(kecamatan_operator, kecamatan_forum, ROAD, Outcome.RETURNED, reason="Lengkapi RAB.")

    with pytest.raises(workflow.WorkflowError, match="can no longer be classified here"):
        forums_workflow.classify(actor=kecamatan_operator, decision=decision, program="Program Penyelenggaraan Jalan")
    assert Proposal.objects.get(pk=decision.proposal_id).program == ""


def test_the_neighbouring_kecamatans_operator_finds_no_such_item(
    english, kecamatan_forum, other_kecamatan_operator, priorities
):
    decision = decision_of(kecamatan_forum, ROAD)
    english.force_login(other_kecamatan_operator)

    response = english.post(
        f"/musyawarah/{kecamatan_forum.pk}/usulan/{decision.pk}/klasifikasi/",
        classify_post(priorities["roads"], program="Program Penyelenggaraan Jalan"),
    )

    assert response.status_code == 404
    assert classification(decision.proposal)["program"] == ""


def test_bappeda_reads_the_kecamatan_forum_but_may_not_classify_its_items(
    english, kecamatan_forum, bappeda_kabupaten, priorities
):
    decision = decision_of(kecamatan_forum, ROAD)
    english.force_login(bappeda_kabupaten)

    response = english.post(
        f"/musyawarah/{kecamatan_forum.pk}/usulan/{decision.pk}/klasifikasi/",
        classify_post(priorities["roads"], program="Program Penyelenggaraan Jalan"),
    )

    assert response.status_code == 403
    assert classification(decision.proposal)["program"] == ""


def test_classify_answers_only_to_post(english, kecamatan_forum, kecamatan_operator):
    decision = decision_of(kecamatan_forum, ROAD)
    english.force_login(kecamatan_operator)

    assert english.get(f"/musyawarah/{kecamatan_forum.pk}/usulan/{decision.pk}/klasifikasi/").status_code == 405


def test_a_village_forum_offers_no_classification_and_refuses_one(
    english, village_operator, intake, pupr, bappeda_kabupaten
):
    submit(village_operator, ROAD, 150_000_000, target_agency=pupr)
    desa = musrenbang(Level.DESA, village_operator.region)
    decision = decision_of(desa, ROAD)
    english.force_login(village_operator)

    page = english.get(f"/musyawarah/{desa.pk}/usulan/{decision.pk}/").content.decode()
    response = english.post(
        f"/musyawarah/{desa.pk}/usulan/{decision.pk}/klasifikasi/", classify_post(program="Program Jalan")
    )

    assert 'id="decide"' in page and 'id="classify"' not in page
    assert response.status_code == 403
    assert Proposal.objects.get(pk=decision.proposal_id).program == ""
    with pytest.raises(workflow.WorkflowError, match="Items are classified from the district forum onwards."):
        forums_workflow.classify(actor=village_operator, decision=decision, program="Program Jalan")
    assert Proposal.objects.get(pk=decision.proposal_id).program == ""


def test_the_decision_form_still_decides_next_to_the_classification(english, kecamatan_forum, kecamatan_operator):
    decision = decision_of(kecamatan_forum, DRAIN)
    english.force_login(kecamatan_operator)

    response = english.post(
        f"/musyawarah/{kecamatan_forum.pk}/usulan/{decision.pk}/", {"outcome": "rejected", "reason": "Dobel."}
    )

    assert response.status_code == 302
    assert Decision.objects.values_list("outcome", "reason").get(pk=decision.pk) == ("rejected", "Dobel.")


# --- the regional priorities page ------------------------------------------------------------


def priorities_of(region) -> list[tuple[str, str]]:
    return list(RegionalPriority.objects.filter(region=region).values_list("name", "target"))


def test_bappeda_adds_a_priority_and_sees_the_years_list(english, bappeda_kabupaten, intake, ladder):
    english.force_login(bappeda_kabupaten)
    year = intake.planning_year.year

    response = english.post(
        "/musyawarah/prioritas/", {"year": str(year), "name": f"  {ROADS} ", "target": "Jalan mantap 85 %"}
    )
    page = english.get(f"/musyawarah/prioritas/?year={year}").content.decode()

    assert response.status_code == 302
    assert response["Location"] == f"/musyawarah/prioritas/?year={year}"
    assert priorities_of(ladder["18.02"]) == [(ROADS, "Jalan mantap 85 %")]
    assert f"<td>{ROADS}</td>" in page


def test_the_page_lists_only_the_own_kabupatens_priorities_in_order_with_their_use(
    english, bappeda_kabupaten, priorities, walked
):
    english.force_login(bappeda_kabupaten)

    page = english.get("/musyawarah/prioritas/").content.decode()

    rows = re.findall(
        r"<td>([^<]+)</td>\s*<td class=\"wide\">[^<]*</td>\s*<td class=\"num\">.*?</td>\s*<td class=\"num\">(\d+)</td>",
        page,
    )
    assert rows == [(ROADS, "1"), (PEOPLE, "0")]
    assert "Pariwisata bahari" not in page


def test_a_duplicate_priority_name_is_refused_with_the_form_kept(english, bappeda_kabupaten, priorities, ladder):
    english.force_login(bappeda_kabupaten)
    before = priorities_of(ladder["18.02"])

    response = english.post(
        "/musyawarah/prioritas/",
        {"year": str(priorities["roads"].planning_year.year), "name": ROADS.upper(), "target": "Baru"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"already has the regional priority “{ROADS.upper()}”" in page
    assert f'value="{ROADS.upper()}"' in page
    assert priorities_of(ladder["18.02"]) == before


def test_a_priority_without_a_name_is_refused(english, bappeda_kabupaten, intake, ladder):
    english.force_login(bappeda_kabupaten)

    response = english.post("/musyawarah/prioritas/", {"year": str(intake.planning_year.year), "name": " "})

    assert response.status_code == 200
    assert "Enter the regional priority." in response.content.decode()
    assert priorities_of(ladder["18.02"]) == []


def test_bappeda_edits_a_priority(english, bappeda_kabupaten, priorities, ladder):
    english.force_login(bappeda_kabupaten)
    roads = priorities["roads"]

    form = english.get(f"/musyawarah/prioritas/{roads.pk}/").content.decode()
    response = english.post(f"/musyawarah/prioritas/{roads.pk}/", {"name": "Infrastruktur", "target": "Jalan mantap"})

    assert f'value="{ROADS}"' in form
    assert response.status_code == 302
    assert priorities_of(ladder["18.02"]) == [("Infrastruktur", "Jalan mantap"), (PEOPLE, "Angka harapan hidup naik")]


def test_renaming_a_priority_to_anothers_name_is_refused(english, bappeda_kabupaten, priorities, ladder):
    english.force_login(bappeda_kabupaten)
    before = priorities_of(ladder["18.02"])

    response = english.post(f"/musyawarah/prioritas/{priorities['roads'].pk}/", {"name": PEOPLE, "target": ""})

    assert response.status_code == 200
    assert f"already has the regional priority “{PEOPLE}”" in response.content.decode()
    assert priorities_of(ladder["18.02"]) == before


def test_bappeda_removes_a_priority_no_item_uses(english, bappeda_kabupaten, priorities, ladder):
    english.force_login(bappeda_kabupaten)

    response = english.post(f"/musyawarah/prioritas/{priorities['people'].pk}/hapus/", follow=True)

    assert priorities_of(ladder["18.02"]) == [(ROADS, "Jalan kabupaten dalam kondisi mantap 85 %")]
    assert f"The regional priority “{PEOPLE}” was removed." in response.content.decode()


def test_a_priority_in_use_cannot_be_removed(english, bappeda_kabupaten, priorities, walked, ladder):
    english.force_login(bappeda_kabupaten)
    before = priorities_of(ladder["18.02"])

    response = english.post(f"/musyawarah/prioritas/{priorities['roads'].pk}/hapus/", follow=True)

    assert f"“{ROADS}” is the regional priority of 1 item(s); it cannot be removed." in response.content.decode()
    assert priorities_of(ladder["18.02"]) == before
    assert Proposal.objects.get(title=ROAD).regional_priority == priorities["roads"]


def test_removing_answers_only_to_post(english, bappeda_kabupaten, priorities, ladder):
    english.force_login(bappeda_kabupaten)
    before = priorities_of(ladder["18.02"])

    assert english.get(f"/musyawarah/prioritas/{priorities['people'].pk}/hapus/").status_code == 405
    assert priorities_of(ladder["18.02"]) == before


@pytest.mark.parametrize("action", ["edit", "remove"])
def test_another_kabupatens_bappeda_finds_no_such_priority(
    english, other_bappeda_kabupaten, priorities, ladder, action
):
    english.force_login(other_bappeda_kabupaten)
    before = priorities_of(ladder["18.02"])
    roads = priorities["roads"].pk
    url = f"/musyawarah/prioritas/{roads}/" if action == "edit" else f"/musyawarah/prioritas/{roads}/hapus/"

    if action == "edit":
        assert english.get(url).status_code == 404
    assert english.post(url, {"name": "Diambil alih"}).status_code == 404
    assert priorities_of(ladder["18.02"]) == before


def test_a_provinces_bappeda_keeps_its_own_priorities_not_a_kabupatens(english, bappeda_provinsi, priorities, ladder):
    english.force_login(bappeda_provinsi)
    roads = priorities["roads"].pk

    assert english.get("/musyawarah/prioritas/").status_code == 200
    assert english.get(f"/musyawarah/prioritas/{roads}/").status_code == 404
    assert english.post(f"/musyawarah/prioritas/{roads}/hapus/").status_code == 404
    assert priorities_of(ladder["18.02"])[0] == (ROADS, "Jalan kabupaten dalam kondisi mantap 85 %")


@pytest.mark.parametrize("persona", ["village_operator", "kecamatan_operator", "agency_officer", "admin_user"])
def test_only_bappeda_opens_the_priorities_pages(english, request, priorities, ladder, persona):
    english.force_login(request.getfixturevalue(persona))
    before = RegionalPriority.objects.count()
    roads = priorities["roads"].pk
    year = str(priorities["roads"].planning_year.year)

    assert english.get("/musyawarah/prioritas/").status_code == 403
    assert english.post("/musyawarah/prioritas/", {"year": year, "name": "Baru"}).status_code == 403
    assert english.get(f"/musyawarah/prioritas/{roads}/").status_code == 403
    assert english.post(f"/musyawarah/prioritas/{roads}/", {"name": "Baru"}).status_code == 403
    assert english.post(f"/musyawarah/prioritas/{roads}/hapus/").status_code == 403
    assert RegionalPriority.objects.count() == before
    assert priorities_of(ladder["18.02"])[0] == (ROADS, "Jalan kabupaten dalam kondisi mantap 85 %")


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_priorities_page(english, intake):
    response = english.get("/musyawarah/prioritas/")

    assert response.status_code == 302
    assert response["Location"] == f"/masuk/?next={reverse('planning:priorities')}"


def test_only_bappeda_kabupaten_gets_the_priorities_link(english, bappeda_kabupaten, kecamatan_operator):
    english.force_login(bappeda_kabupaten)
    assert 'href="/musyawarah/prioritas/"' in english.get("/usulan/").content.decode()
    english.force_login(kecamatan_operator)
    assert 'href="/musyawarah/prioritas/"' not in english.get("/usulan/").content.decode()


# --- the demo ----------------------------------------------------------------------------------


def test_the_demo_holds_lampung_tengahs_priorities_and_a_classified_kecamatan_list(db):
    from django.core.management import call_command

    from demo import data as demo
    from forums import exports as td4

    call_command("demo", stdout=io.StringIO())

    assert list(RegionalPriority.objects.filter(region__code="18.02").values_list("name", "target")) == demo.PRIORITIES
    forum = Forum.objects.get(kind=ForumKind.MUSRENBANG, level=Level.KECAMATAN, region__code="18.02.02")
    items, total = td4.rows(forum)
    assert [row[1:6] for row in items] == [
        [
            demo.PRIORITIES[0][0],
            demo.PRIORITIES[0][1],
            "Program Penyelenggaraan Jalan",
            f"Penyelenggaraan Jalan Kabupaten/Kota ({BRIDGE})",
            "Tersedianya jembatan penghubung antardusun",
        ]
    ]
    assert total == Proposal.objects.get(title=BRIDGE).estimated_cost
