"""Bad ?page=, ?per_page= and ?sort= on every list: clamped or answered with a message, never a
500 or a whole-table query (proposals/paging.py reads them for every list).

The proposal list (/usulan/) counts its rows for a kabupaten Bappeda and pages forward without a
count (LazyPaginator) for a province Bappeda; the forum board (/musyawarah/) counts. Pages are
read in English; a test compares the rows a page shows with the rows it should show.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards import summaries
from forums.models import Forum
from proposals import paging
from proposals.models import Proposal
from regions.models import Level, Region

from .factories import ProposalFactory
from .test_lists import listed_titles, operator_of

ROWS = 105  # more than the largest page (100), five pages of the default 25
TITLES = [f"Usulan uji {n:03d}" for n in range(ROWS)]
NEWEST_FIRST = TITLES[::-1]  # the list's default order: the latest entered first
PAST_THE_END = ["page=999999", "page=99999999999999999999999"]


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def proposals(ladder, intake):
    """ROWS submitted proposals of Lampung Tengah, each entered a minute after the one before,
    with costs in the opposite order to their titles."""
    villages = [ladder[code] for code in ("18.02.01.2003", "18.02.01.2001", "18.02.02.2001")]
    built = Proposal.objects.bulk_create(
        [
            ProposalFactory.build(
                village=villages[n % 3],
                created_by=operator_of(villages[n % 3]),
                submitted=True,
                title=title,
                estimated_cost=10_000_000 - n * 1_000,
            )
            for n, title in enumerate(TITLES)
        ]
    )
    start = timezone.now() - datetime.timedelta(days=1)
    for n, proposal in enumerate(built):
        proposal.created_at = start + datetime.timedelta(minutes=n)
    Proposal.objects.bulk_update(built, ["created_at"])  # auto_now_add would have stamped them alike
    return built


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the reader itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "per_page", "page"),
    [
        ("", 25, 1),
        ("per_page=50&page=3", 50, 3),
        ("per_page=100", 100, 1),
        ("per_page=-1&page=-3", 25, 1),
        ("per_page=0&page=0", 25, 1),
        ("per_page=abc&page=abc", 25, 1),
        ("per_page=100000&page=1e9", 100, 1),
        ("per_page=%00&page=%00", 25, 1),
        ("per_page=+7&page=1_000", 25, 1),
        ("per_page=%D9%A3&page=%D9%A3", 25, 1),  # an Arabic-Indic three: a digit, not an ASCII one
        ("per_page=" + "9" * 5000 + "&page=" + "9" * 5000, 100, paging.MAX_PAGE),
    ],
)
def test_the_reader_clamps_per_page_and_page(query, per_page, page):
    request = RequestFactory().get("/usulan/?" + query)

    assert paging.per_page(request) == per_page
    assert paging.page_number(request) == page


# --- the proposal list ------------------------------------------------------------------------

DEFAULT_FIRST_PAGE = [
    "per_page=-1",
    "per_page=0",
    "per_page=abc",
    "per_page=%00",
    "page=0",
    "page=-3",
    "page=abc",
    "page=1e9",
    "page=%00",
    "sort=nonexistent",
    "sort=-password",
    "sort=%00",
    "sort=",
    "sort=problem",  # a column only the export has: no index, no sort link
    "sort=village__name",  # a lookup, not a column
    "sort=-created_at%3BDROP+TABLE+proposals_proposal",
]


@pytest.mark.parametrize("persona", ["bappeda_kabupaten", "bappeda_provinsi"])
@pytest.mark.parametrize("query", DEFAULT_FIRST_PAGE)
def test_a_bad_value_shows_the_first_page_in_the_default_order(english, request, proposals, persona, query):
    english.force_login(request.getfixturevalue(persona))

    response = english.get(f"/usulan/?{query}")

    assert response.status_code == 200
    assert listed_titles(response) == NEWEST_FIRST[:25]
    assert listed_titles(response) == listed_titles(english.get("/usulan/"))
    table = response.context["table"]
    assert (table.page.number, tuple(table.order_by)) == (1, ("-created_at",))


@pytest.mark.parametrize("persona", ["bappeda_kabupaten", "bappeda_provinsi"])
def test_per_page_is_clamped_to_100(english, request, proposals, persona):
    english.force_login(request.getfixturevalue(persona))

    response = english.get("/usulan/?per_page=100000")

    assert response.status_code == 200
    assert listed_titles(response) == NEWEST_FIRST[:100]
    assert 'href="?per_page=100000&amp;page=2" rel="next"' in response.content.decode()


@pytest.mark.parametrize("persona", ["bappeda_kabupaten", "bappeda_provinsi"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("per_page=50", NEWEST_FIRST[:50]),
        ("per_page=50&page=2", NEWEST_FIRST[50:100]),
        ("per_page=50&page=3", NEWEST_FIRST[100:]),
        ("per_page=100", NEWEST_FIRST[:100]),
        ("page=5", NEWEST_FIRST[100:]),
        ("sort=-estimated_cost", TITLES[:25]),
        ("sort=estimated_cost&page=2", NEWEST_FIRST[25:50]),
    ],
)
def test_a_valid_value_still_works(english, request, proposals, persona, query, expected):
    english.force_login(request.getfixturevalue(persona))

    response = english.get(f"/usulan/?{query}")

    assert response.status_code == 200
    assert listed_titles(response) == expected
    assert messages_of(response) == []


def test_a_kabupaten_sorts_by_any_column_a_province_only_by_what_an_index_serves(
    english, bappeda_kabupaten, bappeda_provinsi, proposals
):
    english.force_login(bappeda_kabupaten)
    kabupaten = english.get("/usulan/?sort=title")
    kabupaten_header = english.get("/usulan/").content.decode().split("</thead>")[0]
    english.force_login(bappeda_provinsi)
    province = english.get("/usulan/?sort=title")
    by_cost = english.get("/usulan/?sort=-estimated_cost")

    assert listed_titles(kabupaten) == TITLES[:25]
    assert listed_titles(province) == NEWEST_FIRST[:25]  # the title order is not offered there
    assert listed_titles(by_cost) == TITLES[:25]
    assert 'href="?sort=title"' in kabupaten_header and 'href="?sort=village"' in kabupaten_header
    header = english.get("/usulan/").content.decode().split("</thead>")[0]
    assert 'href="?sort=title"' not in header and 'href="?sort=village"' not in header
    assert 'href="?sort=estimated_cost"' in header and 'href="?sort=tracking_code"' in header


@pytest.mark.parametrize("query", ["sort=-password", "sort=problem", "sort=%00"])
def test_no_unknown_sort_key_reaches_order_by(english, bappeda_kabupaten, proposals, query):
    english.force_login(bappeda_kabupaten)

    with CaptureQueriesContext(connection) as captured:
        english.get(f"/usulan/?{query}")

    listed = [q["sql"] for q in captured.captured_queries if 'FROM "proposals_proposal"' in q["sql"]]
    orders = [sql.split("ORDER BY", 1)[1] for sql in listed if "ORDER BY" in sql]
    assert orders and all(order.strip().startswith('"proposals_proposal"."created_at" DESC') for order in orders)
    assert not any("password" in order or "problem" in order for order in orders)


@pytest.mark.parametrize("query", PAST_THE_END)
def test_a_counted_list_shows_its_last_page_for_a_page_past_the_end(english, bappeda_kabupaten, proposals, query):
    english.force_login(bappeda_kabupaten)

    response = english.get(f"/usulan/?{query}")

    assert response.status_code == 200
    assert response.context["table"].page.number == 5
    assert listed_titles(response) == NEWEST_FIRST[100:]


@pytest.mark.parametrize(
    ("query", "first_page"),
    [
        ("page=400", "/usulan/"),
        ("page=6", "/usulan/"),
        ("per_page=5&page=22", "/usulan/?per_page=5"),
        ("status=submitted&page=30&sort=-estimated_cost", "/usulan/?status=submitted&sort=-estimated_cost"),
    ],
)
def test_an_uncounted_list_sends_a_page_past_the_end_to_the_first_page(
    english, bappeda_provinsi, proposals, query, first_page
):
    # The LazyPaginator never counts, so it cannot know the last page: page 1, with a message.
    english.force_login(bappeda_provinsi)

    response = english.get(f"/usulan/?{query}")

    assert response.status_code == 302
    assert response["Location"] == first_page
    landed = english.get(first_page)
    assert landed.status_code == 200
    assert "That page is past the end of the list; here is its first page." in landed.content.decode()
    size = 5 if "per_page=5" in query else 25
    expected = TITLES[:25] if "sort=-estimated_cost" in query else NEWEST_FIRST[:size]
    assert listed_titles(landed) == expected


@pytest.mark.parametrize("page", ["401", "999999", "99999999999999999999999"])
def test_an_uncounted_list_goes_no_deeper_than_its_400th_page(english, bappeda_provinsi, ladder, page):
    # Its OFFSET reads every row before the page: the country's 40,000th page took 6-9 s.
    village = ladder["18.02.01.2001"]
    Proposal.objects.bulk_create(
        [
            ProposalFactory.build(village=village, created_by=operator_of(village), submitted=True, title=f"Dalam {n}")
            for n in range(402)
        ]
    )
    english.force_login(bappeda_provinsi)

    response = english.get(f"/usulan/?per_page=1&page={page}")

    assert response.status_code == 302
    assert response["Location"] == "/usulan/?per_page=1&page=400"
    deepest = english.get(response["Location"]).content.decode()
    assert "The list goes no further here. Choose a region or search for words to narrow it." in deepest
    assert "Page 400" in deepest and 'rel="prev"' in deepest and 'rel="next"' not in deepest
    # The 400th of the 402, newest first (entered in the order of their numbers): that page, not the first.
    assert re.findall(r'<a href="/usulan/\d+/">([^<]*)</a>', deepest) == ["Dalam 2"]


def test_the_last_page_of_an_uncounted_list_is_still_shown(english, bappeda_provinsi, proposals):
    english.force_login(bappeda_provinsi)

    response = english.get("/usulan/?page=5")

    assert response.status_code == 200
    assert listed_titles(response) == NEWEST_FIRST[100:]
    assert 'rel="next"' not in response.content.decode()


@pytest.mark.parametrize("persona", ["bappeda_kabupaten", "bappeda_provinsi"])
@pytest.mark.parametrize("query", ["per_page=-1", "per_page=0", "page=999999", "page=-3", "sort=-password", "sort=%00"])
def test_an_export_ignores_paging_and_holds_every_row(english, request, proposals, persona, query):
    english.force_login(request.getfixturevalue(persona))

    response = english.get(f"/usulan/?_export=csv&{query}")

    assert response.status_code == 200
    rows = response.content.decode().splitlines()[1:]
    assert [row.split(",")[1] for row in rows] == NEWEST_FIRST


@pytest.mark.parametrize("query", ["sort=%00", "sort=-password", "per_page=-1&page=999999"])
def test_the_sipd_export_answers_bad_values_in_the_default_order(english, bappeda_kabupaten, proposals, query):
    english.force_login(bappeda_kabupaten)

    response = english.get(f"/usulan/?_export=sipd-csv&{query}")
    default = english.get("/usulan/?_export=sipd-csv")

    assert response.status_code == 200
    assert response.content == default.content
    assert all(title in default.content.decode() for title in TITLES)


def test_a_nul_in_the_region_filter_is_an_invalid_choice(english, bappeda_kabupaten, proposals):
    english.force_login(bappeda_kabupaten)

    response = english.get("/usulan/?wilayah=%00")

    assert response.status_code == 200
    assert set(response.context["filter"].form.errors) == {"wilayah"}
    assert listed_titles(response) == []


# --- the forum board --------------------------------------------------------------------------


@pytest.fixture
def forums(ladder, intake):
    """60 village forums of Kecamatan Kalirejo: 50 on the first page, 10 on the second."""
    kecamatan = ladder["18.02.01"]
    villages = Region.objects.bulk_create(
        [
            Region(code=f"18.02.01.2{n:03d}", name=f"Desa Uji {n}", level=Level.DESA, kind="desa", parent=kecamatan)
            for n in range(100, 160)
        ]
    )
    forums = [Forum(planning_year=intake.planning_year, level=Level.DESA, region=village) for village in villages]
    for forum in forums:
        forum.copy_region_code()  # bulk_create() does not call save()
    return Forum.objects.bulk_create(forums)


def listed_forums(response) -> list[int]:
    page = response.content.decode()
    return [int(pk) for pk in re.findall(r'<a href="/musyawarah/(\d+)/">', page[page.index("<main") :])]


@pytest.mark.parametrize(
    ("query", "page", "shown"),
    [
        *[(query, 1, slice(0, 50)) for query in ["page=0", "page=-3", "page=abc", "page=1e9", "page=%00"]],
        *[(query, 2, slice(50, 60)) for query in PAST_THE_END],
        *[
            (query, 1, slice(0, 50))
            for query in ["per_page=-1", "per_page=0", "per_page=abc", "per_page=100000", "sort=-password", "sort=%00"]
        ],
        ("page=2", 2, slice(50, 60)),  # valid
        ("", 1, slice(0, 50)),
    ],
)
def test_the_forum_board_clamps_the_page(english, bappeda_kabupaten, forums, query, page, shown):
    english.force_login(bappeda_kabupaten)

    response = english.get(f"/musyawarah/?{query}")

    assert response.status_code == 200
    assert response.context["page"].number == page
    assert listed_forums(response) == [forum.pk for forum in forums[shown]]
    assert f"Page {page} of 2" in response.content.decode()


# --- without logging in -----------------------------------------------------------------------

BAD = [
    "per_page=-1",
    "per_page=0",
    "per_page=abc",
    "per_page=100000",
    "page=0",
    "page=-3",
    "page=abc",
    "page=999999",
    "page=1e9",
    "sort=nonexistent",
    "sort=-password",
    "sort=%00",
]


@pytest.mark.parametrize("query", BAD)
@pytest.mark.parametrize("path", ["/usulan/", "/musyawarah/", "/dasbor/"])
def test_an_anonymous_visitor_is_asked_to_log_in_whatever_the_values(english, proposals, path, query):
    response = english.get(f"{path}?{query}")

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=")


@pytest.mark.parametrize("query", BAD)
@pytest.mark.parametrize("path", ["/hasil/", "/statistik/", "/statistik/18/"])
def test_the_public_pages_ignore_paging_values(english, proposals, path, query):
    # They list no rows a page at a time: the values change nothing, and nothing fails.
    summaries.refresh()  # the country's and a province's statistics read the summaries
    response = english.get(f"{path}?{query}")
    plain = english.get(path)

    assert response.status_code == plain.status_code == 200
    if path == "/hasil/":
        assert response.context["year"] == plain.context["year"]
        assert response.context["provinces"] == plain.context["provinces"]
    else:
        assert response.context["board"].by_status == plain.context["board"].by_status
        assert response.context["place"] == plain.context["place"]


@pytest.mark.parametrize(
    ("persona", "path", "status"),
    [
        ("bappeda_kabupaten", "/dasbor/?wilayah=%00", 404),  # no such region
        (None, "/statistik/%00/", 400),  # a NUL in the path: refused before any view (RejectNulMiddleware)
        (None, "/v/%00/", 400),
    ],
)
def test_a_nul_in_a_dashboard_region_or_a_code_is_never_a_server_error(
    english, request, proposals, persona, path, status
):
    if persona:
        english.force_login(request.getfixturevalue(persona))

    response = english.get(path)
    assert response.status_code == status
    assert ("Bad request" if status == 400 else "Page not found") in response.content.decode()
