"""An agency's Renja list: the items the forums took into the plan for it, with the agreed figures,
as a page, an XLSX workbook and a PDF (built by the worker); read by the agency and the Bappeda above it."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from downloads.models import Download, State
from forums.models import Decision, Forum, ForumStatus, Outcome
from planning.models import PlanningYear
from proposals.models import Status
from regions.models import Level

from .factories import AgencyFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def year():
    return PlanningYear.objects.get_or_create(year=timezone.localdate().year + 1)[0]


def approved(year, level, region, **extra):
    return Forum.objects.create(
        planning_year=year, level=level, region=region, status=ForumStatus.APPROVED, approved_at=timezone.now(), **extra
    )


def accommodated(village, agency, *, title, cost, program="", current=None, status=Status.ACCOMMODATED):
    return ProposalFactory(
        submitted=True,
        village=village,
        title=title,
        estimated_cost=cost,
        target_agency=agency,
        current_agency=current or agency,
        status=status,
        program=program,
        sub_activity="Pembangunan jalan" if program else "",
    )


def decide(forum, proposal, outcome, rank, **figures):
    return Decision.objects.create(
        forum=forum, proposal=proposal, outcome=outcome, rank=rank, decided_at=timezone.now(), **figures
    )


@pytest.fixture
def plan(ladder, year, pupr, dinkes):
    village = ladder["18.02.01.2001"]
    kecamatan = approved(year, Level.KECAMATAN, ladder["18.02.01"])
    kabupaten = approved(year, Level.KABUPATEN, ladder["18.02"])
    road = accommodated(
        village, pupr, title="Rabat beton jalan Dusun Sukamaju", cost=150_000_000, program="Program Jalan"
    )
    decide(kecamatan, road, Outcome.ACCEPTED, 1, incoming_cost=150_000_000)
    decide(
        kabupaten,
        road,
        Outcome.ACCEPTED_CHANGED,
        1,
        incoming_cost=150_000_000,
        adjusted_cost=120_000_000,
        adjusted_volume=Decimal("80"),
        reason="Dipangkas",
    )
    handed = accommodated(village, pupr, current=dinkes, title="Posyandu Dusun Krajan", cost=80_000_000)
    decide(kabupaten, handed, Outcome.ACCEPTED, 2, incoming_cost=75_000_000)
    waiting = accommodated(village, pupr, title="Drainase masih dibahas", cost=60_000_000, status=Status.SUBMITTED)
    return {"road": road, "handed": handed, "waiting": waiting, "kabupaten": kabupaten}


def test_an_agencys_list_holds_what_the_forums_took_in_for_it_with_the_agreed_figures(
    english, agency_officer, plan, pupr, year
):
    english.force_login(agency_officer)

    response = english.get(f"/laporan/renja/{pupr.pk}/?year={year.year}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rabat beton jalan Dusun Sukamaju" in page and "Program Jalan" in page
    assert "Rp120.000.000" in page and "Rp150.000.000" in page  # agreed, beside the village's estimate
    assert "80 meter" in page and str(plan["kabupaten"]) in page
    assert "Posyandu" not in page  # handed to Dinkes: on its list, not PUPR's
    assert "Drainase" not in page  # not taken into the plan (yet)
    assert "1 item taken into the plan" in page


def test_the_receiving_agency_lists_an_item_handed_to_it(english, other_agency_officer, plan, dinkes, year):
    english.force_login(other_agency_officer)

    page = english.get(f"/laporan/renja/{dinkes.pk}/?year={year.year}").content.decode()

    assert "Posyandu Dusun Krajan" in page and "Rp75.000.000" in page


def test_the_workbook_has_a_row_per_item_and_the_total(english, bappeda_kabupaten, plan, pupr, year):
    english.force_login(bappeda_kabupaten)

    response = english.get(f"/laporan/renja/{pupr.pk}/?year={year.year}&format=xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0][:5] == ["No", "Program", "Kegiatan", "Sub Kegiatan", "Usulan"]
    assert rows[1][1] == "Program Jalan" and rows[1][4] == "Rabat beton jalan Dusun Sukamaju"
    assert rows[1][8:12] == [80, "meter", 120_000_000, 150_000_000]
    assert rows[2][4] == "Jumlah" and rows[2][10] == 120_000_000


def test_the_pdf_is_built_by_the_worker_and_reads_in_indonesian(
    english, bappeda_kabupaten, plan, pupr, year, tasks_run_at_once
):
    english.force_login(bappeda_kabupaten)

    response = english.get(f"/laporan/renja/{pupr.pk}/?year={year.year}&format=pdf")

    download = Download.objects.get()
    assert response["Location"] == f"/unduhan/{download.pk}/"
    assert download.state == State.DONE
    pdf = english.get(f"/unduhan/{download.pk}/berkas/")
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Daftar Usulan Musrenbang untuk Renja Dinas Pekerjaan Umum" in text
    assert "Rabat beton jalan Dusun Sukamaju" in text and "Rp120.000.000" in text
    assert "Posyandu" not in text


@pytest.mark.parametrize(
    ("persona", "agency", "status"),
    [
        ("agency_officer", "pupr", 200),
        ("agency_officer", "dinkes", 404),
        ("other_agency_officer", "pupr", 404),
        ("bappeda_kabupaten", "pupr", 200),
        ("bappeda_kabupaten", "lamsel", 404),
        ("other_bappeda_kabupaten", "pupr", 404),
        ("bappeda_provinsi", "pupr", 200),
        ("other_bappeda_provinsi", "pupr", 404),
        ("admin_user", "lamsel", 200),
        ("kecamatan_operator", "pupr", 404),
        ("village_operator", "pupr", 404),
    ],
)
def test_who_may_read_which_agencys_list(english, request, ladder, plan, year, persona, agency, status):
    agencies = {
        "pupr": request.getfixturevalue("pupr"),
        "dinkes": request.getfixturevalue("dinkes"),
        "lamsel": AgencyFactory(region=ladder["18.01"], code="1.03.01", name="Dinas PU Lampung Selatan"),
    }
    english.force_login(request.getfixturevalue(persona))

    assert english.get(f"/laporan/renja/{agencies[agency].pk}/?year={year.year}").status_code == status


def test_the_index_lists_the_agencies_in_scope_and_sends_an_agency_straight_to_its_own(
    english, bappeda_kabupaten, agency_officer, village_operator, plan, pupr, year
):
    english.force_login(bappeda_kabupaten)
    index = english.get(f"/laporan/renja/?year={year.year}").content.decode()
    english.force_login(agency_officer)
    own = english.get(f"/laporan/renja/?year={year.year}")
    english.force_login(village_operator)

    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in index and "Dinas Kesehatan" in index
    assert own.status_code == 302 and own["Location"] == f"/laporan/renja/{pupr.pk}/?year={year.year}"
    assert english.get("/laporan/renja/").status_code == 404


def test_the_list_reads_in_the_same_queries_however_long(english, bappeda_kabupaten, ladder, plan, pupr, year):
    english.force_login(bappeda_kabupaten)
    url = f"/laporan/renja/{pupr.pk}/?year={year.year}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert english.get(url).status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for n in range(6):
        item = accommodated(ladder["18.02.01.2003"], pupr, title=f"Sumur bor {n}", cost=40_000_000)
        decide(plan["kabupaten"], item, Outcome.ACCEPTED, 10 + n, incoming_cost=40_000_000)

    assert queries() == one
    assert "7 items taken into the plan" in english.get(url).content.decode()
