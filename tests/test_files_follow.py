"""Files follow the database (musrenbang/files.py): a failure after a file was written
leaves no file; a storage that refuses gives a clear message and keeps what was typed; and
`manage.py orphan_files` finds (and removes) what a crash left anyway."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from forums.models import ForumScan
from planning import workflow as planning_workflow
from proposals import workflow
from proposals.models import AttachmentKind, Proposal
from proposals.workflow import NewFile
from regions.models import Office

from .factories import ProposalFactory
from .test_forum_scans import desa, pdf_bytes, upload_attendance  # noqa: F401  (fixture)
from .test_intake import form_data, pdf, photo, stored_files
from .test_letterheads import ADDRESS, edit_url, png


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the failure is injected with a PostgreSQL trigger")
def test_a_database_failure_after_the_files_were_written_leaves_no_file(village_operator, intake, media_root):
    # The history event is the last thing written, after the files: make the database refuse it.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_event() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END; $$"
            " LANGUAGE plpgsql;"
            " CREATE TRIGGER refuse_event BEFORE INSERT ON proposals_proposalevent"
            " FOR EACH ROW EXECUTE FUNCTION refuse_event();"
        )
    draft = ProposalFactory.build(village=village_operator.region, created_by=village_operator)
    files = [
        NewFile(AttachmentKind.PHOTO, photo("jalan.jpg", "JPEG"), "image/jpeg"),
        NewFile(AttachmentKind.PROPOSAL_DOCUMENT, pdf("proposal.pdf"), "application/pdf"),
    ]

    with pytest.raises(DatabaseError), transaction.atomic():
        workflow.create_proposal(actor=village_operator, proposal=draft, new_files=files)

    assert stored_files(media_root) == []
    assert not Proposal.objects.exists()


def test_a_storage_that_refuses_gives_a_message_and_keeps_the_typing(
    client, village_operator, intake, settings, tmp_path
):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"  # every write fails: the disk is "full"
    client.force_login(village_operator)

    response = client.post(
        "/usulan/baru/",
        {**form_data(title="Sumur bor Dusun III"), "photos": [photo("sumur.jpg", "JPEG")]},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The files could not be stored: the server&#x27;s storage refused them. Nothing was saved" in page
    assert 'value="Sumur bor Dusun III"' in page
    assert not Proposal.objects.exists()


def test_orphan_files_are_listed_then_removed_and_named_files_stay(village_operator, intake, media_root):
    proposal = ProposalFactory(village=village_operator.region, created_by=village_operator)
    kept = workflow.update_proposal(
        actor=village_operator,
        proposal=proposal,
        new_files=[NewFile(AttachmentKind.PHOTO, photo("jalan.jpg", "JPEG"), "image/jpeg")],
    ).attachments.get()
    stray = media_root / "lampiran" / "sisa-crash.jpg"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left behind")
    an_hour_ago = time.time() - 2 * 3600
    os.utime(stray, (an_hour_ago, an_hour_ago))
    fresh = media_root / "lampiran" / "sedang-diunggah.jpg"  # a file younger than an hour: on its way
    fresh.write_bytes(b"uploading")

    listed = io.StringIO()
    call_command("orphan_files", stdout=listed)
    assert listed.getvalue().splitlines() == [
        "lampiran/sisa-crash.jpg",
        "1 file(s) no row names found (run with --delete to remove them).",
    ]
    assert stray.exists()

    call_command("orphan_files", "--delete", stdout=io.StringIO())
    assert not stray.exists() and fresh.exists()
    assert (media_root / kept.file.name).exists()


# --- the other uploads: a forum's scans, a unit's letterhead logo -----------------------------


def refusing_storage(settings, tmp_path):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"


def test_a_refused_scan_is_named_in_a_message_and_nothing_is_kept(client, desa, village_operator, settings, tmp_path):  # noqa: F811
    refusing_storage(settings, tmp_path)
    client.force_login(village_operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = upload_attendance(client, desa, "daftar-hadir.pdf", pdf_bytes())

    assert "The file could not be stored: the server&#x27;s storage refused it. Nothing was saved" in (
        response.content.decode()
    )
    assert not ForumScan.objects.exists()


def test_a_refused_logo_keeps_the_letterhead_as_typed(client, bappeda_kabupaten, ladder, settings, tmp_path):
    refusing_storage(settings, tmp_path)
    client.force_login(bappeda_kabupaten)

    response = client.post(edit_url(ladder["18.02.01"]), {"address": ADDRESS, "logo": png()}, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file could not be stored: the server&#x27;s storage refused it." in page
    assert f'value="{ADDRESS}"' in page or f">{ADDRESS}</textarea>" in page
    assert not Office.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the failure is injected with a PostgreSQL trigger")
def test_a_logo_whose_row_is_refused_leaves_no_file(bappeda_kabupaten, ladder, media_root):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_office() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END; $$"
            " LANGUAGE plpgsql;"
            " CREATE TRIGGER refuse_office BEFORE INSERT ON regions_office"
            " FOR EACH ROW EXECUTE FUNCTION refuse_office();"
        )
    office = Office(region=ladder["18.02.01"], address="Jl. Raya", logo=png())

    with pytest.raises(DatabaseError), transaction.atomic():
        planning_workflow.save_office(actor=bappeda_kabupaten, office=office, changed=["address", "logo"])

    assert stored_files(media_root) == []
