"""In a real Chromium, over the demo's figures: on a wide screen each section of the staff dashboard
and of the public statistics shows its chart and its table side by side; on a 360 px phone the
table is folded under its chart, one tap away, and the page never scrolls sideways (issue 14)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dashboards import summaries

from .browser import PHONE, browser, log_in  # noqa: F401  (browser is a fixture)
from .test_browser_axe import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1366, "height": 900}
SECTIONS = ["by-region", "by-status", "by-level", "by-sector", "ceilings"]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=io.StringIO())
    summaries.refresh()  # the country's pages read the summaries


def dashboards(browser, live_server, viewport):  # noqa: F811
    """The public statistics, then the country's staff dashboard (the demo's admin), both for
    the whole country: yields (name, page) with the page loaded."""
    context = browser.new_context(viewport=viewport, locale="id", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/statistik/")
    yield "public", page
    log_in(page, "admin", password="musrenbang")
    page.goto("/dasbor/")
    yield "staff", page
    context.close()


def box(page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found, f"{selector} is not laid out"
    return found


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_wide_screen_each_chart_sits_beside_its_open_table(browser, live_server, demo):  # noqa: F811
    for name, page in dashboards(browser, live_server, DESKTOP):
        for section in SECTIONS:
            chart, table = box(page, f"#{section} svg.chart"), box(page, f"#{section} table")
            where = f"{name} #{section}"
            assert page.locator(f"#{section} details.table-fold").get_attribute("open") is not None, where
            assert page.locator(f"#{section} table").is_visible(), where
            assert not page.locator(f"#{section} details.table-fold > summary").is_visible(), where
            # Side by side: the tops level, the table in its own column right of the chart.
            assert abs(chart["y"] - table["y"]) < 16, (where, chart, table)
            assert table["x"] >= chart["x"] + chart["width"], (where, chart, table)
            # ...and the section ends with the taller of the two: nothing stacked under them.
            whole = box(page, f"#{section}")
            bottom = max(chart["y"] + chart["height"], table["y"] + table["height"])
            assert whole["y"] + whole["height"] <= bottom + 16, (where, whole, chart, table)
        assert no_sideways_scroll(page), name


def test_on_a_phone_the_tables_fold_under_their_charts_and_open_on_a_tap(browser, live_server, demo):  # noqa: F811
    for name, page in dashboards(browser, live_server, PHONE):
        assert no_sideways_scroll(page), name
        for section in SECTIONS:
            where = f"{name} #{section}"
            assert page.locator(f"#{section} svg.chart").is_visible(), where
            assert page.locator(f"#{section} details.table-fold:not([open]) table").count() == 1, where
            assert not page.locator(f"#{section} table").is_visible(), where
            toggle = box(page, f"#{section} details.table-fold > summary")
            assert toggle["height"] >= 44, where

        summary = page.locator("#by-sector summary")
        assert summary.text_content() == "Lihat tabel: Perkiraan biaya menurut bidang urusan", name
        summary.click()
        assert page.locator("#by-sector details.table-fold").get_attribute("open") is not None, name
        table = page.locator("#by-sector table")
        assert table.is_visible() and "Pekerjaan Umum dan Penataan Ruang" in table.inner_text(), name
        container = box(page, "#by-sector .table-container")
        assert container["x"] >= 0 and container["x"] + container["width"] <= PHONE["width"], name
        assert no_sideways_scroll(page), name
        # Wider than the phone, the table scrolls in its box; opened, the box is keyboard-reachable too.
        scroller = page.locator("#by-sector .table-container")
        assert scroller.evaluate("(e) => e.scrollWidth > e.clientWidth"), name
        assert scroller.get_attribute("tabindex") == "0" and scroller.get_attribute("role") == "region", name
        assert serious(page) == [], name

        # On paper every table is there, folded on the screen or not.
        page.emulate_media(media="print")
        for section in SECTIONS:
            assert page.locator(f"#{section} table").is_visible(), f"print {name} #{section}"
        page.emulate_media(media="screen")
