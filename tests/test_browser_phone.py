"""In a real Chromium at 360 px: the proposal list is a stack of cards with every value on screen,
its filters fold behind one button that counts them, the header's targets are big enough, and a
form sent with errors puts the focus on its summary and "Kesalahan:" in the title (issue 14)."""

from __future__ import annotations

import pytest

from proposals import workflow
from proposals.models import Status

from .browser import browser, log_in, phone_page  # noqa: F401  (browser is a fixture)
from .factories import ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_proposal_list_is_cards_with_status_and_cost_in_view(browser, live_server, intake, village_operator):  # noqa: F811
    for n in range(3):
        draft = ProposalFactory(
            village=village_operator.region,
            created_by=village_operator,
            title=f"Rabat beton jalan Dusun {n + 1} sepanjang tiga ratus meter",
            estimated_cost=150_000_000 + n,
        )
        workflow.submit_proposal(actor=village_operator, proposal=draft)
    page = phone_page(browser, live_server)
    log_in(page, village_operator.username)
    page.goto("/usulan/?status=" + Status.SUBMITTED)

    assert no_sideways_scroll(page)
    first = page.locator("tbody tr").first
    cells = {
        label: first.locator(f'td[data-label="{label}"]')
        for label in ("Kode", "Judul", "Desa/Kelurahan", "Status", "Perkiraan biaya", "Tanggal input")
    }
    for label, cell in cells.items():
        box = cell.bounding_box()
        assert cell.is_visible() and box and box["x"] >= 0 and box["x"] + box["width"] <= 360, label
    assert "Diajukan" in cells["Status"].inner_text()
    assert "Rp150.000.00" in cells["Perkiraan biaya"].inner_text()

    # The filters fold behind one button that counts what is set (here: the status).
    toggle = page.locator("details.filter-toggle > summary")
    assert toggle.inner_text().strip() == "Saringan (1 aktif)"
    assert not page.locator("form.filters").is_visible()
    toggle.click()
    assert page.locator("form.filters").is_visible()


def test_the_header_targets_are_44_px_high(browser, live_server, village_operator):  # noqa: F811
    page = phone_page(browser, live_server)
    log_in(page, village_operator.username)
    page.goto("/usulan/")
    heights = """[...document.querySelectorAll('.site-header a, .site-header button, .site-header summary')]
        .filter((e) => e.checkVisibility()).map((e) => [e.textContent.trim(), e.getBoundingClientRect().height])"""
    # The links fold behind "Menu": the brand, the menu and the language switch share the first row.
    shown = page.evaluate(heights)
    assert [text for text, _height in shown] == ["Musrenbang", "Menu", "ID", "EN"], shown
    assert page.locator(".site-header").bounding_box()["height"] < 70
    assert all(height >= 44 for _text, height in shown), shown

    page.locator(".nav-menu > summary").click()
    opened = page.evaluate(heights)
    assert {"Usulan", "Keluar"} <= {text for text, _height in opened}, opened
    assert all(height >= 44 for _text, height in opened), opened
    assert no_sideways_scroll(page)


def test_a_form_with_errors_focuses_its_summary_and_says_so_in_the_title(
    browser,  # noqa: F811
    live_server,
    intake,
    village_operator,
):
    page = phone_page(browser, live_server)
    log_in(page, village_operator.username)
    page.goto("/usulan/baru/")
    page.click("form.proposal-form button[type=submit]")
    page.wait_for_load_state()

    assert page.title().startswith("Kesalahan: ")
    assert page.evaluate("document.activeElement.id") == "form-errors"
    border = page.evaluate("getComputedStyle(document.querySelector('#id_title')).borderTopColor")
    assert border == "rgb(166, 27, 27)"  # --danger
    assert no_sideways_scroll(page)
