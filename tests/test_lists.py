"""The proposal list at /usulan/: its cost in queries, its exports, filters, drill-down and sorting.

Pages are read in English; rows are read from the rendered table (the title links), so a test
sees what the officer sees.
"""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import parse_qs

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from planning.models import PlanningYear
from proposals.models import Proposal, Sector, Status

from .factories import ProposalFactory

# The export's columns, as documented in proposals/tables.py: the screen's columns, then the export-only ones.
EXPORT_HEADER = [
    "Code",
    "Title",
    "Village",
    "District",
    "Sector",
    "Target agency",
    "Estimated cost",
    "Agreed cost",
    "Status",
    "Entered",
    "Channel",
    "Planning year",
    "Village code",
    "Problem",
    "Proposed work",
    "Volume",
    "Unit",
    "Catalogue item",
    "Unit price",
    "Outside the catalogue: why",
    "Beneficiaries",
    "Latitude",
    "Longitude",
]
LAMPUNG_TENGAH_VILLAGES = ["18.02.01.2003", "18.02.01.2001", "18.02.02.2001"]


def listed_titles(response) -> list[str]:
    """The titles in the rendered table, top to bottom."""
    page = response.content.decode()
    table = page[page.index("<tbody") : page.index("</tbody>")] if "<tbody" in page else ""
    return re.findall(r'<a href="/usulan/\d+/">([^<]*)</a>', table)


def operator_of(village) -> User:
    """The village's operator, without the password hash the factory would compute for every row."""
    return User.objects.get_or_create(
        username=f"op-{village.code}", defaults={"role": Role.VILLAGE_OPERATOR, "region": village}
    )[0]


def proposal(village, **fields) -> Proposal:
    return ProposalFactory(village=village, created_by=operator_of(village), **fields)


def add_submitted(ladder, count, *, villages=LAMPUNG_TENGAH_VILLAGES, agency=None, **fields) -> list[Proposal]:
    """`count` submitted proposals spread over the villages, saved in one INSERT."""
    built = [
        ProposalFactory.build(
            village=ladder[villages[i % len(villages)]],
            created_by=operator_of(ladder[villages[i % len(villages)]]),
            submitted=True,
            target_agency=agency if i % 2 else None,
            estimated_cost=1_000_000 + i * 1_000,
            **fields,
        )
        for i in range(count)
    ]
    return Proposal.objects.bulk_create(built)


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- cost in queries ------------------------------------------------------------------------


