"""The country's and a province's dashboards read precomputed summaries (dashboards/summaries.py).

After a refresh their figures are the ones the live queries compute over the same rows, for
every reader; before the next one, a page keeps showing the last refresh's and says when that
was. A page at these levels never reads the proposals table, and a refresh replaces the figures
whole or not at all.
"""

from __future__ import annotations

import datetime
import io
import re
import threading
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation
from django_tasks_db.models import DBTaskResult

from dashboards import queries, summaries
from dashboards.models import CeilingFigure, LevelFigure, RegionFigure, SectorFigure, Stamp
from dashboards.tasks import refresh_summaries
from forums.models import Ceiling, Decision, Forum, ForumKind, ForumStatus, Outcome
from planning.models import PlanningYear
from proposals.models import Proposal, Status
from regions.models import Level

from .test_dashboards import (
    KALIREJO,
    LAWANG_AGUNG,
    MERAK_BATIN,
    PURWODADI,
    SRI_WAY,
    expected_all,
    expected_totals,
    rendered_all,
    spread,
    table_rows,
    totals,
)

VILLAGES = [KALIREJO, SRI_WAY, PURWODADI, MERAK_BATIN, LAWANG_AGUNG]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def public():
    return Proposal.objects.exclude(status=Status.DRAFT)


def with_ceilings(ladder, proposals: list[Proposal]) -> None:
    """A ceiling and a Musrenbang for three kecamatan of two kabupaten, holding their submitted
    items: every second agreed, some at a lower agreed cost, some without incoming figures (the
    village's estimate counts), and one kecamatan's forum of another year, which must not count.
    Two of the forums are approved; Bangun Rejo's is still in session, and its agreed items must
    not count yet either."""
    year = proposals[0].planning_year
    other_year, _ = PlanningYear.objects.get_or_create(year=year.year + 5)
    for code, amount in (("18.02.01", 900_000_000), ("18.02.02", 400_000_000), ("18.01.01", 250_000_000)):
        Ceiling.objects.create(planning_year=year, region=ladder[code], amount=amount)
        in_session = code == "18.02.02"
        forum = Forum.objects.create(
            planning_year=year,
            kind=ForumKind.MUSRENBANG,
            level=Level.KECAMATAN,
            region=ladder[code],
            status=ForumStatus.IN_SESSION if in_session else ForumStatus.APPROVED,
            approved_at=None if in_session else timezone.now(),
        )
        items = [p for p in proposals if p.kecamatan_id == ladder[code].pk and p.status != Status.DRAFT]
        Decision.objects.bulk_create(
            Decision(
                forum=forum,
                proposal=p,
                rank=i + 1,
                incoming_cost=p.estimated_cost if i % 4 else None,
                adjusted_cost=p.estimated_cost // 2 if i % 3 == 1 else None,
                outcome=[Outcome.ACCEPTED, Outcome.REJECTED, Outcome.ACCEPTED_CHANGED, ""][i % 4],
            )
            for i, p in enumerate(items)
        )
    stray = Forum.objects.create(
        planning_year=other_year,
        kind=ForumKind.MUSRENBANG,
        level=Level.KECAMATAN,
        region=ladder["18.02.01"],
        status=ForumStatus.APPROVED,
        approved_at=timezone.now(),
    )
    Decision.objects.create(forum=stray, proposal=proposals[1], rank=1, outcome=Outcome.ACCEPTED)


@pytest.fixture
def made(ladder):
    """Proposals in every status over five villages of three kabupaten in two provinces, the
    kecamatan's ceilings and decisions; nothing summarised yet."""
    proposals = spread(ladder, 40, VILLAGES)
    with_ceilings(ladder, proposals)
    return proposals


def figures(board: queries.Dashboard) -> dict:
    def rows(found):
        return [(r.key, r.label, r.count, r.total) for r in found]

    return {
        "totals": (board.count, board.total),
        "status": rows(board.by_status),
        "sector": rows(board.by_sector),
        "level": rows(board.by_level),
        "region": rows(board.by_region),
        "ceilings": [
            (r.region.code, r.region.display_name, r.ceiling, r.used, r.kecamatan_count) for r in board.ceilings
        ],
        "child_level": board.child_level,
    }


