"""A forum's ranking as CSV and XLSX (forums/exports.py ranking_dataset, forums/views.py ranking_export).

Desa Kalirejo agrees to five items; its approval sends them to Kecamatan Kalirejo's forum, where
Bappeda's criteria and a ceiling of Rp200.000.000 apply. The kecamatan scores four of them,
orders them by score and decides:

    CLINIC  accepted
    ROAD    accepted with a lower cost
    DRAIN   accepted, but past the ceiling: below the cut line
    WELL    not agreed, with a reason written as a bullet ("- ..."), which a spreadsheet
            would otherwise read as a formula
    LAMP    not scored, not decided

The files must hold exactly the rows of the ranking page, in its order.
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
from django.utils import translation

from forums import access as forums_access
from forums import exports, queries
from forums import workflow as forums_workflow
from forums.models import Decision, Forum, ForumKind, Outcome
from proposals import workflow
from proposals.models import Proposal
from proposals.tables import spreadsheet_safe
from regions.models import Level

from .factories import ProposalFactory, attend

ROAD = "Rabat beton jalan Dusun III"
DRAIN = "Drainase jalan poros desa"
WELL = "Sumur bor mushola Al-Ikhlas"
CLINIC = "Alat kesehatan posyandu"
LAMP = "Lampu jalan tenaga surya"
WELL_REASON = "- Skala desa: dibiayai Dana Desa."

HEADER = [
    "No.",
    "Tracking code",
    "Title",
    "Channel",
    "Village",
    "Score",
    "Volume",
    "Unit",
    "Catalogue item",
    "Unit price",
    "Cost",
    "Decision",
    "Reason",
    "Agency",
    "Below the cut line",
]
NUMBERS = {"No.", "Score", "Volume", "Unit price", "Cost"}
CEILING = 200_000_000


@pytest.fixture(autouse=True)
def english_outside_requests():
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


def musrenbang(level, region) -> Forum:
    return Forum.objects.get(kind=ForumKind.MUSRENBANG, level=level, region=region)


@pytest.fixture
def forum(village_operator, kecamatan_operator, bappeda_kabupaten, intake, pupr, dinkes, ladder):
    """Kalirejo's kecamatan forum as the module docstring describes it, not yet approved."""
    submit(village_operator, ROAD, 150_000_000, target_agency=pupr)
    submit(village_operator, DRAIN, 90_000_000, target_agency=pupr)
    submit(village_operator, WELL, 40_000_000, target_agency=pupr, unit="titik", volume=Decimal("2"))
    submit(village_operator, CLINIC, 36_000_000, target_agency=dinkes, unit="paket", volume=Decimal("3"))
    submit(village_operator, LAMP, 25_000_000, target_agency=pupr, unit="unit", volume=Decimal("12"))
    desa = musrenbang(Level.DESA, village_operator.region)
    for title in (ROAD, DRAIN, WELL, CLINIC, LAMP):
        decide(village_operator, desa, title)
    forums_workflow.update_forum(
        actor=village_operator,
        forum=desa,
        held_on=datetime.date(2026, 1, 20),
        place="Balai Desa Kalirejo",
        chair_name="Suparno",
        chair_title="Kepala Desa",
    )
    attend(village_operator, desa)
    for name, gender in [("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Joko Susilo", "L")]:
        forums_workflow.add_delegate(actor=village_operator, forum=desa, name=name, gender=gender)
    forums_workflow.approve_forum(actor=village_operator, forum=desa)

    year, kecamatan = intake.planning_year, ladder["18.02.01"]
    forum = musrenbang(Level.KECAMATAN, kecamatan)
    criteria = forums_workflow.set_criteria(
        actor=bappeda_kabupaten, planning_year=year, criteria=[("Urgensi", 60), ("Manfaat", 40)]
    )
    forums_workflow.set_ceiling(actor=bappeda_kabupaten, planning_year=year, kecamatan=kecamatan, amount=CEILING)
    for title, values in [(CLINIC, [5, 5]), (ROAD, [5, 3]), (DRAIN, [4, 3]), (WELL, [2, 4])]:
        forums_workflow.score(
            actor=kecamatan_operator,
            decision=decision_of(forum, title),
            values=dict(zip(criteria, values, strict=True)),
        )
    forums_workflow.order_by_score(actor=kecamatan_operator, forum=forum)
    decide(kecamatan_operator, forum, CLINIC)
    decide(
        kecamatan_operator,
        forum,
        ROAD,
        Outcome.ACCEPTED_CHANGED,
        reason="Harga satuan disesuaikan dengan SSH.",
        adjusted_volume=Decimal("90.5"),
        adjusted_cost=140_000_000,
    )
    decide(kecamatan_operator, forum, DRAIN)
    decide(kecamatan_operator, forum, WELL, Outcome.REJECTED, reason=WELL_REASON)
    return forum


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def expected_rows(forum) -> list[dict]:
    """What the ranking page lists, from the database: column -> value, numbers as Decimal."""
    rows = []
    for row in queries.ranking(forum).rows:
        decision, proposal = row.decision, row.decision.proposal
        rows.append(
            {
                "No.": row.position,
                "Tracking code": proposal.tracking_code,
                "Title": proposal.title,
                "Channel": "Musrenbang",
                "Village": proposal.village.display_name,
                "Score": decision.score,
                "Volume": decision.volume,
                "Unit": proposal.unit,
                "Catalogue item": proposal.catalogue_name,
                "Unit price": proposal.catalogue_unit_price,
                "Cost": decision.cost,
                "Decision": str(Outcome(decision.outcome).label) if decision.outcome else "Waiting",
                "Reason": spreadsheet_safe(decision.reason),
                "Agency": proposal.current_agency.name,
                "Below the cut line": "Yes" if row.below_line else "No",
            }
        )
    return rows


