"""The season Bappeda plans ahead (forums/workflow/season.py) and the board that follows it
(forums/season.py, /musyawarah/musim/): every forum created before any item reaches it, dated
inside its stage's window, given a monitoring team; the board by level and as a calendar, its
XLSX; who may see and change what."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from forums import workflow as forums_workflow
from forums.models import Ceiling, Decision, Forum, ForumKind, ForumStatus, MonitoringTeam, Outcome
from forums.season import SeasonStatus, board
from forums.workflow.ladder import IntakeSide, forum_for
from musrenbang.errors import WorkflowError
from planning.models import PlanningYear, StageWindow
from regions.models import Level, Region

from .factories import ProposalFactory


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def long(date: datetime.date, language: str = "id") -> str:
    with translation.override(language):
        return formats.date_format(date, "j F Y")


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def year(db):
    return PlanningYear.objects.get_or_create(year=timezone.localdate().year + 1)[0]


@pytest.fixture
def window(ladder, year):
    """Lampung Tengah's kecamatan stage: from 10 days ago to 20 days ahead."""
    return StageWindow.objects.create(
        planning_year=year, level=Level.KECAMATAN, region=ladder["18.02"], opens_on=day(-10), closes_on=day(20)
    )


@pytest.fixture
def season(bappeda_kabupaten, ladder, year, pupr, dinkes):
    """Lampung Tengah's season as plan_season creates it: its own forum, two agencies', two kecamatan's."""
    forums_workflow.plan_season(actor=bappeda_kabupaten, planning_year=year, region=ladder["18.02"])
    return {
        "kabupaten": Forum.objects.get(level=Level.KABUPATEN, kind=ForumKind.MUSRENBANG, region=ladder["18.02"]),
        "pupr": Forum.objects.get(agency=pupr),
        "kalirejo": Forum.objects.get(region=ladder["18.02.01"]),
        "bangunrejo": Forum.objects.get(region=ladder["18.02.02"]),
    }


@pytest.fixture
def team(bappeda_kabupaten, year):
    return forums_workflow.save_team(
        actor=bappeda_kabupaten, planning_year=year, name="Tim 1", leader="Asisten I Setda", members="Kabid A\nStaf B"
    )


def keys(forums) -> set:
    return {(f.level, f.region.code, f.agency.short_name if f.agency else None) for f in forums}


# --- plan_season --------------------------------------------------------------------------------


def test_plan_season_creates_every_forum_of_the_kabupaten_once(bappeda_kabupaten, ladder, year, pupr, dinkes):
    created = forums_workflow.plan_season(actor=bappeda_kabupaten, planning_year=year, region=ladder["18.02"])
    assert keys(created) == {
        (Level.KABUPATEN, "18.02", None),
        (Level.KABUPATEN, "18.02", "Dinas PUPR"),
        (Level.KABUPATEN, "18.02", "Dinkes"),
        (Level.KECAMATAN, "18.02.01", None),
        (Level.KECAMATAN, "18.02.02", None),
    }
    # The ladder's own defaults: the minutes' usual wording, as a forum opened by its first item.
    assert all(f.considerations and f.resolutions for f in Forum.objects.all())
    assert Forum.objects.filter(region__code__startswith="18.01").count() == 0

    assert forums_workflow.plan_season(actor=bappeda_kabupaten, planning_year=year, region=ladder["18.02"]) == []
    assert Forum.objects.count() == 5


def test_village_forums_are_planned_too_and_the_first_submission_finds_its_forum(
    bappeda_kabupaten, ladder, year, village_operator
):
    opened = forum_for(year, Level.DESA, ladder["18.02.02.2001"])  # Purwodadi's: opened by a submission
    created = forums_workflow.plan_season(
        actor=bappeda_kabupaten, planning_year=year, region=ladder["18.02"], villages=True
    )
    assert {f.region.code for f in created if f.level == Level.DESA} == {"18.02.01.2001", "18.02.01.2003"}
    assert Forum.objects.filter(level=Level.DESA).count() == 3
    planned = Forum.objects.get(region=ladder["18.02.01.2003"])
    proposal = ProposalFactory(village=ladder["18.02.01.2003"], planning_year=year, created_by=village_operator)
    assert IntakeSide().forum_for_submission(proposal).pk == planned.pk
    assert forum_for(year, Level.DESA, ladder["18.02.02.2001"]).pk == opened.pk