def as_of_line(at: datetime.datetime, language: str) -> str:
    local = timezone.localtime(at)
    with translation.override(language):
        date, time = formats.date_format(local, "DATE_FORMAT"), formats.time_format(local, "TIME_FORMAT")
        return translation.gettext("Figures as of %(date)s at %(time)s.") % {"date": date, "time": time}


# --- the figures -------------------------------------------------------------------------------


def test_the_national_page_shows_after_a_refresh_what_the_live_queries_count(english, ladder, made):
    summaries.refresh()

    response = english.get("/statistik/")
    page = response.content.decode()

    assert Proposal.objects.filter(status=Status.DRAFT).exists()
    assert rendered_all(page) == expected_all(public())
    assert totals(page) == expected_totals(public())
    assert table_rows(page, "by-region") == {
        "Bengkulu": expected_totals(public().filter(provinsi=ladder["17"])),
        "Lampung": expected_totals(public().filter(provinsi=ladder["18"])),
    }
    assert [(r.region.code, r.ceiling) for r in response.context["board"].ceilings] == [("18", 1_550_000_000)]


def test_a_province_page_lists_its_kabupaten_from_the_summaries(english, ladder, made):
    summaries.refresh()

    page = english.get("/statistik/18/").content.decode()

    lampung = public().filter(provinsi=ladder["18"])
    assert rendered_all(page) == expected_all(lampung)
    assert table_rows(page, "by-region") == {
        "Kabupaten Lampung Selatan": expected_totals(lampung.filter(kabupaten=ladder["18.01"])),
        "Kabupaten Lampung Tengah": expected_totals(lampung.filter(kabupaten=ladder["18.02"])),
    }


@pytest.mark.parametrize(
    ("reader", "code"),
    [
        ("public", None),
        ("public", "18"),
        ("public", "17"),
        ("admin_user", None),
        ("admin_user", "18"),
        ("bappeda_provinsi", "18"),
    ],
)
def test_every_summarised_board_equals_the_live_one_for_its_reader(request, ladder, made, reader, code):
    if reader == "public":
        base, statuses = public(), summaries.SUBMITTED
    else:
        user = request.getfixturevalue(reader)
        base, statuses = Proposal.objects.visible_to(user), summaries.statuses_for(user)
    region = ladder[code] if code else None
    year = made[0].planning_year
    summaries.refresh()

    summarised = figures(summaries.dashboard(year, region, statuses))
    live = figures(queries.dashboard(base, year, region))

    assert summarised == live
    assert summarised["totals"][0] > 0 or code == "17"
    assert summarised["ceilings"] or code == "17"


def test_the_administrator_counts_drafts_and_a_provincial_bappeda_does_not(ladder, made, admin_user, bappeda_provinsi):
    summaries.refresh()
    year = made[0].planning_year

    everything = summaries.dashboard(year, None, summaries.statuses_for(admin_user))
    province = summaries.dashboard(year, ladder["18"], summaries.statuses_for(bappeda_provinsi))

    assert everything.count == Proposal.objects.count()
    assert province.count == public().filter(provinsi=ladder["18"]).count()
    assert Status.DRAFT in {row.key for row in everything.by_status}
    assert Status.DRAFT not in {row.key for row in province.by_status}


@pytest.mark.parametrize("persona", ["agency_officer", "bappeda_kabupaten", "kecamatan_operator"])
def test_officers_below_the_province_and_agency_officers_are_counted_live(persona, request):
    assert summaries.statuses_for(request.getfixturevalue(persona)) is None


# --- reading the summary, not the proposals --------------------------------------------------


