"""A forum meets and is approved inside the window its Bappeda set for its stage, or records why not
(forums/workflow/meeting.update_forum, forums/queries.window_problems and approval_problems).

No window set for a stage means no check: the schedule is Bappeda's to set (docs/domain.md), and a
stage nobody scheduled has no dates to hold a forum to.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import formats, timezone, translation

from forums import workflow as forums_workflow
from forums.models import Forum, ForumStatus, MinutesDocument
from forums.pdf import minutes_context
from forums.queries import approval_problems
from musrenbang.errors import WorkflowError
from planning.models import PlanningYear, StageWindow
from regions.models import Level

from .factories import attend


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def long(date: datetime.date, language: str = "id") -> str:
    with translation.override(language):
        return formats.date_format(date, "j F Y")


@pytest.fixture
def year(db):
    return PlanningYear.objects.get_or_create(year=timezone.localdate().year + 1)[0]


@pytest.fixture
def kecamatan_forum(ladder, year):
    return Forum.objects.create(planning_year=year, level=Level.KECAMATAN, region=ladder["18.02.01"])


def window(region, year, opens: int, closes: int, level=Level.KECAMATAN) -> StageWindow:
    return StageWindow.objects.create(
        planning_year=year, level=level, region=region, opens_on=day(opens), closes_on=day(closes)
    )


def saved(forum: Forum) -> tuple:
    return Forum.objects.filter(pk=forum.pk).values_list("held_on", "status", "outside_window_reason").get()


def test_a_forum_date_outside_its_stage_window_is_refused_in_indonesian_and_nothing_is_saved(
    kecamatan_forum, kecamatan_operator, ladder, year
):
    window(ladder["18.02"], year, 30, 42)
    with translation.override("id"), pytest.raises(WorkflowError) as refused:
        forums_workflow.update_forum(actor=kecamatan_operator, forum=kecamatan_forum, held_on=day(-1), place="Aula")
    assert str(refused.value) == (
        f"{kecamatan_forum} harus diselenggarakan antara {long(day(30))} dan {long(day(42))}, "
        "atau catat alasan forum bermusyawarah di luar jadwal itu."
    )
    assert saved(kecamatan_forum) == (None, ForumStatus.PREPARING, "")
    assert Forum.objects.get(pk=kecamatan_forum.pk).place == ""


@pytest.mark.parametrize("offset", [30, 36, 42])
def test_a_forum_date_inside_the_window_is_saved_first_and_last_day_included(
    kecamatan_forum, kecamatan_operator, ladder, year, offset
):
    window(ladder["18.02"], year, 30, 42)
    forums_workflow.update_forum(actor=kecamatan_operator, forum=kecamatan_forum, held_on=day(offset))
    assert saved(kecamatan_forum) == (day(offset), ForumStatus.IN_SESSION, "")


def test_the_kabupatens_own_window_wins_over_the_provinces(kecamatan_forum, kecamatan_operator, ladder, year):
    window(ladder["18"], year, -5, 5)
    window(ladder["18.02"], year, 30, 42)
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        forums_workflow.update_forum(actor=kecamatan_operator, forum=kecamatan_forum, held_on=day(0))
    assert str(refused.value).startswith(f"{kecamatan_forum} must be held between {long(day(30), 'en')} and")
    assert saved(kecamatan_forum) == (None, ForumStatus.PREPARING, "")


def test_without_a_window_for_its_stage_any_date_is_accepted(kecamatan_forum, kecamatan_operator, ladder, year):
    window(ladder["18.02"], year, -40, -20, level=Level.DESA)
    forums_workflow.update_forum(actor=kecamatan_operator, forum=kecamatan_forum, held_on=day(-100))
    assert saved(kecamatan_forum) == (day(-100), ForumStatus.IN_SESSION, "")


def test_a_recorded_reason_lets_the_forum_meet_outside_the_window(kecamatan_forum, kecamatan_operator, ladder, year):
    window(ladder["18.02"], year, 30, 42)
    forums_workflow.update_forum(
        actor=kecamatan_operator, forum=kecamatan_forum, held_on=day(-1), outside_window_reason="Banjir."
    )
    assert saved(kecamatan_forum) == (day(-1), ForumStatus.IN_SESSION, "Banjir.")
    with pytest.raises(WorkflowError):
        forums_workflow.update_forum(actor=kecamatan_operator, forum=kecamatan_forum, outside_window_reason=" ")
    assert saved(kecamatan_forum) == (day(-1), ForumStatus.IN_SESSION, "Banjir.")


def test_the_edit_page_refuses_a_date_outside_the_window_and_takes_the_reason(
    client, kecamatan_forum, kecamatan_operator, ladder, year
):
    window(ladder["18.02"], year, 30, 42)
    client.force_login(kecamatan_operator)
    url = f"/musyawarah/{kecamatan_forum.pk}/ubah/"
    details = {"held_on": day(-1).isoformat(), "place": "Aula Kecamatan", "chair_name": "Camat"}
    page = client.post(url, details, follow=True).content.decode()
    assert f"antara {long(day(30))} dan {long(day(42))}" in page
    assert saved(kecamatan_forum) == (None, ForumStatus.PREPARING, "")
    assert 'name="outside_window_reason"' in client.get(url).content.decode()

    client.post(url, {**details, "outside_window_reason": "Jadwal bergeser karena banjir."})
    assert saved(kecamatan_forum) == (day(-1), ForumStatus.IN_SESSION, "Jadwal bergeser karena banjir.")


def _ready(forum, actor, **details):
    forums_workflow.update_forum(actor=actor, forum=forum, place="Aula Kecamatan", chair_name="Camat", **details)
    attend(actor, forum)
    for name, gender in (("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Ketut Wirawan", "L")):
        forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)
    return Forum.objects.get(pk=forum.pk)


def test_approval_outside_the_window_is_refused_and_nothing_changes(
    kecamatan_forum, kecamatan_operator, ladder, year, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    stage = window(ladder["18.02"], year, -20, -2)
    forum = _ready(kecamatan_forum, kecamatan_operator, held_on=day(-3))
    expected = (
        f"{forum} may be approved only between {long(day(-20), 'en')} and {long(day(-2), 'en')}, or record the forum's "
        "reason for approving outside that window."
    )
    with translation.override("en"):
        assert approval_problems(forum) == [expected]
        with pytest.raises(WorkflowError) as refused:
            forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    assert str(refused.value) == expected
    assert saved(forum)[1] == ForumStatus.IN_SESSION
    assert MinutesDocument.objects.count() == 0

    # The window moved after the date was set: the date itself is out of the window too.
    StageWindow.objects.filter(pk=stage.pk).update(opens_on=day(-1), closes_on=day(5))
    with translation.override("en"):
        assert approval_problems(forum) == [
            f"{forum} must be held between {long(day(-1), 'en')} and {long(day(5), 'en')}, "
            "or record the forum's reason for meeting outside that window."
        ]


def test_approval_inside_the_window_issues_the_minutes(
    kecamatan_forum, kecamatan_operator, ladder, year, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    window(ladder["18.02"], year, -5, 5)
    forum = _ready(kecamatan_forum, kecamatan_operator, held_on=day(-1))
    assert approval_problems(forum) == []
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    assert saved(forum)[1] == ForumStatus.APPROVED
    assert minutes_context(forum, number="1", issued_at=timezone.now())["outside_window"] == ""


def test_a_recorded_reason_lets_the_forum_be_approved_and_the_minutes_print_it(
    kecamatan_forum, kecamatan_operator, ladder, year, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    window(ladder["18.02"], year, -20, -2)
    forum = _ready(kecamatan_forum, kecamatan_operator, held_on=day(-3), outside_window_reason="Camat sakit.")
    forums_workflow.approve_forum(actor=kecamatan_operator, forum=forum)
    forum = Forum.objects.get(pk=forum.pk)
    assert forum.status == ForumStatus.APPROVED
    assert minutes_context(forum, number="1", issued_at=timezone.now())["outside_window"] == (
        "Musrenbang Kecamatan Kalirejo ini diselenggarakan di luar jadwal tahapan yang ditetapkan Bappeda, "
        "dengan alasan: Camat sakit."
    )