def queries_for_list(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/usulan/")
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("persona", ["bappeda_kabupaten", "bappeda_provinsi"])
def test_the_list_runs_as_many_queries_for_500_rows_as_for_10(english, request, ladder, intake, pupr, persona):
    english.force_login(request.getfixturevalue(persona))
    add_submitted(ladder, 10, agency=pupr)
    english.get("/usulan/")  # the session and caches warm up the same way for both counts

    ten, ten_queries = queries_for_list(english)
    add_submitted(ladder, 490, agency=pupr)
    five_hundred, five_hundred_queries = queries_for_list(english)

    assert len(listed_titles(ten)) == 10
    assert len(listed_titles(five_hundred)) == 25
    assert "Dinas PUPR" in five_hundred.content.decode()  # the agency column, read through the join
    assert len(ten_queries) == len(five_hundred_queries), "\n".join(five_hundred_queries)


def test_a_kabupaten_list_takes_its_count_from_the_tally_once(english, bappeda_kabupaten, ladder, intake):
    english.force_login(bappeda_kabupaten)
    add_submitted(ladder, 30)

    response, queries = queries_for_list(english)

    assert "30 proposals" in response.content.decode()
    # One sum over the villages' tally rows (proposals/tally.py), no COUNT over the proposals;
    # SQLite, without the tally's triggers, counts the rows once.
    tallied = connection.vendor == "postgresql"
    assert sum("proposals_proposaltally" in sql for sql in queries) == int(tallied)
    assert len([sql for sql in queries if "COUNT(" in sql.upper() and '"proposals_proposal"' in sql]) == 1 - tallied


def test_a_province_list_pages_forward_without_counting_rows(english, bappeda_provinsi, ladder, intake):
    english.force_login(bappeda_provinsi)
    add_submitted(ladder, 30)

    first, first_queries = queries_for_list(english)
    with CaptureQueriesContext(connection) as captured:
        second = english.get("/usulan/?page=2")

    counting = [sql for sql in first_queries + [q["sql"] for q in captured.captured_queries] if "COUNT(" in sql.upper()]
    assert [sql for sql in counting if "proposals_proposal" in sql] == []
    assert "30 proposals" not in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert len(listed_titles(first)) == 25
    assert len(listed_titles(second)) == 5
    assert set(listed_titles(first)).isdisjoint(listed_titles(second))


# --- exports --------------------------------------------------------------------------------


def read_csv(response) -> list[list]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def read_xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def exportable(ladder, intake, pupr):
    """28 submitted proposals in kecamatan Kalirejo and 5 in Bangun Rejo, plus rows the Bappeda must not get."""
    add_submitted(ladder, 28, villages=["18.02.01.2003", "18.02.01.2001"], agency=pupr)
    add_submitted(ladder, 5, villages=["18.02.02.2001"])
    add_submitted(ladder, 3, villages=["18.01.01.2001"])  # another kabupaten
    proposal(ladder["18.02.01.2003"], title="Masih draf")


@pytest.mark.parametrize(("export_format", "read", "cost_cell"), [("csv", read_csv, str), ("xlsx", read_xlsx, int)])
@pytest.mark.parametrize(("query", "scope"), [("", {}), ("&wilayah=18.02.01", {"kecamatan__code": "18.02.01"})])
def test_an_export_holds_every_filtered_row_not_one_page(
    english, bappeda_kabupaten, exportable, export_format, read, cost_cell, query, scope
):
    english.force_login(bappeda_kabupaten)

    response = english.get(f"/usulan/?_export={export_format}{query}")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'filename="usulan.{export_format}"')
    header, *rows = read(response)
    assert header == EXPORT_HEADER
    expected = Proposal.objects.visible_to(bappeda_kabupaten).filter(**scope)
    assert len(rows) == expected.count() > 25
    exported = {row[0]: row for row in rows}
    assert len(exported) == len(rows)
    costs = dict(expected.values_list("tracking_code", "estimated_cost"))
    titles = dict(expected.values_list("tracking_code", "title"))
    cost = EXPORT_HEADER.index("Estimated cost")
    assert {code: row[cost] for code, row in exported.items()} == {code: cost_cell(c) for code, c in costs.items()}
    assert {code: row[1] for code, row in exported.items()} == titles
    village_code = EXPORT_HEADER.index("Village code")
    assert {row[village_code] for row in rows} <= {"18.02.01.2003", "18.02.01.2001", "18.02.02.2001"}


def test_an_export_with_an_invalid_filter_holds_no_rows(english, bappeda_kabupaten, exportable):
    english.force_login(bappeda_kabupaten)

    header, *rows = read_csv(english.get("/usulan/?_export=csv&wilayah=18.01"))

    assert header == EXPORT_HEADER
    assert rows == []


# --- filters --------------------------------------------------------------------------------


@pytest.fixture
def spread(ladder, intake, pupr):
    """One proposal per case the filters tell apart, each with its own title and cost."""
    later = PlanningYear.objects.create(year=timezone.localdate().year + 2)
    kesehatan = Sector.objects.get(code="1.02")
    return {
        "jembatan": proposal(
            ladder["18.02.01.2003"],
            submitted=True,
            title="Jembatan gantung Way Sekampung",
            tracking_code="AB23-CD45",
            estimated_cost=300_000_000,
            target_agency=pupr,
        ),
        "posyandu": proposal(
            ladder["18.02.01.2001"],
            submitted=True,
            title="Posyandu Dusun Dua",
            sector=kesehatan,
            estimated_cost=80_000_000,
        ),
        "drainase": proposal(
            ladder["18.02.02.2001"],
            submitted=True,
            title="Drainase pasar Bangun Rejo",
            planning_year=later,
            estimated_cost=120_000_000,
        ),
        "draft": proposal(ladder["18.02.01.2003"], title="Sumur bor masih draf"),
        "natar": proposal(ladder["18.01.01.2001"], submitted=True, title="Balai warga Merak Batin"),
    }


