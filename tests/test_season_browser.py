"""Bappeda Lampung Tengah plans its season in a real Chromium: it creates the season's forums from
the board, adds a monitoring team (an empty name is refused first), plans Kalirejo's forum (a date
outside the kecamatan window is refused, one inside is saved), gives both kecamatan forums the
team at once, and finds them on the board and on the calendar."""

from __future__ import annotations

import datetime
import os

import pytest
from django.utils import formats, timezone, translation

from forums.models import Forum, MonitoringTeam
from planning.models import PlanningYear, StageWindow
from regions.models import Level

from .browser import browser, log_in  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def test_bappeda_plans_its_season_and_sees_it_on_the_board_and_the_calendar(
    browser,  # noqa: F811
    live_server,
    bappeda_kabupaten,
    ladder,
    pupr,
):
    year = PlanningYear.objects.create(year=timezone.localdate().year + 1)
    StageWindow.objects.create(
        planning_year=year, level=Level.KECAMATAN, region=ladder["18.02"], opens_on=day(-10), closes_on=day(20)
    )
    context = browser.new_context(locale="id", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, bappeda_kabupaten.username)

    page.locator(".site-nav").get_by_role("link", name="Pemantauan musyawarah", exact=True).click()
    assert "Belum ada forum untuk musim ini." in page.inner_text("main")
    page.get_by_role("button", name="Buat forum musim ini").click()
    assert "4 forum musim ini telah dibuat." in page.inner_text(".messages")
    kalirejo = Forum.objects.get(region=ladder["18.02.01"])
    bangunrejo = Forum.objects.get(region=ladder["18.02.02"])
    assert page.locator(".season-row").count() == 4
    assert "Belum dijadwalkan" in page.inner_text(f"#forum-{kalirejo.pk}")

    # A team: without a name nothing is saved; with one it is listed.
    page.get_by_role("link", name="Tim monitoring", exact=True).click()
    page.fill("#id_leader", "Asisten I Setda")
    page.get_by_role("button", name="Tambahkan tim").click()
    assert "Isi nama tim." in page.inner_text("#form-errors")
    assert MonitoringTeam.objects.count() == 0
    page.fill("#id_name", "Tim 1")
    page.fill("#id_members", "Kabid Perencanaan\nPerencana Ahli Muda")
    page.get_by_role("button", name="Tambahkan tim").click()
    assert "Tim Tim 1 telah ditambahkan." in page.inner_text(".messages")
    team = MonitoringTeam.objects.get()

    # Kalirejo's forum: a date past the kecamatan window is refused, one inside it saved.
    page.locator(".site-nav").get_by_role("link", name="Pemantauan musyawarah", exact=True).click()
    page.locator(f"#forum-{kalirejo.pk}").get_by_role("link", name="Jadwalkan").click()
    page.fill("#id_held_on", day(30).isoformat())
    page.fill("#id_place", "Aula Kecamatan Kalirejo")
    page.get_by_role("button", name="Simpan jadwal").click()
    with translation.override("id"):
        opens, closes = (formats.date_format(d, "j F Y") for d in (day(-10), day(20)))
    assert f"harus diselenggarakan antara {opens} dan {closes}" in page.inner_text("#form-errors")
    assert Forum.objects.get(pk=kalirejo.pk).held_on is None
    page.fill("#id_held_on", day(2).isoformat())
    page.get_by_role("button", name="Simpan jadwal").click()
    assert "telah disimpan" in page.inner_text(".messages")
    assert "Terjadwal" in page.inner_text(f"#forum-{kalirejo.pk}")
    assert "Aula Kecamatan Kalirejo" in page.inner_text(f"#forum-{kalirejo.pk}")

    # Both kecamatan forums get the team at once.
    page.check(f"#pick-{kalirejo.pk}")
    page.check(f"#pick-{bangunrejo.pk}")
    page.select_option("#assign-team", label="Tim 1 (Asisten I Setda)")
    page.get_by_role("button", name="Tetapkan tim").click()
    assert "Tim 1 memantau 2 forum yang dipilih." in page.inner_text(".messages")
    assert set(Forum.objects.filter(team=team).values_list("pk", flat=True)) == {kalirejo.pk, bangunrejo.pk}
    assert "Tim 1" in page.inner_text(f"#forum-{bangunrejo.pk}")

    # The calendar: Kalirejo on its day with its team; the forums without a date listed below.
    page.get_by_role("link", name="Kalender", exact=True).click()
    cell = page.inner_text(f"#day-{day(2).isoformat()}")
    assert "Kecamatan Kalirejo" in cell and "Tim 1" in cell
    assert "Kecamatan Bangun Rejo" in page.inner_text(".season-unplanned")
    if os.environ.get("SEASON_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SEASON_SCREENSHOTS"], "calendar.png"), full_page=True)
        page.get_by_role("link", name="Per tingkat", exact=True).click()
        page.screenshot(path=os.path.join(os.environ["SEASON_SCREENSHOTS"], "board.png"), full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
        page.screenshot(path=os.path.join(os.environ["SEASON_SCREENSHOTS"], "board-phone.png"), full_page=True)
        page.get_by_role("link", name="Kalender", exact=True).click()
        page.screenshot(path=os.path.join(os.environ["SEASON_SCREENSHOTS"], "calendar-phone.png"), full_page=True)
        page.emulate_media(media="print")
        page.pdf(path=os.path.join(os.environ["SEASON_SCREENSHOTS"], "board.pdf"))
    context.close()
