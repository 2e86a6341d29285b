"""The error pages (templates/400.html, 403.html, 404.html, 500.html): in the site's frame and the
reader's language, saying what happened and offering a way on; and the favicon."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error


@pytest.fixture(autouse=True)
def fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_missing_page_is_a_404_in_the_sites_frame_and_language(client, db):
    page = client.get("/tidak-ada-halaman-ini/")
    assert page.status_code == 404
    html = page.content.decode()
    assert '<html lang="id">' in html and "Halaman tidak ditemukan" in html
    assert 'class="site-header"' in html  # the header, with its links
    assert 'href="/lacak/"' in html or "Lacak usulan" in html

    english = client.get("/tidak-ada-halaman-ini/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in english.content.decode() and '<html lang="en">' in english.content.decode()


def test_an_officer_out_of_scope_gets_the_404_page_with_a_way_back_to_their_work(
    client, other_kecamatan_operator, ladder
):
    client.force_login(other_kecamatan_operator)
    page = client.get("/musyawarah/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 404
    html = page.content.decode()
    assert "Page not found" in html and 'href="/usulan/"' in html and "To my proposals" in html


def test_a_forbidden_step_gets_the_403_page(client, kecamatan_operator, ladder):
    client.force_login(kecamatan_operator)
    page = client.get("/usulan/ajukan-draf/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 403
    assert (
        "Not allowed" in page.content.decode() and "ask the officer who manages your account" in page.content.decode()
    )


def test_a_bad_host_gets_the_400_page(client, db, settings):
    settings.ALLOWED_HOSTS = ["musrenbang.example"]
    page = client.get("/", HTTP_HOST="penyerang.example", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert "Bad request" in page.content.decode() and "Nothing was changed." in page.content.decode()


def test_the_500_page_renders_without_a_database_or_a_user(db):
    request = RequestFactory().get("/")
    with translation.override("id"):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan" in html and 'href="/"' in html and "css/app.css" in html


def test_the_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("img/favicon.ico")
    assert finders.find("img/favicon.ico") and finders.find("img/favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()