def titles_of(spread, *keys):
    return sorted(spread[key].title for key in keys)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["jembatan", "posyandu", "drainase"]),
        ("sector={kesehatan}", ["posyandu"]),
        ("planning_year={later}", ["drainase"]),
        ("q=jembatan+GANTUNG", ["jembatan"]),
        ("q=++posyandu+", ["posyandu"]),
        ("q=ab23-cd45", ["jembatan"]),
        ("q=AB23", []),
        ("q=Merak+Batin", []),
        ("status=submitted", ["jembatan", "posyandu", "drainase"]),
        ("status=draft", []),
        ("wilayah=18.02.01", ["jembatan", "posyandu"]),
        ("wilayah=18.02.02", ["drainase"]),
        ("wilayah=18.02.01.2001", ["posyandu"]),
        ("wilayah=18.02.01&sector={kesehatan}", ["posyandu"]),
        ("wilayah=18.01", []),
        ("wilayah=18.01.01.2001", []),
        ("wilayah=17", []),
    ],
)
def test_a_kabupaten_bappeda_filters_its_list(english, bappeda_kabupaten, spread, query, expected):
    english.force_login(bappeda_kabupaten)
    later = spread["drainase"].planning_year

    response = english.get("/usulan/?" + query.format(kesehatan=Sector.objects.get(code="1.02").pk, later=later.pk))

    assert sorted(listed_titles(response)) == titles_of(spread, *expected)


@pytest.mark.parametrize(("status", "expected"), [("draft", ["draft"]), ("submitted", ["jembatan"])])
def test_a_village_operator_filters_its_own_proposals_by_status(english, village_operator, spread, status, expected):
    english.force_login(village_operator)

    response = english.get(f"/usulan/?status={status}")

    assert sorted(listed_titles(response)) == titles_of(spread, *expected)


def offered_regions(response) -> list[str]:
    return [code for code, _label in response.context["filter"].form.fields["wilayah"].choices if code]


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ("", ["18.02.01", "18.02.02"]),
        ("?wilayah=18.02.01", ["18.02.01", "18.02.01.2001", "18.02.01.2003"]),
        ("?wilayah=18.01", ["18.02.01", "18.02.02"]),
        ("?wilayah=18.01.01", ["18.02.01", "18.02.02"]),
    ],
)
def test_a_kabupaten_bappeda_is_offered_only_regions_of_its_own_kabupaten(
    english, bappeda_kabupaten, spread, query, offered
):
    english.force_login(bappeda_kabupaten)

    response = english.get(f"/usulan/{query}")

    assert offered_regions(response) == offered
    page = response.content.decode()
    select = page[page.index('<select name="wilayah"') : page.index("</select>", page.index('<select name="wilayah"'))]
    assert re.findall(r'<option value="([\d.]+)"', select) == offered


def test_a_region_outside_the_subtree_is_reported_on_the_region_filter(english, bappeda_kabupaten, spread):
    english.force_login(bappeda_kabupaten)

    response = english.get("/usulan/?wilayah=18.01")

    assert set(response.context["filter"].form.errors) == {"wilayah"}
    assert "Select a valid choice. 18.01 is not one of the available choices." in response.content.decode()
    assert listed_titles(response) == []


def test_a_province_bappeda_is_offered_its_kabupaten(english, bappeda_provinsi, spread):
    english.force_login(bappeda_provinsi)

    response = english.get("/usulan/")

    assert offered_regions(response) == ["18.01", "18.02"]
    assert sorted(listed_titles(response)) == titles_of(spread, "jembatan", "posyandu", "drainase", "natar")


def filter_bar(response) -> str:
    page = response.content.decode()
    start = page.index('<details class="filter-toggle"')
    return page[start : page.index("</details>", start)]


OPTION_READS = ('FROM "proposals_sector"', 'FROM "regions_agency"', 'FROM "planning_planningyear"')