def test_a_province_plans_its_own_forum_and_may_plan_a_kabupatens_season(bappeda_provinsi, ladder, year, pupr):
    created = forums_workflow.plan_season(actor=bappeda_provinsi, planning_year=year, region=ladder["18"])
    assert keys(created) == {(Level.PROVINSI, "18", None)}
    created = forums_workflow.plan_season(actor=bappeda_provinsi, planning_year=year, region=ladder["18.01"])
    assert keys(created) == {(Level.KABUPATEN, "18.01", None), (Level.KECAMATAN, "18.01.01", None)}


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("other_bappeda_kabupaten", "18.02"),
        ("kecamatan_operator", "18.02"),
        ("bappeda_kabupaten", "18.01"),
        ("bappeda_kabupaten", "18.02.01"),
        ("other_bappeda_provinsi", "18.02"),
    ],
)
def test_plan_season_is_refused_outside_a_bappedas_own_region_and_creates_nothing(request, ladder, year, persona, code):
    actor = request.getfixturevalue(persona)
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        forums_workflow.plan_season(actor=actor, planning_year=year, region=ladder[code])
    assert str(refused.value) in (
        "Only the Bappeda of this region plans its forums.",
        "A season is planned for a regency/city or a province.",
    )
    assert Forum.objects.count() == 0


# --- plan_forum: date, place, team --------------------------------------------------------------


def test_a_planned_date_inside_the_window_is_saved_and_the_forum_stays_preparing(
    season, bappeda_kabupaten, window, team
):
    forum = season["kalirejo"]
    with set_actor(bappeda_kabupaten):
        forums_workflow.plan_forum(
            actor=bappeda_kabupaten, forum=forum, held_on=day(3), place="Aula Kecamatan Kalirejo", team=team
        )
    saved = Forum.objects.get(pk=forum.pk)
    assert (saved.held_on, saved.place, saved.team, saved.status) == (
        day(3),
        "Aula Kecamatan Kalirejo",
        team,
        ForumStatus.PREPARING,
    )
    # Audited like any other change to a forum's details: who, and the values before and after.
    entry = LogEntry.objects.get_for_object(saved).filter(action=LogEntry.Action.UPDATE).order_by("-pk").first()
    assert entry.actor == bappeda_kabupaten
    assert entry.changes_dict["held_on"] == ["None", day(3).isoformat()]
    assert entry.changes_dict["team"] == ["None", str(team.pk)]


@pytest.mark.parametrize("offset", [-11, 21])
def test_a_planned_date_outside_the_window_is_refused_in_indonesian_and_nothing_is_saved(
    season, bappeda_kabupaten, window, team, offset
):
    forum = season["kalirejo"]
    with translation.override("id"), pytest.raises(WorkflowError) as refused:
        forums_workflow.plan_forum(actor=bappeda_kabupaten, forum=forum, held_on=day(offset), place="Aula", team=team)
    assert str(refused.value) == (
        f"{forum} harus diselenggarakan antara {long(day(-10))} dan {long(day(20))}, "
        "atau catat alasan forum bermusyawarah di luar jadwal itu."
    )
    saved = Forum.objects.get(pk=forum.pk)
    assert (saved.held_on, saved.place, saved.team) == (None, "", None)


def test_another_bappeda_or_an_operator_cannot_plan_the_forum(
    season, other_bappeda_kabupaten, kecamatan_operator, window
):
    for actor in (other_bappeda_kabupaten, kecamatan_operator):
        with pytest.raises(WorkflowError):
            forums_workflow.plan_forum(actor=actor, forum=season["kalirejo"], held_on=day(1))
    assert Forum.objects.get(pk=season["kalirejo"].pk).held_on is None