def test_a_change_after_the_refresh_shows_only_after_the_next_one(client, ladder, made):
    refreshed = summaries.refresh()
    first = client.get("/statistik/").content.decode()

    spread(ladder, 7, [KALIREJO, LAWANG_AGUNG])
    Proposal.objects.filter(status=Status.SUBMITTED).update(status=Status.ACCOMMODATED)
    unchanged = client.get("/statistik/").content.decode()
    again = summaries.refresh()
    changed = client.get("/statistik/").content.decode()

    assert totals(unchanged) == totals(first) != totals(changed)
    assert rendered_all(unchanged) == rendered_all(first)
    assert totals(changed) == expected_totals(public())
    assert as_of_line(refreshed, "id") in unchanged
    assert as_of_line(again, "id") in changed
    assert as_of_line(again, "id").startswith("Data per ")


def test_a_summarised_pages_figures_are_rendered_once_a_refresh(english, ladder, made, admin_user):
    """The figures of a summarised page are the same for all its readers until the next refresh:
    the first reader's are kept (dashboards/views.py, FIGURES), and the next reads no figure rows."""
    summaries.refresh()
    figure_reads = (
        'FROM "dashboards_levelfigure"',
        'FROM "dashboards_sectorfigure"',
        'FROM "dashboards_ceilingfigure"',
    )

    def read(client, url):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return page.split("<main", 1)[1], [q["sql"] for q in captured if q["sql"].startswith(("SELECT", "WITH"))]

    first, first_reads = read(english, "/statistik/")
    again, again_reads = read(english, "/statistik/")
    assert [r for r in first_reads if r.find(figure_reads[0]) >= 0]
    assert not [r for r in again_reads if any(table in r for table in figure_reads)]
    assert again == first and totals(again) == expected_totals(public())

    # Another page, language or reader renders its own; a province's page is not the country's.
    province, _ = read(english, "/statistik/18/?tahun=" + str(made[0].planning_year.year))
    assert "By regency/city" in province and "By province" in first
    english.force_login(admin_user)
    staff, _ = read(english, "/dasbor/")
    assert totals(staff) == expected_totals(Proposal.objects.all()) != totals(first)


def test_a_live_page_says_nothing_of_summaries(english, ladder, made, bappeda_kabupaten):
    summaries.refresh()
    english.force_login(bappeda_kabupaten)

    staff = english.get("/dasbor/").content.decode()
    kabupaten = english.get("/statistik/18.02/").content.decode()

    assert 'id="by-status"' in staff and 'id="by-status"' in kabupaten
    assert 'id="as-of"' not in staff and 'id="as-of"' not in kabupaten


@pytest.mark.parametrize(
    ("persona", "url"),
    [(None, "/statistik/"), (None, "/statistik/18/"), ("admin_user", "/dasbor/"), ("bappeda_provinsi", "/dasbor/")],
)
def test_a_summarised_page_never_reads_the_proposals_and_costs_the_same_for_more_of_them(
    english, request, ladder, persona, url
):
    if persona:
        english.force_login(request.getfixturevalue(persona))
    with_ceilings(ladder, spread(ladder, 5, VILLAGES))
    english.get(url)  # the session warms up the same way for both counts
    summaries.refresh()  # each count is then the first reader's of its refresh (none kept yet)

    with CaptureQueriesContext(connection) as few:
        few_page = english.get(url).content.decode()
    spread(ladder, 60, VILLAGES)
    summaries.refresh()
    with CaptureQueriesContext(connection) as many:
        many_page = english.get(url).content.decode()

    assert totals(few_page) != totals(many_page)
    assert len(few.captured_queries) == len(many.captured_queries) <= 14
    table = Proposal._meta.db_table
    assert [q["sql"] for q in many.captured_queries if table in q["sql"]] == []


# --- when the summaries are missing or old ---------------------------------------------------


def test_a_fresh_install_says_the_summaries_are_being_prepared_and_builds_them(client, ladder, made):
    preparing = client.get("/statistik/")
    # The test backend ran the job the page asked for at once; a worker would, moments later.
    ready = client.get("/statistik/")

    assert "Ringkasan sedang disiapkan." in preparing.content.decode()
    assert preparing.context["board"] is None and preparing.context["years"] == []
    assert totals(ready.content.decode()) == expected_totals(public())
    assert "Ringkasan sedang disiapkan." not in ready.content.decode()


