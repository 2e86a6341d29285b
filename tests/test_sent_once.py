"""A form that creates something is done once, however often it is sent (accounts/once.py): the
second send of the same form (a double tap on a slow line, a reload of the POST) goes where the
first went, and nothing is created twice; a send answered with errors can be corrected and sent."""

from __future__ import annotations

import re
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from accounts.models import SentForm
from forums.models import Delegate
from proposals.models import Proposal
from uploads.models import Upload

from .test_forum_pages import desa_forum, items, media  # noqa: F401  (fixtures)
from .test_spreadsheet_import import IMPORT_URL, agencies, fill, operator, row, template, upload  # noqa: F401


def token_on(page) -> str:
    return re.search(r'name="once" value="([0-9a-f-]{36})"', page.content.decode()).group(1)


def test_an_import_sent_twice_enters_its_proposals_once(operator, template):  # noqa: F811
    token = token_on(operator.get(IMPORT_URL))
    workbook = fill(template, {2: row(), 3: row(title="Sumur bor Dusun III")})

    first = upload(operator, workbook, once=token, follow=False)
    second = upload(operator, workbook, once=token, follow=False)

    assert Proposal.objects.count() == 2
    assert Upload.objects.count() == 1  # the second send was never stored nor queued
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == Upload.objects.get().get_absolute_url()
    assert "This form was sent twice; what it asked for was done once." in [
        str(m) for m in get_messages(second.wsgi_request)
    ]


def test_each_new_form_brings_its_own_token(operator, template):  # noqa: F811
    first, second = token_on(operator.get(IMPORT_URL)), token_on(operator.get(IMPORT_URL))
    workbook = fill(template, {2: row()})

    upload(operator, workbook, once=first)
    upload(operator, workbook, once=second)

    assert Proposal.objects.count() == 2  # two forms, two imports: the token is not a duplicate check


def test_a_send_with_errors_releases_its_token(client, desa_forum, village_operator):  # noqa: F811
    client.force_login(village_operator)
    url = f"/musyawarah/{desa_forum.pk}/delegasi/"
    token = token_on(client.get(url))

    refused = client.post(url, {"name": "", "gender": "P", "once": token})
    assert refused.status_code == 200 and not Delegate.objects.exists()
    assert not SentForm.objects.exists()

    assert client.post(url, {"name": "Siti Aminah", "gender": "P", "once": token_on(refused)}).status_code == 302
    assert list(Delegate.objects.values_list("name", flat=True)) == ["Siti Aminah"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections racing need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sends_racing_add_one_delegate(desa_forum, village_operator):  # noqa: F811
    url = f"/musyawarah/{desa_forum.pk}/delegasi/"
    browser = Client()
    browser.force_login(village_operator)
    token = token_on(browser.get(url))
    cookies = browser.cookies
    answers = []

    def send():
        tab = Client()
        tab.cookies = cookies
        answers.append(tab.post(url, {"name": "Budi Santoso", "gender": "L", "once": token}).status_code)
        connection.close()

    racers = [threading.Thread(target=send) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    assert answers == [302, 302]
    assert Delegate.objects.filter(forum=desa_forum).count() == 1