def test_an_approved_forum_keeps_its_date_but_may_get_a_team(season, bappeda_kabupaten, team):
    forum = season["kalirejo"]
    Forum.objects.filter(pk=forum.pk).update(status=ForumStatus.APPROVED, approved_at=timezone.now(), held_on=day(-2))
    with pytest.raises(WorkflowError):
        forums_workflow.plan_forum(actor=bappeda_kabupaten, forum=forum, held_on=day(1))
    forums_workflow.plan_forum(actor=bappeda_kabupaten, forum=forum, team=team)
    assert Forum.objects.filter(pk=forum.pk).values_list("held_on", "team").get() == (day(-2), team.pk)


def test_a_team_of_another_kabupaten_cannot_monitor_the_forum(season, bappeda_kabupaten, other_bappeda_kabupaten, year):
    theirs = forums_workflow.save_team(actor=other_bappeda_kabupaten, planning_year=year, name="Tim Lamsel", leader="X")
    with translation.override("en"), pytest.raises(WorkflowError, match="cannot monitor"):
        forums_workflow.plan_forum(actor=bappeda_kabupaten, forum=season["kalirejo"], team=theirs)
    assert Forum.objects.get(pk=season["kalirejo"].pk).team is None


# --- teams and assigning them -------------------------------------------------------------------


def test_a_team_is_saved_with_its_members_one_per_line(team, bappeda_kabupaten, ladder):
    assert (team.region, team.leader, team.member_list) == (ladder["18.02"], "Asisten I Setda", ["Kabid A", "Staf B"])
    forums_workflow.save_team(actor=bappeda_kabupaten, team=team, name="Tim Satu", leader="Kepala Bappeda")
    assert MonitoringTeam.objects.values_list("name", "leader", "members").get() == ("Tim Satu", "Kepala Bappeda", "")


@pytest.mark.parametrize(
    ("name", "leader", "message"),
    [
        ("  ", "Asisten I", "Name the monitoring team."),
        ("Tim 2", "", "Name the team's leader."),
        ("tim 1", "Asisten II", "There is already a team called tim 1 for RKPD"),
    ],
)
def test_a_team_without_name_or_leader_or_with_a_taken_name_is_refused(
    team, bappeda_kabupaten, year, name, leader, message
):
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        forums_workflow.save_team(actor=bappeda_kabupaten, planning_year=year, name=name, leader=leader)
    assert str(refused.value).startswith(message)
    assert MonitoringTeam.objects.count() == 1


def test_assigning_a_team_is_all_or_nothing(season, bappeda_kabupaten, ladder, year, team, bappeda_provinsi):
    lamsel = forums_workflow.plan_season(actor=bappeda_provinsi, planning_year=year, region=ladder["18.01"])[0]
    mine = [season["kalirejo"], season["bangunrejo"]]
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        forums_workflow.assign_team(actor=bappeda_kabupaten, forums=[*mine, lamsel], team=team)
    assert str(refused.value) == "Some of the chosen forums are not yours to plan; nothing was changed."
    assert not Forum.objects.filter(team=team).exists()
    assert forums_workflow.assign_team(actor=bappeda_kabupaten, forums=mine, team=team) == 2
    assert set(Forum.objects.filter(team=team)) == set(mine)
    with translation.override("en"), pytest.raises(WorkflowError, match="still monitors 2 forum"):
        forums_workflow.delete_team(actor=bappeda_kabupaten, team=team)
    forums_workflow.assign_team(actor=bappeda_kabupaten, forums=mine, team=None)
    forums_workflow.delete_team(actor=bappeda_kabupaten, team=team)
    assert MonitoringTeam.objects.count() == 0


# --- the board ----------------------------------------------------------------------------------


def decide(forum, village, cost, outcome, rank):
    proposal = ProposalFactory(village=village, planning_year=forum.planning_year, submitted=True)
    return Decision.objects.create(forum=forum, proposal=proposal, rank=rank, outcome=outcome, incoming_cost=cost)


