"""Driving Debian's Chromium with Playwright for the browser tests.

Playwright cannot download its own browser here, so it launches the system Chromium. The flags
keep Chromium from reaching out to the network, which this machine does not have.
"""

import os
import shutil

import pytest
from django.db import connections

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install chromium) — browser test skipped")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
        # The ORM calls made while Playwright's event loop ran in this thread left a database
        # connection that pytest-django's teardown does not close; dropping the test database
        # at the end of the run would then find "1 other session" still using it.
        connections.close_all()


def phone_page(browser, live_server, *, language="id", confirm=True):
    """A phone-sized page; `confirm` answers the "are you sure?" of an irreversible step (static/js/app.js)
    with OK, as the user walking on would (None: the test answers them itself)."""
    context = browser.new_context(viewport=PHONE, locale=language, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    if confirm:
        page.on("dialog", lambda dialog: dialog.accept())
    return page


def log_in(page, username, password="rahasia-uji-123"):
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
