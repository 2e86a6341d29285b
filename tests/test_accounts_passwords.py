"""Passwords: the one-time set-password links a Bappeda prints (accounts/passwords.py), and every
officer's own password change (/akun/sandi/). Only the clock is replaced, to let a link expire.
Page text is read in English unless a test says otherwise.
"""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.test import RequestFactory

from accounts.models import Role, User

from .factories import UserFactory

NEW_PASSWORD = "Sawah-Hijau-2031"


@pytest.fixture
def bappeda(client, bappeda_kabupaten):
    client.force_login(bappeda_kabupaten)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def newcomer(ladder):
    """An account as the Bappeda's form leaves it: no password that works yet."""
    account = UserFactory(username="desa.purwodadi", role=Role.VILLAGE_OPERATOR, region=ladder["18.02.02.2001"])
    account.set_unusable_password()
    account.save()
    return account


def sheet_links(response) -> dict[str, str]:
    """username -> the set-password link (its path) printed on the sheet."""
    page = response.content.decode()
    found = re.findall(
        r'<li class="slip" id="slip-\d+">.*?<dd class="code slip-username">([^<]+)</dd>.*?'
        r'<dd class="slip-link"><a href="http://testserver([^"]+)">',
        page,
        re.S,
    )
    return {html.unescape(username): path for username, path in found}


def link_for(client, account) -> str:
    response = client.post(f"/akun/{account.pk}/tautan-sandi/", follow=True)
    assert response.redirect_chain == [("/akun/lembar-sandi/", 302)]
    return sheet_links(response)[account.username]


def set_password(client, link: str, password: str = NEW_PASSWORD):
    """Follow the link as the officer would (anonymous), and choose a password on its page."""
    client.logout()
    opened = client.get(link, follow=True)
    form_url = opened.redirect_chain[-1][0] if opened.redirect_chain else link
    return opened, client.post(form_url, {"new_password1": password, "new_password2": password}, follow=True)


def test_the_sheet_prints_the_username_a_link_and_its_qr_code_for_the_batch(bappeda, newcomer, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    response = bappeda.post(f"/akun/{newcomer.pk}/tautan-sandi/", follow=True)
    page = response.content.decode()
    links = sheet_links(response)
    assert list(links) == ["desa.purwodadi"]
    assert re.fullmatch(r"/akun/sandi/atur/[A-Za-z0-9_-]+/[0-9a-z]+-[0-9a-f]+/", links["desa.purwodadi"])
    assert page.count('<img class="slip-qr" src="data:image/svg+xml') == 1
    assert "Each link works once, until" in page
    assert 'href="/static/css/accounts.css"' in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_link_sets_the_password_once(bappeda, client, newcomer):
    link = link_for(bappeda, newcomer)
    opened, done = set_password(client, link)
    assert 'For the account <strong class="code">desa.purwodadi</strong>.' in opened.content.decode()
    assert done.redirect_chain[-1][0] == "/akun/sandi/atur/selesai/"
    assert "Your password is set." in done.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert client.login(request=RequestFactory().post("/masuk/"), username="desa.purwodadi", password=NEW_PASSWORD)

    again, _ = set_password(client, link, "Another-Pass-4321")
    assert "This link no longer works: it has been used already, or it has expired." in again.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_a_link_expires_after_the_password_reset_timeout(bappeda, client, newcomer, settings, monkeypatch):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    link = link_for(bappeda, newcomer)
    later = datetime.datetime.now() + datetime.timedelta(seconds=3601)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    opened, _ = set_password(client, link)
    assert "This link no longer works" in opened.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_a_link_for_a_deactivated_account_does_not_work(bappeda, client, newcomer):
    link = link_for(bappeda, newcomer)
    User.objects.filter(pk=newcomer.pk).update(is_active=False)
    opened, _ = set_password(client, link)
    assert "This link no longer works" in opened.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_a_deactivated_account_gets_no_new_link(bappeda, newcomer):
    User.objects.filter(pk=newcomer.pk).update(is_active=False)
    response = bappeda.post(f"/akun/{newcomer.pk}/tautan-sandi/", follow=True)
    assert "Reactivate the account before issuing a set-password link." in response.content.decode()
    assert response.redirect_chain == [(f"/akun/{newcomer.pk}/", 302)]


def test_a_new_link_resets_a_forgotten_password_and_the_old_one_works_until_then(bappeda, client, village_operator):
    link = link_for(bappeda, village_operator)
    village_operator.refresh_from_db()
    assert village_operator.check_password("rahasia-uji-123")
    set_password(client, link)
    village_operator.refresh_from_db()
    assert village_operator.check_password(NEW_PASSWORD)
    assert not village_operator.check_password("rahasia-uji-123")


def test_the_link_is_a_weak_password_away_from_working(bappeda, client, newcomer):
    _, response = set_password(client, link_for(bappeda, newcomer), "12345678")
    page = html.unescape(response.content.decode())
    assert "This password is too common." in page
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_the_sheet_shows_only_accounts_the_manager_still_manages(bappeda, client, newcomer, other_bappeda_kabupaten):
    session = client.session
    session["accounts:sheet"] = [newcomer.pk, other_bappeda_kabupaten.pk, "x"]
    session.save()
    assert list(sheet_links(client.get("/akun/lembar-sandi/"))) == ["desa.purwodadi"]


def test_the_sheet_without_a_batch_says_what_to_do(bappeda):
    page = bappeda.get("/akun/lembar-sandi/").content.decode()
    assert "No accounts to print" in page


# --- one's own password ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["village_operator", "agency_officer", "bappeda_provinsi", "admin_user"])
def test_every_officer_changes_their_own_password(persona, client, request, db):
    officer = request.getfixturevalue(persona)
    client.force_login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/akun/sandi/").content.decode()
    assert 'name="old_password"' in page
    response = client.post(
        "/akun/sandi/",
        {"old_password": "rahasia-uji-123", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [("/akun/sandi/selesai/", 302)]
    assert "Your new password is in use" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    # The session that changed the password stays logged in.
    assert client.get("/akun/sandi/").status_code == 200


def test_a_wrong_old_password_changes_nothing_and_says_so_in_indonesian(client, village_operator):
    client.force_login(village_operator)
    response = client.post(
        "/akun/sandi/", {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert "Sandi lama Anda yang dimasukkan salah. Masukkan sekali lagi." in html.unescape(response.content.decode())
    assert "Ubah kata sandi saya" in response.content.decode()
    village_operator.refresh_from_db()
    assert village_operator.check_password("rahasia-uji-123")


def test_the_password_page_needs_a_login(client, ladder):
    response = client.get("/akun/sandi/")
    assert (response.status_code, response["Location"]) == (302, "/masuk/?next=/akun/sandi/")
