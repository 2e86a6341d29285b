"""The maps in a real Chromium (static/js/map.js), with no tile server set: the proposal list's map
draws its markers (clustered) over the region names and says how many proposals have no point,
and not one request leaves this machine; on the proposal form a tap on the map fills the
coordinates, "Gunakan lokasi saya" fills them from the phone's location, and typed coordinates
move the marker (issue 15)."""

from __future__ import annotations

import time
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from .browser import PHONE, browser, log_in, phone_page  # noqa: F401  (browser is a fixture)
from .factories import ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def until(page, script: str, timeout: float = 10.0):
    """Poll `script` in the page until it is truthy (the CSP forbids wait_for_function's eval)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(script)
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def outside_requests(page) -> list[str]:
    """Every request the page makes to another host than the test server, collected as it goes."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_the_list_map_draws_its_markers_offline_and_counts_the_unplaced(
    browser,  # noqa: F811
    live_server,
    intake,
    bappeda_kabupaten,
    ladder,
):
    for n, code in enumerate(["18.02.01.2003", "18.02.01.2003", "18.02.01.2001", "18.02.02.2001"]):
        ProposalFactory(
            village=ladder[code],
            title=f"Titik {n}",
            submitted=True,
            latitude=Decimal("-4.9") + Decimal(n) / 10,
            longitude=Decimal("105.1") + Decimal(n) / 10,
        )
    ProposalFactory(village=ladder["18.02.01.2003"], title="Tanpa titik", submitted=True)
    page = phone_page(browser, live_server)
    requests = outside_requests(page)
    log_in(page, bappeda_kabupaten.username)
    page.goto("/usulan/")

    shown = until(page, "document.querySelector('[data-map]').dataset.shown")
    assert shown == "4"
    markers = page.locator(".map path.leaflet-interactive, .map .marker-cluster")
    assert markers.count() >= 1
    assert page.locator(".map-note").inner_text() == "1 usulan belum berkoordinat dan tidak tampil di peta."
    assert sorted(page.locator(".map-label").all_inner_texts()) == ["Bangun Rejo", "Kalirejo"]
    assert page.get_by_role("region", name="Peta usulan dalam daftar ini").is_visible()
    # No tile server: nothing but this site is asked for anything.
    page.wait_for_timeout(500)
    host = urlsplit(live_server.url).netloc
    assert [url for url in requests if urlsplit(url).netloc != host and not url.startswith("data:")] == []


def test_a_tap_on_the_form_map_fills_the_coordinates_and_typing_moves_the_marker(
    browser,  # noqa: F811
    live_server,
    intake,
    village_operator,
):
    page = phone_page(browser, live_server)
    requests = outside_requests(page)
    log_in(page, village_operator.username)
    page.goto("/usulan/baru/")
    picker = page.locator("[data-map-picker] .map")
    picker.scroll_into_view_if_needed()

    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert -11.2 <= latitude <= 6.3 and 94.8 <= longitude <= 141.1
    assert page.locator("[data-map-picker] .map-note").inner_text() == "Usulan ditandai di tempat yang Anda ketuk."

    page.fill("#id_latitude", "-4.912345")
    page.fill("#id_longitude", "105.123456")
    marker = until(
        page,
        "(() => { const m = document.querySelector('[data-map-picker] path.leaflet-interactive');"
        " const c = document.querySelector('[data-map-picker] .map').getBoundingClientRect();"
        " if (!m) return null; const r = m.getBoundingClientRect();"
        " return [r.x + r.width / 2 - c.x - c.width / 2, r.y + r.height / 2 - c.y - c.height / 2]; })()",
    )
    # The typed point is where the map now centres, give or take the marker's own pixels.
    assert abs(marker[0]) < 3 and abs(marker[1]) < 3
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    host = urlsplit(live_server.url).netloc
    assert [url for url in requests if urlsplit(url).netloc != host and not url.startswith("data:")] == []


def test_use_my_location_fills_the_coordinates_from_the_phone(
    browser,  # noqa: F811
    live_server,
    intake,
    village_operator,
):
    context = browser.new_context(
        viewport=PHONE,
        locale="id",
        base_url=live_server.url,
        geolocation={"latitude": -4.876543, "longitude": 105.234567},
        permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, village_operator.username)
    page.goto("/usulan/baru/")

    page.get_by_role("button", name="Gunakan lokasi saya").click()

    until(page, "document.querySelector('#id_latitude').value !== ''")
    assert (page.input_value("#id_latitude"), page.input_value("#id_longitude")) == ("-4.876543", "105.234567")
    assert page.locator("[data-map-picker] .map-note").inner_text() == (
        "Lokasi Anda ditandai di peta; periksa, dan ketuk peta untuk membetulkannya."
    )