def test_pages_ask_the_worker_for_one_refresh_however_many_look(client, ladder, made, settings):
    settings.TASKS = DATABASE_QUEUE
    queued = DBTaskResult.objects.filter(task_path="dashboards.tasks.refresh_summaries")

    pages = [client.get(url).content.decode() for url in ("/statistik/", "/statistik/18/", "/statistik/")]

    assert ["Ringkasan sedang disiapkan." in page for page in pages] == [True, True, True]
    assert queued.count() == 1
    # A job that never ran (a worker that was down) is asked for again once MAX_AGE has passed.
    Stamp.objects.filter(name=Stamp.Name.REQUESTED).update(at=timezone.now() - summaries.MAX_AGE)
    client.get("/statistik/")
    client.get("/statistik/")
    assert queued.count() == 2


def test_an_old_summary_is_shown_with_its_date_and_the_page_asks_for_a_fresh_one(client, ladder, made):
    summaries.refresh()
    Stamp.objects.filter(name=Stamp.Name.REFRESHED).update(at=datetime.datetime(2016, 8, 9, 10, 15, tzinfo=JAKARTA))
    spread(ladder, 3, [KALIREJO])

    old = client.get("/statistik/").content.decode()
    fresh = client.get("/statistik/").content.decode()

    assert "Data per Selasa, 9 Agustus 2016 pukul 10.15." in old
    assert totals(old) != expected_totals(public())
    # The test backend ran the refresh the old page asked for at once.
    assert totals(fresh) == expected_totals(public())
    refreshed = Stamp.objects.get(name=Stamp.Name.REFRESHED).at
    assert timezone.now() - refreshed < datetime.timedelta(minutes=1)
    assert as_of_line(refreshed, "id") in fresh


def test_the_page_speaks_english_on_request(english, ladder, made):
    refreshed = summaries.refresh()

    page = english.get("/statistik/").content.decode()

    assert as_of_line(refreshed, "en") in page
    assert re.search(r"Figures as of [A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d\.", page)


def test_a_queued_refresh_that_a_later_one_answered_does_nothing(ladder, made):
    asked = timezone.now()
    done = summaries.refresh()
    spread(ladder, 4, [PURWODADI])

    result = refresh_summaries.call(asked_at=asked.isoformat())

    assert result == done.isoformat()
    assert Stamp.objects.get(name=Stamp.Name.REFRESHED).at == done
    assert RegionFigure.objects.filter(status=Status.SUBMITTED).count() > 0
    assert sum(RegionFigure.objects.values_list("count", flat=True)) == Proposal.objects.count() - 4


# --- replacing the figures whole -------------------------------------------------------------


def summary_rows() -> list:
    return [
        sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields if f.name != "id"]))
        for model in (RegionFigure, SectorFigure, LevelFigure, CeilingFigure)
    ]


def test_a_refresh_replaces_every_row_and_a_second_counts_nothing_twice(ladder, made):
    summaries.refresh()
    first = summary_rows()
    summaries.refresh()

    assert summary_rows() == first
    assert sum(RegionFigure.objects.values_list("count", flat=True)) == Proposal.objects.count()
    assert sum(SectorFigure.objects.values_list("count", flat=True)) == Proposal.objects.count()
    assert sum(LevelFigure.objects.values_list("count", flat=True)) == Proposal.objects.count()


