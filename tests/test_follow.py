"""Following a proposal by e-mail (public/follow.py), against a real SMTP server on 127.0.0.1:
double opt-in, news when a forum that decided it is approved, a one-click stop (RFC 8058), and
nothing that tells whether an address follows anything (issue 14)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from forums import workflow as forums_workflow
from public.models import Follower

from .test_forum_pages import desa_forum, items, prepare  # noqa: F401  (fixtures)
from .test_mail import BASE, mail, smtp_server  # noqa: F401  (fixtures)
from .test_public import media  # noqa: F401  (fixture)

ADDRESS = "warga.kalirejo@contoh.id"


@pytest.fixture
def followed(items):  # noqa: F811
    return items[0]


def track_url(proposal) -> str:
    return f"/lacak/{proposal.tracking_code}/"


def link_in(message, pattern: str) -> str:
    return re.search(pattern, message.get_content()).group(0)


def test_following_is_confirmed_by_the_mailed_link_before_any_news(client, mail, followed):  # noqa: F811
    page = client.get(track_url(followed), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'action="/lacak/' in page and "Ikuti usulan ini" in page

    asked = client.post(f"{track_url(followed)}ikuti/", {"email": ADDRESS}, HTTP_ACCEPT_LANGUAGE="id")
    again = client.post(f"{track_url(followed)}ikuti/", {"email": ADDRESS.upper()})

    assert asked.status_code == again.status_code == 302
    [message] = mail.received()  # the second ask within ten minutes mails nothing
    assert message["To"] == ADDRESS
    assert message["Subject"] == f"Konfirmasi: ikuti usulan {followed.tracking_code}"
    link = link_in(message, rf"{re.escape(BASE)}/ikuti/[A-Za-z0-9_-]{{43}}/")
    follower = Follower.objects.get()
    assert follower.confirmed_at is None

    # Opening the link only shows a button (a mail scanner confirms nothing); pressing it confirms.
    path = link.removeprefix(BASE)
    assert "Ya, kirimi saya kabarnya" in client.get(path, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    follower.refresh_from_db()
    assert follower.confirmed_at is None
    assert client.post(path).status_code == 302
    follower.refresh_from_db()
    assert follower.confirmed_at is not None


def test_an_approval_mails_the_news_with_a_one_click_stop(client, mail, followed, desa_forum, village_operator):  # noqa: F811
    unconfirmed = Follower.objects.create(proposal=followed, email="belum@contoh.id", token="b" * 43)
    Follower.objects.create(proposal=followed, email=ADDRESS, token="a" * 43, confirmed_at=unconfirmed.asked_at)

    prepare(desa_forum, village_operator)
    forums_workflow.approve_forum(actor=village_operator, forum=desa_forum)

    [news] = mail.received()
    assert news["To"] == ADDRESS  # the unconfirmed address hears nothing
    assert news["Subject"] == f"Kabar usulan {followed.tracking_code}: {followed.title}"
    body = " ".join(news.get_content().split())
    assert "Posisinya sekarang: " in body and f"{BASE}/lacak/{followed.tracking_code}/" in body
    stop = f"{BASE}/ikuti/{'a' * 43}/berhenti/"
    assert news["List-Unsubscribe"] == f"<{stop}>"
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # A mail program's one-click stop: a bare POST, no form, no CSRF token.
    answer = Client(enforce_csrf_checks=True).post(
        stop.removeprefix(BASE), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 302
    assert list(Follower.objects.values_list("email", flat=True)) == ["belum@contoh.id"]


def test_a_bad_address_is_refused_in_words_and_kept(client, mail, followed):  # noqa: F811
    response = client.post(f"{track_url(followed)}ikuti/", {"email": "warga@"}, HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Isikan alamat surel seperti nama@contoh.id." in page and 'value="warga@"' in page
    assert not Follower.objects.exists() and mail.received() == []


def test_unknown_links_are_404_and_without_mail_there_is_no_following(client, settings, followed):
    assert client.get(f"/ikuti/{'z' * 43}/").status_code == 404
    assert client.post(f"/ikuti/{'z' * 43}/berhenti/").status_code == 404

    settings.MAILERS = {}
    assert "Ikuti usulan ini" not in client.get(track_url(followed), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert client.post(f"{track_url(followed)}ikuti/", {"email": ADDRESS}).status_code == 404
    assert not Follower.objects.exists()
