"""In a real Chromium: a big phone photo is made smaller in the browser before it is sent."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from .browser import browser, log_in, phone_page  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def big_jpeg(size=(4000, 3000)) -> bytes:
    image = Image.frombytes("RGB", size, random.Random(5).randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_a_big_photo_is_resized_in_the_phone_before_upload(
    browser,  # noqa: F811
    live_server,
    intake,
    village_operator,
):
    original = big_jpeg()
    page = phone_page(browser, live_server)
    log_in(page, village_operator.username)
    page.goto("/usulan/baru/")

    page.set_input_files("#id_photos", files=[{"name": "IMG_1.jpg", "mimeType": "image/jpeg", "buffer": original}])
    # Polled from here: Playwright's own wait_for_function evaluates a string, which the page's CSP forbids.
    for _ in range(100):
        if page.evaluate("document.querySelector('#id_photos').dataset.resized"):
            break
        page.wait_for_timeout(100)

    chosen = page.evaluate(
        "(() => { const f = document.querySelector('#id_photos').files[0];"
        " return {name: f.name, type: f.type, size: f.size}; })()"
    )
    assert chosen["name"] == "IMG_1.jpg" and chosen["type"] == "image/jpeg"
    assert chosen["size"] < len(original) / 4
