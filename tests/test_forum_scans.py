"""The signed paper kept with a forum (forums/workflow/scans.py): the scan of the attendance list
before approval, the signed and stamped berita acara after it; judged by content, following the
transaction, served only through views that check access, the minutes' scan public once approved."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image
from pypdf import PdfWriter

from forums import workflow as forums_workflow
from forums.models import ForumScan, MinutesDocument, ScanKind
from forums.workflow.ladder import forum_for
from regions.models import Level

from .factories import attend


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    data = io.BytesIO()
    writer.write(data)
    return data.getvalue()


def png_bytes(image_format="PNG") -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(data, image_format)
    return data.getvalue()


def stored(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file() and "scans" in p.parts)


@pytest.fixture
def desa(intake, village):
    return forum_for(intake.planning_year, Level.DESA, village)


@pytest.fixture
def approved(desa, village_operator):
    from django.utils import timezone

    forums_workflow.update_forum(
        actor=village_operator, forum=desa, held_on=timezone.localdate(), place="Balai Desa", chair_name="Suparno"
    )
    attend(village_operator, desa)
    for name, gender in (("Siti", "P"), ("Budi", "L"), ("Agus", "L")):
        forums_workflow.add_delegate(actor=village_operator, forum=desa, name=name, gender=gender)
    document = forums_workflow.approve_forum(actor=village_operator, forum=desa)
    return MinutesDocument.objects.get(pk=document.pk)


def upload_attendance(client, forum, name, content, content_type="application/pdf"):
    return client.post(
        f"/musyawarah/{forum.pk}/pindaian/attendance/unggah/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        follow=True,
    )


def test_the_signed_attendance_list_is_kept_and_served_to_who_may_see_the_forum(
    english, desa, village_operator, kecamatan_operator, media
):
    english.force_login(village_operator)

    response = upload_attendance(english, desa, "daftar hadir.pdf", pdf_bytes())

    scan = ForumScan.objects.get()
    assert (scan.kind, scan.document, scan.original_name, scan.content_type, scan.uploaded_by) == (
        ScanKind.ATTENDANCE,
        None,
        "daftar hadir.pdf",
        "application/pdf",
        village_operator,
    )
    assert scan.size == len(pdf_bytes()) and len(stored(media)) == 1
    assert "The scan daftar hadir.pdf was kept." in [str(m) for m in response.context["messages"]]
    assert "daftar hadir.pdf" in response.content.decode()
    english.force_login(kecamatan_operator)  # reads the village's forum
    download = english.get(f"/musyawarah/{desa.pk}/pindaian/{scan.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("daftar.pdf", b"%PDF-1.4 this is not really a pdf", "daftar.pdf is not a readable PDF document."),
        ("daftar.pdf", b"just text", "daftar.pdf is not a PDF, JPEG or PNG file."),
        ("daftar.webp", png_bytes("WEBP"), "daftar.webp is not a PDF, JPEG or PNG file."),
        ("daftar.png", b"\x89PNG\r\n\x1a\n broken", "daftar.png is not a JPEG, PNG or WebP photo."),
    ],
)
def test_a_file_that_is_not_a_pdf_jpeg_or_png_is_refused_and_nothing_is_stored(
    english, desa, village_operator, media, name, content, message
):
    english.force_login(village_operator)

    response = upload_attendance(english, desa, name, content)

    assert [str(m) for m in response.context["messages"]] == [message]
    assert ForumScan.objects.count() == 0 and stored(media) == []


def test_a_photo_is_kept_as_what_its_bytes_are(english, desa, village_operator):
    english.force_login(village_operator)

    upload_attendance(english, desa, "daftar.pdf", png_bytes("JPEG"), content_type="application/pdf")

    assert ForumScan.objects.get().content_type == "image/jpeg"


def test_a_new_scan_replaces_the_old_whose_file_goes_only_after_commit(
    desa, village_operator, media, django_capture_on_commit_callbacks
):
    first = forums_workflow.store_scan(
        actor=village_operator,
        forum=desa,
        kind=ScanKind.ATTENDANCE,
        upload=SimpleUploadedFile("lama.pdf", pdf_bytes()),
        content_type="application/pdf",
    )
    old_name = first.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = forums_workflow.store_scan(
            actor=village_operator,
            forum=desa,
            kind=ScanKind.ATTENDANCE,
            upload=SimpleUploadedFile("baru.png", png_bytes()),
            content_type="image/png",
        )
        assert len(stored(media)) == 2  # not committed yet: the old file is still there

    for callback in callbacks:
        callback()
    assert (second.pk, ForumScan.objects.get().original_name) == (first.pk, "baru.png")
    assert stored(media) == [second.file.name]
    assert old_name not in stored(media)


def test_no_file_is_left_behind_when_the_row_is_not_saved(desa, village_operator, media):
    with pytest.raises(IntegrityError):
        forums_workflow.store_scan(
            actor=village_operator,
            forum=desa,
            kind=ScanKind.ATTENDANCE,
            upload=SimpleUploadedFile("kosong.pdf", b""),  # the form refuses it; the database too
            content_type="application/pdf",
        )

    assert stored(media) == []


def test_outsiders_find_no_scan(english, desa, village_operator, neighbour_village_operator, other_kecamatan_operator):
    scan = forums_workflow.store_scan(
        actor=village_operator,
        forum=desa,
        kind=ScanKind.ATTENDANCE,
        upload=SimpleUploadedFile("daftar.pdf", pdf_bytes()),
        content_type="application/pdf",
    )
    for outsider in (neighbour_village_operator, other_kecamatan_operator):
        english.force_login(outsider)
        assert english.get(f"/musyawarah/{desa.pk}/pindaian/{scan.pk}/").status_code == 404
        assert upload_attendance(english, desa, "x.pdf", pdf_bytes()).status_code == 404
        assert english.post(f"/musyawarah/{desa.pk}/pindaian/{scan.pk}/hapus/").status_code == 404
    assert ForumScan.objects.get().original_name == "daftar.pdf"
    english.logout()
    assert english.get(f"/musyawarah/{desa.pk}/pindaian/{scan.pk}/").status_code == 302  # to the login


def test_the_kecamatan_may_read_but_not_upload(english, desa, kecamatan_operator):
    english.force_login(kecamatan_operator)

    assert upload_attendance(english, desa, "x.pdf", pdf_bytes()).status_code == 403
    assert ForumScan.objects.count() == 0


def test_the_attendance_scan_is_refused_after_approval(desa, approved, village_operator):
    with pytest.raises(forums_workflow.WorkflowError):
        forums_workflow.store_scan(
            actor=village_operator,
            forum=desa,
            kind=ScanKind.ATTENDANCE,
            upload=SimpleUploadedFile("daftar.pdf", pdf_bytes()),
            content_type="application/pdf",
        )
    assert ForumScan.objects.count() == 0


def test_the_minutes_scan_needs_an_approved_forum(desa, village_operator, media):
    with pytest.raises(forums_workflow.WorkflowError) as refused:
        forums_workflow.store_scan(
            actor=village_operator,
            forum=desa,
            kind=ScanKind.MINUTES,
            upload=SimpleUploadedFile("ba.pdf", pdf_bytes()),
            content_type="application/pdf",
        )
    assert str(refused.value) == "Berita acara bertanda tangan dapat disimpan setelah forum disetujui."
    assert stored(media) == []


def test_the_stamped_minutes_are_kept_after_approval_and_published_beside_the_pdf(
    english, client, desa, approved, village_operator, intake
):
    english.force_login(village_operator)
    sealed = (approved.pdf.name, approved.sha256)

    response = english.post(
        f"/musyawarah/{desa.pk}/pindaian/minutes/unggah/",
        {"document": approved.pk, "file": SimpleUploadedFile("ba-stempel.pdf", pdf_bytes())},
        follow=True,
    )

    scan = ForumScan.objects.get()
    assert (scan.kind, scan.document_id) == (ScanKind.MINUTES, approved.pk)
    page = response.content.decode()
    assert f'href="/musyawarah/{desa.pk}/pindaian/{scan.pk}/" class="minutes-scan">ba-stempel.pdf</a>' in page
    approved.refresh_from_db()
    assert (approved.pdf.name, approved.sha256) == sealed  # the issued PDF never changes
    client.logout()
    results = client.get(f"/hasil/{desa.region.code}/{intake.planning_year.year}/").content.decode()
    public_url = f"/hasil/dokumen/{approved.verify_code}/pindaian/"
    assert f'<a href="{public_url}" class="minutes-scan">' in results
    served = client.get(public_url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == pdf_bytes()
    assert client.get("/hasil/dokumen/ZZZZZZZZZZ/pindaian/").status_code == 404


def test_the_attendance_scan_is_never_public(client, request, desa, village_operator, intake):
    scan = forums_workflow.store_scan(
        actor=village_operator,
        forum=desa,
        kind=ScanKind.ATTENDANCE,
        upload=SimpleUploadedFile("daftar.pdf", pdf_bytes()),
        content_type="application/pdf",
    )
    document = request.getfixturevalue("approved")

    results = client.get(f"/hasil/{desa.region.code}/{intake.planning_year.year}/").content.decode()
    assert document.number in results
    assert "pindaian" not in results and scan.original_name not in results
    assert client.get(f"/hasil/dokumen/{document.verify_code}/pindaian/").status_code == 404


def test_who_kept_a_scan_is_in_the_audit_log(desa, village_operator):
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    with set_actor(village_operator):
        scan = forums_workflow.store_scan(
            actor=village_operator,
            forum=desa,
            kind=ScanKind.ATTENDANCE,
            upload=SimpleUploadedFile("daftar.pdf", pdf_bytes()),
            content_type="application/pdf",
        )

    entry = LogEntry.objects.get_for_object(scan).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, village_operator)
    assert entry.changes_dict["original_name"][1] == "daftar.pdf"
