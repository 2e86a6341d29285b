"""Response headers: the Content-Security-Policy on every page (no inline script or style in any
template), and `Cache-Control: private, no-store` on everything an officer is served."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

# Rendered by WeasyPrint into PDFs, never served as HTML to a browser.
PDF_TEMPLATES = {"berita_acara.html", "berita_acara_pages.html", "renja_pdf.html"}


@pytest.fixture(autouse=True)
def fast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_page_carries_a_policy_without_inline_script_or_style(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert client.get("/masuk/")["Content-Security-Policy"] == policy


def test_no_served_template_holds_inline_script_style_or_handlers():
    offenders = []
    for template in Path(django_settings.BASE_DIR, "templates").rglob("*.html"):
        if template.name in PDF_TEMPLATES:
            continue
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=\"|\son[a-z]+=\"", text):
            offenders.append(str(template.relative_to(django_settings.BASE_DIR)))
    assert offenders == []


def test_an_officers_pages_exports_and_files_are_private(client, village_operator, intake, pupr):
    client.force_login(village_operator)
    for url in ("/usulan/", "/usulan/?_export=csv", "/musyawarah/", "/kotak-masuk/"):
        cache = client.get(url)["Cache-Control"]
        assert "private" in cache and "no-store" in cache, url


def test_public_pages_stay_cacheable(client, db):
    assert "private" not in client.get("/").get("Cache-Control", "")