def as_read(header, cells) -> dict:
    """A file's row as column -> value: empty cells None, numbers as Decimal, text as is."""
    row = {}
    for name, cell in zip(header, cells, strict=True):
        if cell in ("", None):
            row[name] = "" if name not in NUMBERS else None
        elif name in NUMBERS:
            row[name] = Decimal(str(cell))
        else:
            row[name] = cell
    return row


READERS = [("csv", read_csv), ("xlsx", read_xlsx)]


@pytest.mark.parametrize(("fmt", "read"), READERS)
def test_the_download_holds_every_row_of_the_ranking_in_its_order(english, kecamatan_operator, forum, fmt, read):
    english.force_login(kecamatan_operator)

    response = english.get(f"/musyawarah/{forum.pk}/peringkat/unduh.{fmt}")

    assert response.status_code == 200
    assert response["Content-Type"] == exports.RANKING_FORMATS[fmt]
    assert response["Content-Disposition"] == (
        f'attachment; filename="peringkat-{forum.pk}-{forum.planning_year.year}.{fmt}"'
    )
    header, *rows = read(response)
    assert header == HEADER
    # Row by row as column -> value, so that a failure names the column.
    assert [as_read(header, row) for row in rows] == expected_rows(forum)


@pytest.mark.parametrize(("fmt", "read"), READERS)
def test_the_rows_follow_the_pages_order_with_the_cut_line_and_the_forums_own_cost(
    english, kecamatan_operator, forum, fmt, read
):
    english.force_login(kecamatan_operator)
    page = english.get(f"/musyawarah/{forum.pk}/peringkat/").content.decode()
    on_page = [int(pk) for pk in re.findall(r'<tr id="item-(\d+)"', page)]

    header, *rows = read(english.get(f"/musyawarah/{forum.pk}/peringkat/unduh.{fmt}"))

    codes = dict(Decision.objects.filter(forum=forum).values_list("pk", "proposal__tracking_code"))
    assert [row[header.index("Tracking code")] for row in rows] == [codes[pk] for pk in on_page]
    by_title = {row[header.index("Title")]: dict(zip(header, row, strict=True)) for row in rows}
    # The forum's changed cost, not the village's estimate; a whole number in either file.
    assert by_title[ROAD]["Cost"] in (140_000_000, "140000000")
    below = [title for title, row in by_title.items() if row["Below the cut line"] == "Yes"]
    assert below == [d.proposal.title for d in queries.ranking(forum).below_line] == [DRAIN]
    # Only agreed items are placed: the rejected and the undecided ones have no number.
    assert [title for title, row in by_title.items() if row["No."] in ("", None)] == [WELL, LAMP]
    assert by_title[LAMP]["Decision"] == "Waiting"


@pytest.mark.parametrize(("fmt", "read"), READERS)
def test_a_reason_that_looks_like_a_formula_reaches_the_file_as_text(english, kecamatan_operator, forum, fmt, read):
    english.force_login(kecamatan_operator)

    header, *rows = read(english.get(f"/musyawarah/{forum.pk}/peringkat/unduh.{fmt}"))

    [well] = [row for row in rows if row[header.index("Title")] == WELL]
    assert well[header.index("Reason")] == "'" + WELL_REASON


def test_xlsx_costs_are_numbers_a_spreadsheet_can_sum(english, kecamatan_operator, forum):
    english.force_login(kecamatan_operator)

    header, *rows = read_xlsx(english.get(f"/musyawarah/{forum.pk}/peringkat/unduh.xlsx"))

    costs = [row[header.index("Cost")] for row in rows]
    assert all(type(cost) is int for cost in costs)
    assert sum(costs) == sum(row.decision.cost for row in queries.ranking(forum).rows)