@pytest.fixture
def held(season, ladder, year, team):
    """Kalirejo met three days ago and has not approved (late); Bangun Rejo meets today; PUPR's
    forum is planned; the kabupaten's is not; one Kalirejo item agreed, one rejected, one waiting."""
    Forum.objects.filter(pk=season["kalirejo"].pk).update(held_on=day(-3), place="Aula Kalirejo", team=team)
    Forum.objects.filter(pk=season["bangunrejo"].pk).update(held_on=timezone.localdate())
    Forum.objects.filter(pk=season["pupr"].pk).update(held_on=day(5))
    village = ladder["18.02.01.2003"]
    decide(season["kalirejo"], village, 700_000_000, Outcome.ACCEPTED, 1)
    decide(season["kalirejo"], village, 200_000_000, Outcome.REJECTED, 2)
    decide(season["kalirejo"], village, 100_000_000, "", 3)
    Ceiling.objects.create(planning_year=year, region=ladder["18.02.01"], amount=600_000_000)
    return season


def test_the_board_shows_each_forum_with_its_status_items_and_agreed_total_against_the_ceiling(
    held, bappeda_kabupaten, ladder, year
):
    result = board(bappeda_kabupaten, year, ladder["18.02"])
    by_name = {(f.agency.short_name if f.agency else f.region.code): f for f in result.rows}
    assert {name: f.season_status for name, f in by_name.items()} == {
        "18.02": SeasonStatus.NOT_PLANNED,
        "Dinas PUPR": SeasonStatus.PLANNED,
        "Dinkes": SeasonStatus.NOT_PLANNED,
        "18.02.01": SeasonStatus.LATE,
        "18.02.02": SeasonStatus.IN_SESSION,
    }
    kalirejo = by_name["18.02.01"]
    assert (kalirejo.items, kalirejo.pending, kalirejo.agreed, kalirejo.ceiling, kalirejo.over_ceiling) == (
        3,
        1,
        700_000_000,
        600_000_000,
        True,
    )
    assert [g.key for g in result.groups] == [
        (Level.KABUPATEN, ForumKind.MUSRENBANG),
        (Level.KABUPATEN, ForumKind.AGENCY),
        (Level.KECAMATAN, ForumKind.MUSRENBANG),
    ]
    Forum.objects.filter(pk=held["kalirejo"].pk).update(status=ForumStatus.APPROVED, approved_at=timezone.now())
    assert board(bappeda_kabupaten, year, ladder["18.02"], status="approved").rows == [held["kalirejo"]]


def test_the_board_page_lists_the_forums_by_level_with_filters(english, held, bappeda_kabupaten, team):
    english.force_login(bappeda_kabupaten)
    page = english.get("/musyawarah/musim/").content.decode()
    assert "Season board" in page
    for heading in ("Regency/city Musrenbang", "Agency forums (Forum Perangkat Daerah)", "District Musrenbang"):
        assert heading in page
    row = page.split(f'id="forum-{held["kalirejo"].pk}"')[1].split("</tr>")[0]
    assert "Late" in row and "Aula Kalirejo" in row and "Tim 1" in row
    assert "Rp700.000.000" in row and "of Rp600.000.000" in row and "1 waiting" in row
    assert f'name="forum" value="{held["kalirejo"].pk}"' in page  # Bappeda may tick it for a team

    late = english.get("/musyawarah/musim/", {"status": "late"}).content.decode()
    assert f'id="forum-{held["kalirejo"].pk}"' in late and f'id="forum-{held["bangunrejo"].pk}"' not in late
    by_team = english.get("/musyawarah/musim/", {"team": team.pk}).content.decode()
    assert by_team.count('class="season-row') == 1
    no_team = english.get("/musyawarah/musim/", {"team": "none"}).content.decode()
    assert no_team.count('class="season-row') == 4
    level = english.get("/musyawarah/musim/", {"level": Level.KECAMATAN}).content.decode()
    assert level.count('class="season-row') == 2


