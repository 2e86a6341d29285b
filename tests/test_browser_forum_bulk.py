"""In a real Chromium on a 360 px phone: a kecamatan operator decides items in bulk, scores the
whole forum on one grid by keyboard, and moves an item to a typed place; on a desktop, by dragging."""

from __future__ import annotations

import datetime

import pytest

from forums import workflow as forums_workflow
from forums.models import Decision, Forum, Outcome
from planning.models import PlanningYear
from proposals.models import EventAction, ProposalEvent
from regions.models import Level

from .browser import browser, log_in, phone_page  # noqa: F401  (browser is a fixture)
from .factories import ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def forum(ladder, pupr, village_operator, kecamatan_operator, bappeda_kabupaten):
    year = PlanningYear.objects.get_or_create(year=datetime.date.today().year + 1)[0]
    forums_workflow.set_criteria(
        actor=bappeda_kabupaten, planning_year=year, criteria=[("Urgensi", 60), ("Kesiapan", 40)]
    )
    forum = Forum.objects.create(planning_year=year, level=Level.KECAMATAN, region=ladder["18.02.01"])
    for rank in range(1, 13):
        proposal = ProposalFactory(
            submitted=True,
            village=ladder["18.02.01.2003"],
            level=Level.KECAMATAN,
            title=f"Usulan {rank}",
            estimated_cost=10_000_000,
            target_agency=pupr,
            current_agency=pupr,
            created_by=village_operator,
        )
        Decision.objects.create(forum=forum, proposal=proposal, rank=rank)
    return forum


def test_on_a_phone_the_forum_is_decided_in_bulk_and_scored_on_one_grid(
    browser,  # noqa: F811
    live_server,
    forum,
    kecamatan_operator,
):
    page = phone_page(browser, live_server)
    refused = []  # what the Content-Security-Policy blocked: nothing, every behaviour is in app.js
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    log_in(page, kecamatan_operator.username)

    # Tick two items, give them one decision with one reason.
    page.goto(f"/musyawarah/{forum.pk}/")
    page.check(f"#pick-{forum.decisions.get(proposal__title='Usulan 3').pk}")
    page.check(f"#pick-{forum.decisions.get(proposal__title='Usulan 7').pk}")
    page.select_option("#id_bulk-outcome", value=Outcome.REJECTED)
    page.fill("#id_bulk-reason", "Sudah ditangani APBDes")
    page.click("#bulk-decide button[type=submit]")
    page.wait_for_selector(".messages")
    assert "2 usulan diputuskan: Tidak disepakati." in page.inner_text(".messages")
    assert dict(forum.decisions.exclude(outcome="").values_list("proposal__title", "reason")) == {
        "Usulan 3": "Sudah ditangani APBDes",
        "Usulan 7": "Sudah ditangani APBDes",
    }

    # Everything still waiting, accepted in one go.
    page.goto(f"/musyawarah/{forum.pk}/?tampil=menunggu")
    page.check("input[name=bulk-scope][value=shown]")
    page.select_option("#id_bulk-outcome", value=Outcome.ACCEPTED)
    page.click("#bulk-decide button[type=submit]")
    page.wait_for_selector(".messages")
    assert forum.decisions.filter(outcome=Outcome.ACCEPTED).count() == 10

    # The grid: type scores, Tab from box to box, the weighted score follows as typed.
    page.goto(f"/musyawarah/{forum.pk}/skor/")
    first = page.locator("input.score").first
    first.click()
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    assert page.locator("output.weighted").first.inner_text() == "4,20"  # (5*60 + 3*40) / 100
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.click("#score-grid button[type=submit]")
    page.wait_for_selector(".messages")
    assert "2 usulan dinilai." in page.inner_text(".messages")
    assert [str(s) for s in forum.decisions.order_by("rank").values_list("score", flat=True)[:2]] == ["4.20", "2.00"]
    assert ProposalEvent.objects.filter(action=EventAction.SCORED).count() == 2

    # The ranking fits the phone: the place box is on screen and Enter moves the item there.
    page.goto(f"/musyawarah/{forum.pk}/peringkat/")
    last = forum.decisions.get(proposal__title="Usulan 12")
    box = page.locator(f"#to-{last.pk}")
    box_right = box.bounding_box()["x"] + box.bounding_box()["width"]
    assert box_right <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box.fill("1")
    box.press("Enter")
    page.wait_for_selector(".messages")
    assert list(forum.decisions.order_by("rank").values_list("proposal__title", flat=True)[:2]) == [
        "Usulan 12",
        "Usulan 1",
    ]
    assert refused == []


def test_on_a_desktop_a_ranking_row_dragged_onto_another_takes_its_place(
    browser,  # noqa: F811
    live_server,
    forum,
    kecamatan_operator,
):
    context = browser.new_context(viewport={"width": 1366, "height": 2600}, locale="id", base_url=live_server.url)
    page = context.new_page()
    log_in(page, kecamatan_operator.username)
    page.goto(f"/musyawarah/{forum.pk}/peringkat/")
    dragged = forum.decisions.get(proposal__title="Usulan 10")
    target = forum.decisions.get(proposal__title="Usulan 2")
    page.drag_and_drop(f"#item-{dragged.pk}", f"#item-{target.pk}")
    page.wait_for_selector(".messages")
    assert list(forum.decisions.order_by("rank").values_list("proposal__title", flat=True)[:3]) == [
        "Usulan 1",
        "Usulan 10",
        "Usulan 2",
    ]


def test_on_a_phone_attendance_is_entered_as_a_table_of_rows_that_fits_the_screen(
    browser,  # noqa: F811
    live_server,
    forum,
    kecamatan_operator,
):
    page = phone_page(browser, live_server)
    log_in(page, kecamatan_operator.username)
    page.goto(f"/musyawarah/{forum.pk}/hadir/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for row, (name, element, gender) in enumerate(
        [("Siti Rahmawati", "perempuan", "P"), ("Wayan Sudarma", "delegasi", "L")]
    ):
        page.fill(f"#id_rows-{row}-name", name)
        page.select_option(f"#id_rows-{row}-element", value=element)
        page.select_option(f"#id_rows-{row}-gender", value=gender)
    page.click("form.attendance-form button[type=submit]:not([name])")
    page.wait_for_selector(".messages")
    assert sorted(forum.attendees.values_list("name", "element", "gender")) == [
        ("Siti Rahmawati", "perempuan", "P"),
        ("Wayan Sudarma", "delegasi", "L"),
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