@pytest.mark.parametrize(("fmt", "read"), READERS)
def test_headers_and_values_follow_the_interface_language(client, bappeda_kabupaten, forum, fmt, read):
    client.force_login(bappeda_kabupaten)  # reads the kecamatan's forum, does not run it

    header, *rows = read(client.get(f"/musyawarah/{forum.pk}/peringkat/unduh.{fmt}"))

    with translation.override("id"):
        expected_header = [translation.gettext(name) for name in HEADER]
        waiting, rejected = translation.gettext("Waiting"), str(Outcome.REJECTED.label)
    assert header == expected_header
    assert header[HEADER.index("Title")] == "Judul"
    by_title = {row[header.index(expected_header[HEADER.index("Title")])]: row for row in rows}
    assert by_title[LAMP][HEADER.index("Decision")] == waiting == "Menunggu"
    assert by_title[WELL][HEADER.index("Decision")] == rejected


def test_the_ranking_page_links_both_downloads(english, kecamatan_operator, forum):
    english.force_login(kecamatan_operator)

    page = english.get(f"/musyawarah/{forum.pk}/peringkat/").content.decode()

    assert re.findall(r'<a href="(/musyawarah/\d+/peringkat/unduh\.\w+)">(\w+)</a>', page) == [
        (f"/musyawarah/{forum.pk}/peringkat/unduh.csv", "CSV"),
        (f"/musyawarah/{forum.pk}/peringkat/unduh.xlsx", "XLSX"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_another_kecamatans_officer_finds_no_such_download(english, other_kecamatan_operator, forum, fmt):
    english.force_login(other_kecamatan_operator)

    assert english.get(f"/musyawarah/{forum.pk}/peringkat/unduh.{fmt}").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_anonymous_visitor_is_sent_to_log_in(english, forum, fmt):
    target = f"/musyawarah/{forum.pk}/peringkat/unduh.{fmt}"

    response = english.get(target)

    assert response.status_code == 302
    assert response["Location"] == f"/masuk/?next={target}"


@pytest.mark.parametrize("fmt", ["pdf", "json", "CSV", "xls"])
def test_an_unknown_format_is_not_found(english, kecamatan_operator, forum, fmt):
    english.force_login(kecamatan_operator)

    assert english.get(f"/musyawarah/{forum.pk}/peringkat/unduh.{fmt}").status_code == 404


def test_the_download_answers_only_to_get(english, kecamatan_operator, forum):
    english.force_login(kecamatan_operator)

    assert english.post(f"/musyawarah/{forum.pk}/peringkat/unduh.csv").status_code == 405


# --- a fixed number of queries --------------------------------------------------------------


def add_items(forum, village, pupr, count) -> None:
    """More items laid out as the village forum's approval leaves them, some scored or decided."""
    start = forum.decisions.count()
    for n in range(start + 1, start + count + 1):
        proposal = ProposalFactory(
            submitted=True,
            village=village,
            level=Level.KECAMATAN,
            title=f"Usulan tambahan {n}",
            estimated_cost=1_000_000 * n,
            target_agency=pupr,
            current_agency=pupr,
        )
        outcome = Outcome.ACCEPTED if n % 2 else ""
        Decision.objects.create(forum=forum, proposal=proposal, rank=n, outcome=outcome, score=Decimal(n % 5))


def test_the_dataset_runs_the_same_queries_for_five_items_as_for_fifteen(
    forum, pupr, village_operator, kecamatan_operator, django_assert_num_queries
):
    forum = forums_access.get_forum_for_user(kecamatan_operator, forum.pk)  # as the view fetches it
    # The forum's decisions with their items, those decisions' scores, the items' villages and
    # kecamatan, the ceiling.
    with django_assert_num_queries(5):
        few = exports.ranking_dataset(forum)
    add_items(forum, village_operator.region, pupr, 10)
    with django_assert_num_queries(5):
        many = exports.ranking_dataset(forum)

    assert (few.height, many.height) == (5, 15)


def test_the_download_runs_the_same_queries_for_five_items_as_for_fifteen(
    english, kecamatan_operator, forum, pupr, village_operator, django_assert_num_queries
):
    english.force_login(kecamatan_operator)
    url = f"/musyawarah/{forum.pk}/peringkat/unduh.xlsx"
    english.get(url)  # the session warms up the same way for both sizes
    with CaptureQueriesContext(connection) as few:
        assert len(read_xlsx(english.get(url))) == 1 + 5
    add_items(forum, village_operator.region, pupr, 10)

    with django_assert_num_queries(len(few.captured_queries)):
        assert len(read_xlsx(english.get(url))) == 1 + 15