def test_a_kecamatan_sees_its_own_and_its_villages_forums_read_only(
    english, held, bappeda_kabupaten, kecamatan_operator, ladder, year
):
    forums_workflow.plan_season(actor=bappeda_kabupaten, planning_year=year, region=ladder["18.02"], villages=True)
    english.force_login(kecamatan_operator)
    page = english.get("/musyawarah/musim/", {"area": "18.02"}).content.decode()  # not its area: its own instead
    shown = {f.region.code for f in Forum.objects.all() if f'id="forum-{f.pk}"' in page}
    assert shown == {"18.02.01", "18.02.01.2001", "18.02.01.2003"}
    assert 'name="forum"' not in page and "/musyawarah/musim/rencanakan/" not in page
    assert "Village Musrenbang" in page


def test_another_kabupatens_bappeda_sees_none_of_these_forums(english, held, other_bappeda_kabupaten):
    english.force_login(other_bappeda_kabupaten)
    page = english.get("/musyawarah/musim/", {"area": "18.02"}).content.decode()
    assert not any(f'id="forum-{f.pk}"' in page for f in Forum.objects.all())


def test_the_calendar_puts_each_forum_on_its_day_and_flags_the_late_one(english, held, bappeda_kabupaten, window):
    english.force_login(bappeda_kabupaten)
    page = english.get("/musyawarah/musim/kalender/").content.decode()
    late_day = page.split(f'id="day-{day(-3).isoformat()}"')[1].split("</td>")[0]
    assert "Kecamatan Kalirejo" in late_day and "Late" in late_day and "Tim 1" in late_day
    assert "Kecamatan Bangun Rejo" in page.split(f'id="day-{timezone.localdate().isoformat()}"')[1].split("</td>")[0]
    assert "Dinas PUPR" in page.split(f'id="day-{day(5).isoformat()}"')[1].split("</td>")[0]
    unplanned = page.split("Not planned yet")[1]
    assert "Dinkes" in unplanned and "Kabupaten Lampung Tengah" in unplanned


def test_the_xlsx_has_the_boards_rows_with_dates_and_money_as_numbers(english, held, bappeda_kabupaten):
    english.force_login(bappeda_kabupaten)
    response = english.get("/musyawarah/musim/unduh.xlsx", {"level": Level.KECAMATAN})
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="jadwal-musyawarah-kabupaten-lampung-tengah-{timezone.localdate().year + 1}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows[0] == [
        "Level", "Forum", "Region code", "Date", "Time", "Place", "Status", "Items", "Waiting",
        "Agreed total", "Ceiling", "Monitoring team", "Team leader",
    ]  # fmt: skip
    kalirejo, bangunrejo = rows[1:]
    assert kalirejo[:4] == [
        "District Musrenbang",
        str(held["kalirejo"]),
        "18.02.01",
        datetime.datetime.combine(day(-3), datetime.time()),
    ]
    assert kalirejo[5:] == ["Aula Kalirejo", "Late", 3, 1, 700_000_000, 600_000_000, "Tim 1", "Asisten I Setda"]
    assert bangunrejo[2:4] + bangunrejo[6:7] == [
        "18.02.02",
        datetime.datetime.combine(timezone.localdate(), datetime.time()),
        "In session",
    ]


def test_the_board_runs_as_many_queries_for_thirty_forums_as_for_three(english, bappeda_kabupaten, ladder, year, team):
    english.force_login(bappeda_kabupaten)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert english.get("/musyawarah/musim/").status_code == 200
        return len(captured)

    kabupaten = ladder["18.02"]
    for n in range(3):
        Forum.objects.create(planning_year=year, level=Level.KECAMATAN, region=add_kecamatan(kabupaten, n), team=team)
    few = count()
    for n in range(3, 30):
        forum = Forum.objects.create(
            planning_year=year, level=Level.KECAMATAN, region=add_kecamatan(kabupaten, n), held_on=day(n % 5), team=team
        )
        decide(forum, add_village(forum.region), 1_000_000, Outcome.ACCEPTED, 1)
        Ceiling.objects.create(planning_year=year, region=forum.region, amount=5_000_000)
    assert Forum.objects.count() == 30
    assert count() == few
    english.get("/musyawarah/musim/kalender/")  # and the calendar answers with the same rows