def test_the_filter_bar_is_kept_for_its_reader_until_an_option_changes(
    english, bappeda_kabupaten, other_bappeda_kabupaten, spread
):
    """The bar is rendered once per scope, choice and language (proposals/filters.py, bar_key):
    the next reader reads none of its options, and a new option shows on the next page."""
    english.force_login(bappeda_kabupaten)
    first = english.get("/usulan/?status=submitted")
    with CaptureQueriesContext(connection) as captured:
        again = english.get("/usulan/?status=submitted")

    assert filter_bar(again) == filter_bar(first)
    assert "Dinas PUPR" in filter_bar(again) and 'value="18.02.01"' in filter_bar(again)
    assert '<option value="submitted" selected>' in filter_bar(again)
    assert [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in OPTION_READS)] == []
    assert sorted(listed_titles(again)) == titles_of(spread, "jembatan", "posyandu", "drainase")

    Sector.objects.create(code="9.01", name="Sektor yang baru dibuat")
    assert "Sektor yang baru dibuat" in filter_bar(english.get("/usulan/?status=submitted"))

    # Another choice, language or reader has a bar of its own: never another kabupaten's regions.
    assert '<option value="draft" selected>' in filter_bar(english.get("/usulan/?status=draft"))
    indonesian = english.get("/usulan/?status=submitted", headers={"accept-language": "id"})
    assert "Semua bidang" in filter_bar(indonesian) and "All sectors" in filter_bar(first)
    english.force_login(other_bappeda_kabupaten)
    other = filter_bar(english.get("/usulan/?status=submitted"))
    assert 'value="18.01.01"' in other and 'value="18.02.01"' not in other and "Dinas PUPR" not in other


# --- sorting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("estimated_cost", ["posyandu", "drainase", "jembatan"]),
        ("-estimated_cost", ["jembatan", "drainase", "posyandu"]),
    ],
)
def test_the_list_sorts_by_estimated_cost(english, bappeda_kabupaten, spread, sort, expected):
    english.force_login(bappeda_kabupaten)

    response = english.get(f"/usulan/?sort={sort}")

    assert listed_titles(response) == [spread[key].title for key in expected]


def test_a_title_that_looks_like_a_formula_is_exported_as_text(client, bappeda_kabupaten, village):
    from .factories import ProposalFactory

    ProposalFactory(village=village, submitted=True, title='=HYPERLINK("http://x","klik")')
    client.force_login(bappeda_kabupaten)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/usulan/?_export=xlsx").content))
    titles = [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert titles == ['\'=HYPERLINK("http://x","klik")']
    csv_text = client.get("/usulan/?_export=csv").content.decode()
    assert "'=HYPERLINK" in csv_text


def test_the_written_out_rows_say_what_the_generic_table_says(rf, bappeda_kabupaten, ladder, intake, pupr):
    """proposals/_table.html writes the rows out for speed; cell for cell they must match what
    django-tables2's own row loop renders from the columns in proposals/tables.py."""
    from django_tables2 import RequestConfig

    from proposals.tables import ProposalTable

    for n, village in enumerate([ladder["18.02.01.2003"], ladder["18.02.02.2001"]]):
        ProposalFactory(village=village, title=f"Usulan <b>{n}</b>", estimated_cost=1_250_000 * (n + 1))
        ProposalFactory(
            village=village,
            target_agency=pupr,
            tracking_code=f"AB{n + 2}D-EF{n + 2}H",
            agreed_cost=2_000_000 if n else None,
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
    request = rf.get("/usulan/")
    request.user = bappeda_kabupaten

    def cells(template_name):
        table = ProposalTable(Proposal.objects.for_list(), template_name=template_name)
        RequestConfig(request).configure(table)
        html = table.as_html(request)
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html.split("<tbody", 1)[1], re.S)
        return [[c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]

    generic, written = cells("includes/table.html"), cells("proposals/_table.html")
    assert len(written) == 4 and all(len(row) == 10 for row in written)
    assert sorted(row[7] for row in written) == ["Rp2.000.000", "—", "—", "—"]
    assert written == generic

    # The header: each column's classes, the query its sorting link asks for, and its name.
    sorted_request = rf.get("/usulan/", {"status": "submitted", "sort": "-estimated_cost", "wilayah": "18.02 & co"})
    sorted_request.user = bappeda_kabupaten

    def headers(template_name):
        table = ProposalTable(Proposal.objects.for_list(), template_name=template_name)
        RequestConfig(sorted_request).configure(table)
        thead = table.as_html(sorted_request).split("<thead", 1)[1].split("</thead>", 1)[0]
        found = re.findall(r'<th\s*(?:class="([^"]*)")?\s*>\s*(?:<a href="\?([^"]*)">)?\s*([^<]*)', thead)
        return [(classes, parse_qs(html.unescape(query)), name.strip()) for classes, query, name in found]

    generic, written = headers("includes/table.html"), headers("proposals/_table.html")
    assert len(written) == 10
    assert written[6] == (
        "desc num orderable",
        {"status": ["submitted"], "sort": ["estimated_cost"], "wilayah": ["18.02 & co"]},
        "Perkiraan biaya",
    )
    assert written == generic