def test_a_refresh_that_fails_leaves_the_previous_figures_and_their_date(ladder, made):
    before_at = summaries.refresh()
    before = summary_rows()
    spread(ladder, 9, VILLAGES)

    def fail_on_level_figures(execute, sql, params, many, context):
        # The database failing half-way, after the old rows are deleted and some new ones written.
        if sql.startswith(f"INSERT INTO {LevelFigure._meta.db_table}"):
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_on_level_figures), pytest.raises(DatabaseError, match="disk full"):
        summaries.refresh()

    assert summary_rows() == before
    assert Stamp.objects.get(name=Stamp.Name.REFRESHED).at == before_at
    summaries.refresh()  # and the next one works
    assert summary_rows() != before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_reads_one_refresh_whole_while_another_commits(ladder):
    if connection.vendor != "postgresql":
        pytest.skip("one snapshot per page is PostgreSQL's REPEATABLE READ")
    year = spread(ladder, 12, VILLAGES)[0].planning_year
    summaries.refresh()

    def add_and_refresh():
        try:
            spread(ladder, 8, VILLAGES, year=year)
            summaries.refresh()
        finally:
            connection.close()

    with summaries.one_snapshot():
        before = figures(summaries.dashboard(year, None, summaries.SUBMITTED))
        elsewhere = threading.Thread(target=add_and_refresh)
        elsewhere.start()
        elsewhere.join()
        during = figures(summaries.dashboard(year, None, summaries.SUBMITTED))
    after = figures(summaries.dashboard(year, None, summaries.SUBMITTED))

    assert during == before
    assert after["totals"] == (public().count(), sum(public().values_list("estimated_cost", flat=True)))
    assert after != before


# --- the command and the demo ----------------------------------------------------------------


def test_the_command_refreshes_and_says_how_long_it_took(ladder, made):
    out = io.StringIO()

    call_command("refresh_summaries", stdout=out)

    refreshed = timezone.localtime(Stamp.objects.get(name=Stamp.Name.REFRESHED).at)
    assert re.fullmatch(
        rf"Summaries refreshed in \d+\.\d s \(figures as of {refreshed:%Y-%m-%d %H:%M:%S}\)\.\n", out.getvalue()
    )
    assert sum(RegionFigure.objects.values_list("count", flat=True)) == Proposal.objects.count()


def test_the_demo_leaves_the_summaries_built(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=io.StringIO())
    # Whatever a page would ask for now is not needed: the figures are fresh.
    settings.TASKS = DATABASE_QUEUE

    page = client.get("/statistik/").content.decode()

    # The page shows the season under way; last season's items (demo/last_season.py) are another year.
    season = PlanningYear.objects.order_by("-year").first()
    assert totals(page) == expected_totals(public().filter(planning_year=season))
    assert 'id="as-of"' in page
    assert not DBTaskResult.objects.exists()


def test_a_live_pages_figures_are_rendered_once_for_the_same_counts(english, ladder, made, bappeda_kabupaten):
    """A kabupaten's page counts live on every request; figures equal to those already rendered
    are not rendered again (dashboards/views.py, _shown_key), and a change shows at once."""
    english.force_login(bappeda_kabupaten)
    kabupaten = Proposal.objects.visible_to(bappeda_kabupaten)
    rendered = []

    def read(url="/dasbor/"):
        with CaptureQueriesContext(connection) as captured:
            response = english.get(url)
        rendered.append("dashboards/_dashboard.html" in [t.name for t in response.templates])
        assert any('FROM "proposals_proposal"' in q["sql"] for q in captured.captured_queries)
        return response.content.decode().split("<main", 1)[1]

    first, again = read(), read()
    assert again == first and rendered == [True, False]
    assert totals(again) == expected_totals(kabupaten)

    moved = kabupaten.exclude(status=Status.DRAFT).first()
    Proposal.objects.filter(pk=moved.pk).update(estimated_cost=moved.estimated_cost + 1_000_000)
    changed = read()
    assert rendered[-1] and totals(changed) == expected_totals(kabupaten) != totals(first)

    # Another place or language is its own page, and a region's link stays its own.
    kalirejo = read("/dasbor/?wilayah=18.02.01")
    assert rendered[-1] and "/dasbor/?wilayah=18.02.01.2001" in kalirejo and totals(kalirejo) != totals(changed)
    indonesian = english.get("/dasbor/", headers={"accept-language": "id"}).content.decode()
    assert "Perkiraan biaya" in indonesian and "Estimated cost" not in indonesian and "Estimated cost" in changed
