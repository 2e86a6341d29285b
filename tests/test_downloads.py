"""Big list downloads built by the background worker: the request saves and queues, the officer
watches a progress page, and only that officer can open the page and the file.

EXPORT_INLINE_ROWS is lowered to 2 so that three proposals count as "big". Tasks run at once
(conftest), except where the database queue is set to show the page before the worker runs.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from downloads.models import Download, State
from downloads.tasks import build_download

from .factories import ProposalFactory

TITLES = ["Sumur bor mushola", "Rabat beton jalan dusun", "Drainase jalan poros"]
# What each village wrote as the problem: the list's search reads it too.
PROBLEMS = ["Air bersih jauh", "Jalan tanah licin", "Genangan di jalan poros"]


@pytest.fixture
def big(settings):
    settings.EXPORT_INLINE_ROWS = 2
    return settings


@pytest.fixture
def drafts(village_operator, intake):
    return [
        ProposalFactory(
            village=village_operator.region,
            created_by=village_operator,
            title=title,
            problem=problem,
            estimated_cost=cost,
        )
        for title, problem, cost in zip(TITLES, PROBLEMS, (40_000_000, 150_000_000, 90_000_000), strict=True)
    ]


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_small_download_is_answered_in_the_request(english, village_operator, drafts):
    english.force_login(village_operator)

    response = english.get("/usulan/?_export=csv&sort=title")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[1] for row in rows[1:]] == sorted(TITLES)
    assert not Download.objects.exists()


def test_a_big_download_goes_to_the_worker_and_its_page_links_the_file(english, big, village_operator, drafts):
    english.force_login(village_operator)

    response = english.get("/usulan/?_export=xlsx&sort=-estimated_cost&page=2")

    download = Download.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/unduhan/{download.pk}/"
    assert (download.user, download.state, download.done, download.total) == (village_operator, State.DONE, 3, 3)
    assert download.label == "Proposal list, XLSX, 3 rows"
    # The page number is not carried over: the file holds every page.
    assert download.params["query"] == "_export=xlsx&sort=-estimated_cost"
    page = english.get(response["Location"])
    assert "The file is ready." in page_text(page) and 'http-equiv="refresh"' not in page_text(page)
    assert f'href="/unduhan/{download.pk}/berkas/"' in page_text(page)
    file = english.get(f"/unduhan/{download.pk}/berkas/")
    assert file["Content-Disposition"] == 'attachment; filename="usulan.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(file.streaming_content))).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Rabat beton jalan dusun", "Drainase jalan poros", "Sumur bor mushola"]


def test_the_page_and_file_belong_to_the_officer_who_asked(
    client, big, village_operator, neighbour_village_operator, kecamatan_operator, admin_user, drafts
):
    client.force_login(village_operator)
    address = client.get("/usulan/?_export=csv")["Location"]
    download = Download.objects.get()

    for other in (neighbour_village_operator, kecamatan_operator, admin_user):
        client.force_login(other)
        assert client.get(address).status_code == 404
        assert client.get(f"{address}berkas/").status_code == 404
    client.logout()
    assert client.get(f"{address}berkas/")["Location"].startswith("/masuk/")
    assert client.get("/unduhan/not-a-uuid/").status_code == 404
    assert Download.objects.get().pk == download.pk


def test_while_the_worker_has_not_run_the_page_says_so_and_refreshes(english, big, settings, village_operator, drafts):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    english.force_login(village_operator)

    address = english.get("/usulan/?_export=sipd-csv")["Location"]

    download = Download.objects.get()
    page = english.get(address)
    assert (download.state, download.done, download.total) == (State.QUEUED, 0, 3)
    assert "Waiting for the worker." in page_text(page)
    assert '<meta http-equiv="refresh" content="3">' in page.content.decode()
    assert english.get(f"{address}berkas/").status_code == 404

    assert build_download.call(str(download.pk)) == State.DONE

    download.refresh_from_db()
    assert (download.state, download.done, download.total) == (State.DONE, 3, 3)
    body = b"".join(english.get(f"{address}berkas/").streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body), delimiter=";" if ";" in body.splitlines()[0] else ","))
    assert header[:3] == ["ID Usulan", "Tanggal Usul", "Pengusul"]
    # SIPD's "Usulan" is the title, then what is to be built.
    assert sorted(row[4].split(":")[0] for row in rows) == sorted(TITLES)
    # Built once: running the task again changes nothing.
    assert build_download.call(str(download.pk)) == State.DONE


def test_the_worker_keeps_the_filters_the_officer_chose(english, big, village_operator, drafts):
    big.EXPORT_INLINE_ROWS = 1
    english.force_login(village_operator)

    english.get("/usulan/?_export=csv&q=jalan&sort=title")

    download = Download.objects.get()
    assert download.total == 2
    rows = list(csv.reader(io.StringIO(download.file.read().decode())))
    assert [row[1] for row in rows[1:]] == ["Drainase jalan poros", "Rabat beton jalan dusun"]


def test_an_account_closed_before_the_worker_ran_gets_no_file(english, big, settings, village_operator, drafts):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    english.force_login(village_operator)
    address = english.get("/usulan/?_export=csv")["Location"]
    download = Download.objects.get()
    village_operator.is_active = False
    village_operator.save()

    assert build_download.call(str(download.pk)) == State.FAILED

    download.refresh_from_db()
    assert (download.state, download.file.name) == (State.FAILED, "")
    assert download.error == "The account that asked for this file is no longer active."
    village_operator.is_active = True
    village_operator.save()
    english.force_login(village_operator)
    assert "The file could not be built. The account that asked" in page_text(english.get(address))


def test_week_old_downloads_are_deleted_with_their_files(english, big, settings, tmp_path, village_operator, drafts):
    settings.MEDIA_ROOT = tmp_path
    english.force_login(village_operator)
    english.get("/usulan/?_export=csv")
    english.get("/usulan/?_export=xlsx")
    old, recent = Download.objects.order_by("created_at")
    Download.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    old_file, recent_file = tmp_path / old.file.name, tmp_path / recent.file.name
    assert old_file.exists() and recent_file.exists()
    out = io.StringIO()

    call_command("prune_downloads", stdout=out)

    assert out.getvalue().strip() == "1 downloads deleted."
    assert list(Download.objects.all()) == [recent]
    assert not old_file.exists() and recent_file.exists()
    assert english.get(f"/unduhan/{old.pk}/").status_code == 404