def add_kecamatan(kabupaten, n):
    return Region.objects.create(
        code=f"18.02.{n + 10:02d}", name=f"Kecamatan Uji {n}", level=3, kind="kecamatan", parent=kabupaten
    )


def add_village(kecamatan):
    return Region.objects.create(code=f"{kecamatan.code}.2001", name="Desa Uji", level=4, kind="desa", parent=kecamatan)


# --- the pages: who may open what, and bad input ---------------------------------------------------

PERSONAS = [
    "village_operator",
    "kecamatan_operator",
    "other_kecamatan_operator",
    "agency_officer",
    "bappeda_kabupaten",
    "other_bappeda_kabupaten",
    "bappeda_provinsi",
    "other_bappeda_provinsi",
    "admin_user",
]
# The plan page of Kalirejo's forum: Bappeda of its kabupaten and province plan it; whoever sees it
# (its kecamatan, a village under it, the kabupaten's agency) is refused the change; the rest find nothing.
PLAN_PAGE = {
    "village_operator": 403,
    "kecamatan_operator": 403,
    "other_kecamatan_operator": 404,
    "agency_officer": 404,
    "bappeda_kabupaten": 200,
    "other_bappeda_kabupaten": 404,
    "bappeda_provinsi": 200,
    "other_bappeda_provinsi": 404,
    "admin_user": 403,
}
TEAM_PAGE = {**{p: 403 for p in PERSONAS}, "bappeda_kabupaten": 200, "bappeda_provinsi": 200}
TEAM_PAGE.update({"other_bappeda_kabupaten": 404, "other_bappeda_provinsi": 404})


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_the_plan_and_team_pages(request, client, season, team, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/musyawarah/musim/{season['kalirejo'].pk}/").status_code == PLAN_PAGE[persona]
    assert client.get(f"/musyawarah/tim-monitoring/{team.pk}/").status_code == TEAM_PAGE[persona]
    assert client.get("/musyawarah/musim/").status_code == 200


@pytest.mark.parametrize("persona", [p for p in PERSONAS if PLAN_PAGE[p] != 200])
def test_nobody_else_can_plan_assign_or_create_the_season(request, client, season, team, persona, year):
    client.force_login(request.getfixturevalue(persona))
    kalirejo = season["kalirejo"]
    plan = client.post(f"/musyawarah/musim/{kalirejo.pk}/", {"held_on": day(1).isoformat(), "place": "X"})
    assert plan.status_code == PLAN_PAGE[persona]
    assign = client.post(
        "/musyawarah/musim/tetapkan-tim/", {"year": year.year, "forum": [kalirejo.pk], "team": team.pk}
    )
    assert assign.status_code in (302, 403)
    client.post("/musyawarah/musim/rencanakan/", {"year": year.year, "area": "18.02", "villages": "on"})
    client.post(f"/musyawarah/tim-monitoring/{team.pk}/", {"name": "Dirampas", "leader": "X"})
    assert Forum.objects.filter(held_on__isnull=False).count() == 0
    assert Forum.objects.filter(team__isnull=False).count() == 0
    # Another Bappeda's "area" is ignored: it plans its own region's season, never this one's.
    assert Forum.objects.filter(region__code__startswith="18.02").count() == 5
    assert MonitoringTeam.objects.get().name == "Tim 1"


def test_anonymous_visitors_are_sent_to_log_in(client, season, team):
    for url in ("/musyawarah/musim/", "/musyawarah/musim/kalender/", "/musyawarah/musim/unduh.xlsx",
                f"/musyawarah/musim/{season['kalirejo'].pk}/", "/musyawarah/tim-monitoring/"):  # fmt: skip
        assert client.get(url)["Location"].startswith("/masuk/")


def test_bappeda_creates_the_season_from_the_board(english, bappeda_kabupaten, ladder, year, pupr):
    english.force_login(bappeda_kabupaten)
    page = english.get("/musyawarah/musim/").content.decode()
    assert "Create the season's forums" in page and "No forums of this season yet." in page
    response = english.post(
        "/musyawarah/musim/rencanakan/", {"year": year.year, "area": "18.02", "villages": "on"}, follow=True
    )
    assert "7 forums of the season were created." in response.content.decode()
    assert Forum.objects.count() == 7  # kabupaten, PUPR, two kecamatan, three villages
    again = english.post("/musyawarah/musim/rencanakan/", {"year": year.year, "area": "18.02"}, follow=True)
    assert "Every forum of the season already exists; nothing was created." in again.content.decode()
    assert Forum.objects.count() == 7


def test_the_plan_page_refuses_a_date_outside_the_window_in_indonesian_and_keeps_the_input(
    client, season, bappeda_kabupaten, window, team
):
    client.force_login(bappeda_kabupaten)
    url = f"/musyawarah/musim/{season['kalirejo'].pk}/"
    response = client.post(url, {"held_on": day(40).isoformat(), "place": "Aula Kalirejo", "team": team.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"harus diselenggarakan antara {long(day(-10))} dan {long(day(20))}" in page
    assert 'value="Aula Kalirejo"' in page
    assert Forum.objects.filter(pk=season["kalirejo"].pk).values_list("held_on", "place", "team").get() == (
        None,
        "",
        None,
    )

    response = client.post(
        url,
        {
            "held_on": day(2).isoformat(),
            "place": "Aula Kalirejo",
            "team": team.pk,
            "next": "/musyawarah/musim/?level=3",
        },
    )
    assert response["Location"] == "/musyawarah/musim/?level=3"
    assert Forum.objects.filter(pk=season["kalirejo"].pk).values_list("held_on", "place", "team").get() == (
        day(2),
        "Aula Kalirejo",
        team.pk,
    )


def test_the_plan_page_offers_only_this_years_teams_of_the_forums_region(
    english, season, bappeda_kabupaten, bappeda_provinsi, team, year
):
    PlanningYear.objects.create(year=year.year + 1)
    other_year = forums_workflow.save_team(
        actor=bappeda_kabupaten, planning_year=PlanningYear.objects.get(year=year.year + 1), name="Tim Lain", leader="Y"
    )
    province = forums_workflow.save_team(actor=bappeda_provinsi, planning_year=year, name="Tim Provinsi", leader="Z")
    english.force_login(bappeda_kabupaten)
    page = english.get(f"/musyawarah/musim/{season['kalirejo'].pk}/").content.decode()
    assert f'value="{team.pk}"' in page and "Tim Lain" not in page and "Tim Provinsi" not in page
    english.post(f"/musyawarah/musim/{season['kalirejo'].pk}/", {"team": other_year.pk})
    assert Forum.objects.get(pk=season["kalirejo"].pk).team is None
    english.force_login(bappeda_provinsi)
    page = english.get(f"/musyawarah/musim/{season['kalirejo'].pk}/").content.decode()
    assert f'value="{province.pk}"' in page and f'value="{team.pk}"' in page


def test_the_team_form_refuses_an_empty_name_and_a_taken_one_and_saves_nothing(english, bappeda_kabupaten, team, year):
    english.force_login(bappeda_kabupaten)
    empty = english.post("/musyawarah/tim-monitoring/", {"year": year.year, "name": "  ", "leader": "Asisten"})
    assert "Enter the team name." in empty.content.decode()
    taken = english.post("/musyawarah/tim-monitoring/", {"year": year.year, "name": "TIM 1", "leader": "Asisten"})
    assert "There is already a team called TIM 1 for RKPD" in taken.content.decode()
    assert list(MonitoringTeam.objects.values_list("name", flat=True)) == ["Tim 1"]
    added = english.post(
        "/musyawarah/tim-monitoring/",
        {
            "year": year.year,
            "name": "Tim 2",
            "leader": "Kepala Bappeda",
            "members": "Kabid Ekonomi\n\nPerencana Muda\n",
        },
        follow=True,
    )
    assert "The team Tim 2 was added." in added.content.decode()
    assert MonitoringTeam.objects.get(name="Tim 2").members == "Kabid Ekonomi\nPerencana Muda"


def test_the_team_form_says_so_in_indonesian(client, bappeda_kabupaten, year):
    client.force_login(bappeda_kabupaten)
    page = client.post("/musyawarah/tim-monitoring/", {"year": year.year, "name": "", "leader": ""}).content.decode()
    assert "Tim monitoring" in page and "Isi nama tim." in page and "Isi ketua tim." in page
    assert MonitoringTeam.objects.count() == 0


def test_one_team_for_many_forums_from_the_board_and_another_regions_forum_changes_nothing(
    english, season, bappeda_kabupaten, bappeda_provinsi, team, ladder, year
):
    lamsel = forums_workflow.plan_season(actor=bappeda_provinsi, planning_year=year, region=ladder["18.01"])[0]
    english.force_login(bappeda_kabupaten)
    mine = [season["kalirejo"].pk, season["bangunrejo"].pk]
    refused = english.post(
        "/musyawarah/musim/tetapkan-tim/",
        {"year": year.year, "team": team.pk, "forum": [*mine, lamsel.pk]},
        follow=True,
    )
    assert "Some of the chosen forums are not yours to plan; nothing was changed." in refused.content.decode()
    assert not Forum.objects.filter(team__isnull=False).exists()
    nothing = english.post("/musyawarah/musim/tetapkan-tim/", {"year": year.year, "team": team.pk}, follow=True)
    assert "Tick at least one forum." in nothing.content.decode()
    done = english.post(
        "/musyawarah/musim/tetapkan-tim/", {"year": year.year, "team": team.pk, "forum": mine}, follow=True
    )
    assert "Tim 1 monitors the 2 chosen forums." in done.content.decode()
    assert set(Forum.objects.filter(team=team).values_list("pk", flat=True)) == set(mine)


def test_a_team_with_forums_cannot_be_deleted_from_its_page(english, season, bappeda_kabupaten, team):
    forums_workflow.assign_team(actor=bappeda_kabupaten, forums=[season["kalirejo"]], team=team)
    english.force_login(bappeda_kabupaten)
    page = english.post(f"/musyawarah/tim-monitoring/{team.pk}/hapus/", follow=True).content.decode()
    assert "Tim 1 still monitors 1 forum(s); assign them another team first." in page
    assert MonitoringTeam.objects.count() == 1


def test_the_forum_list_and_the_header_link_to_the_board(english, season, bappeda_kabupaten, kecamatan_operator):
    english.force_login(bappeda_kabupaten)
    page = english.get("/musyawarah/").content.decode()
    assert page.count('href="/musyawarah/musim/') == 2  # the header's link and the list's button
    english.force_login(kecamatan_operator)
    page = english.get("/musyawarah/").content.decode()
    assert page.count('href="/musyawarah/musim/') == 1  # the list's button only


def test_a_kabupatens_village_forums_are_counted_on_its_board_and_listed_on_request(
    english, held, bappeda_kabupaten, ladder, year
):
    forums_workflow.plan_season(actor=bappeda_kabupaten, planning_year=year, region=ladder["18.02"], villages=True)
    villages = list(Forum.objects.filter(level=Level.DESA))
    english.force_login(bappeda_kabupaten)
    page = english.get("/musyawarah/musim/").content.decode()
    assert page.count('class="season-row') == 5 and not any(f'id="forum-{f.pk}"' in page for f in villages)
    assert "Village Musrenbang: 3 forums, counted in the summary but not listed here." in page
    summary = page.split('class="table-container season-summary"')[1].split("</table>")[0]
    assert "Village Musrenbang</a></th>" in summary and '<td class="num">3</td>' in summary
    listed = english.get("/musyawarah/musim/", {"level": Level.DESA}).content.decode()
    assert listed.count('class="season-row') == 3 and all(f'id="forum-{f.pk}"' in listed for f in villages)
    kalirejo = english.get("/musyawarah/musim/", {"area": "18.02.01"}).content.decode()
    assert kalirejo.count('class="season-row') == 3  # the kecamatan's forum and its two villages'
