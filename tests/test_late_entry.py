"""A season recorded after the fact: Bappeda lets named villages enter proposals once the village
window has closed (planning.models.LateEntry), and their forums keep the dates they were held on."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from forums import workflow as forums_workflow
from forums.models import Forum
from forums.pdf import minutes_context
from planning.models import LateEntry, PlanningYear, StageWindow
from proposals.models import Proposal
from regions.models import Level

from .test_intake import form_data

pytestmark = pytest.mark.django_db


KALIREJO, SRI_WAY = "18.02.01.2003", "18.02.01.2001"


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def year(db):
    return PlanningYear.objects.get_or_create(year=timezone.localdate().year + 1)[0]


@pytest.fixture
def closed_season(ladder, year):
    """Lampung Tengah's village window closed two months ago; the kecamatan's a month ago."""
    StageWindow.objects.create(
        planning_year=year, level=Level.DESA, region=ladder["18.02"], opens_on=day(-120), closes_on=day(-60)
    )
    StageWindow.objects.create(
        planning_year=year, level=Level.KECAMATAN, region=ladder["18.02"], opens_on=day(-59), closes_on=day(-30)
    )


@pytest.fixture
def bappeda(client, bappeda_kabupaten):
    client.force_login(bappeda_kabupaten)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def grant(client, year, *villages, reason="Musrenbang 2026 digelar di atas kertas", opens=-1, closes=14):
    return client.post(
        f"/usulan/jadwal/susulan/?year={year.year}",
        {"villages": [v.pk for v in villages], "opens_on": day(opens), "closes_on": day(closes), "reason": reason},
    )


def test_bappeda_grants_late_entry_and_only_the_named_village_may_enter(
    bappeda, client, ladder, year, closed_season, village_operator, django_user_model
):
    response = grant(bappeda, year, ladder[KALIREJO])

    assert response.status_code == 302
    entry = LateEntry.objects.get()
    assert list(entry.villages.all()) == [ladder[KALIREJO]] and entry.reason.startswith("Musrenbang 2026")
    page = bappeda.get(f"/usulan/jadwal/susulan/?year={year.year}").content.decode()
    assert "Desa Kalirejo" in page and "Musrenbang 2026 digelar di atas kertas" in page
    assert LogEntry.objects.get_for_model(LateEntry).filter(object_id=entry.pk).exists()  # in the audit log

    client.force_login(village_operator)  # Kalirejo's operator
    assert client.post("/usulan/baru/", form_data()).status_code == 302
    assert Proposal.objects.get().planning_year == year
    neighbour = django_user_model.objects.create(
        username="desa.sriway", role="village_operator", region=ladder[SRI_WAY]
    )
    client.force_login(neighbour)
    refused = client.post("/usulan/baru/", form_data(title="Tidak boleh"), headers={"accept-language": "en"})
    assert "closed on" in refused.content.decode() and Proposal.objects.count() == 1


def test_the_forums_of_a_late_season_keep_the_dates_they_were_held_on(
    bappeda, ladder, year, closed_season, kecamatan_operator
):
    forum = Forum.objects.create(planning_year=year, level=Level.KECAMATAN, region=ladder["18.02.01"])
    other = Forum.objects.create(planning_year=year, level=Level.KECAMATAN, region=ladder["18.02.02"])
    grant(bappeda, year, ladder[KALIREJO])

    forums_workflow.update_forum(actor=kecamatan_operator, forum=forum, held_on=day(-200), place="Aula")

    assert Forum.objects.get(pk=forum.pk).held_on == day(-200)  # long before its window
    assert minutes_context(Forum.objects.get(pk=forum.pk), number="1", issued_at=timezone.now())["outside_window"] == (
        "Musrenbang Kecamatan Kalirejo ini dicatat sebagai input susulan yang dibuka Bappeda, "
        "dengan alasan: Musrenbang 2026 digelar di atas kertas."
    )
    with pytest.raises(forums_workflow.WorkflowError):
        forums_workflow.update_forum(actor=kecamatan_operator, forum=other, held_on=day(-200), place="Aula")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": ""}, "Enter the reason."),
        ({"villages": []}, "Tick at least one of the villages."),
        ({"closes": -5}, "The late entry must close on or after the day it opens."),
        ({"villages": "lampung selatan"}, "Choose the villages from the options given."),
    ],
)
def test_bad_input_says_what_is_wrong_and_grants_nothing(bappeda, ladder, year, closed_season, change, message):
    villages = [ladder[KALIREJO]]
    if "villages" in change:
        villages = [] if change["villages"] == [] else [ladder["18.01.01.2001"]]
    response = grant(
        bappeda,
        year,
        *villages,
        reason=change.get("reason", "Musrenbang di atas kertas"),
        closes=change.get("closes", 14),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LateEntry.objects.exists()


@pytest.mark.parametrize(
    "persona", ["village_operator", "kecamatan_operator", "agency_officer", "bappeda_provinsi", "admin_user"]
)
def test_only_a_kabupaten_bappeda_grants_late_entry(client, request, year, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(f"/usulan/jadwal/susulan/?year={year.year}").status_code == 403
