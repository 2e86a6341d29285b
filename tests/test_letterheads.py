"""Letterheads (kop surat) Bappeda keeps per government unit (planning/offices.py), and the berita
acara printing the one of the unit holding the forum (forums/pdf.py)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from audit.models import EntryRegion
from audit.registry import Kind
from forums.models import Forum
from forums.pdf import render_minutes
from proposals import workflow
from regions.models import Agency, Level, Office, Region

from .factories import ProposalFactory

ADDRESS = "Jl. Raya Kalirejo No. 1, Kalirejo 34174"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def png(width=120, height=120, name="logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 93, 59)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def edit_url(unit) -> str:
    kind = "opd" if isinstance(unit, Agency) else "wilayah"
    return f"/musyawarah/kop-surat/{kind}/{unit.pk}/"


def test_bappeda_lists_the_units_of_its_kabupaten_and_its_agencies(english, bappeda_kabupaten, ladder, pupr):
    english.force_login(bappeda_kabupaten)
    page = english.get("/musyawarah/kop-surat/").content.decode()
    assert pupr.name in page
    codes = re.findall(r'<span class="code muted">([\d.]+)</span>', page)
    assert codes and all(code == "18.02" or code.startswith("18.02.") for code in codes)
    assert "18.02" in codes and "18.02.01" in codes and "18.02.01.2003" in codes

    found = english.get("/musyawarah/kop-surat/?q=kalirejo").content.decode()
    assert set(re.findall(r'<span class="code muted">([\d.]+)</span>', found)) == set(
        Region.objects.filter(code__startswith="18.02.", name__icontains="kalirejo").values_list("code", flat=True)
    )


def test_bappeda_saves_a_units_letterhead_with_its_logo(english, bappeda_kabupaten, ladder):
    kecamatan = ladder["18.02.01"]
    english.force_login(bappeda_kabupaten)
    response = english.post(
        edit_url(kecamatan),
        {"address": ADDRESS, "phone": "(0725) 123456", "email": "kec.kalirejo@lampungtengahkab.go.id", "logo": png()},
    )
    assert response.status_code == 302
    office = Office.objects.get(region=kecamatan)
    assert (office.address, office.phone, office.email) == (
        ADDRESS,
        "(0725) 123456",
        "kec.kalirejo@lampungtengahkab.go.id",
    )
    assert office.logo.name.startswith(f"kop/wilayah-{kecamatan.pk}") and office.logo.name.endswith(".png")
    assert ADDRESS in english.get("/musyawarah/kop-surat/?q=kalirejo").content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"), "PNG or JPEG image"),
        (png(1500, 20), "at most 1,200 pixels a side"),
    ],
)
def test_a_bad_logo_saves_nothing_and_keeps_what_was_typed(english, bappeda_kabupaten, ladder, upload, message):
    english.force_login(bappeda_kabupaten)
    response = english.post(edit_url(ladder["18.02.01"]), {"address": ADDRESS, "email": "bukan-surel", "logo": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "Enter the e-mail in the right format, like nama@contoh.id." in page
    assert f'value="{ADDRESS}"' in page
    assert not Office.objects.exists()


def test_a_new_logo_replaces_the_old_file_once_committed(
    english, bappeda_kabupaten, ladder, django_capture_on_commit_callbacks
):
    english.force_login(bappeda_kabupaten)
    kecamatan = ladder["18.02.01"]
    english.post(edit_url(kecamatan), {"address": ADDRESS, "logo": png()})
    old = Office.objects.get(region=kecamatan).logo
    old_path = old.path
    with django_capture_on_commit_callbacks(execute=True):
        english.post(edit_url(kecamatan), {"address": ADDRESS, "logo": png(200, 100, "baru.png")})
    new = Office.objects.get(region=kecamatan).logo
    assert new.name != old.name and new.storage.exists(new.name)
    assert not old.storage.exists(old.name), old_path


def test_letterheads_are_kept_only_within_bappedas_own_region(
    english, bappeda_kabupaten, other_bappeda_kabupaten, village_operator, kecamatan_operator, ladder, pupr
):
    english.force_login(other_bappeda_kabupaten)  # another kabupaten's Bappeda: no such unit
    for unit in (ladder["18.02.01"], pupr):
        assert english.get(edit_url(unit)).status_code == 404
        assert english.post(edit_url(unit), {"address": ADDRESS}).status_code == 404
    for officer in (village_operator, kecamatan_operator):
        english.force_login(officer)
        assert english.get("/musyawarah/kop-surat/").status_code == 403
        assert english.post(edit_url(ladder["18.02.01.2003"]), {"address": ADDRESS}).status_code == 403
    english.logout()
    assert english.get("/musyawarah/kop-surat/").url.startswith("/masuk/")
    assert english.get("/musyawarah/kop-surat/bukan/1/").url.startswith("/masuk/")
    english.force_login(bappeda_kabupaten)
    assert english.get("/musyawarah/kop-surat/bukan/1/").status_code == 404
    assert not Office.objects.exists()


def pdf_of(forum) -> PdfReader:
    data = render_minutes(forum, number="050/001/180201/2016", issued_at=timezone.now())
    return PdfReader(io.BytesIO(data))


def kop_text(reader: PdfReader) -> str:
    text = " ".join(reader.pages[0].extract_text().split())
    return text[: text.index("BERITA ACARA")]


@pytest.fixture
def desa_forum(intake, village_operator, pupr, ladder):
    proposal = ProposalFactory(village=village_operator.region, created_by=village_operator, target_agency=pupr)
    workflow.submit_proposal(actor=village_operator, proposal=proposal)
    forum = Forum.objects.get(level=Level.DESA, region=village_operator.region)
    Forum.objects.filter(pk=forum.pk).update(held_on=datetime.date(2016, 2, 3), place="Balai Dusun III")
    forum.refresh_from_db()
    return forum


def test_the_minutes_print_the_units_office_under_its_name_and_never_the_meeting_place(desa_forum):
    without = kop_text(pdf_of(desa_forum))
    assert "Balai Dusun III" not in without  # the meeting place is not an address
    assert "PEMERINTAH" in without

    Office.objects.create(
        region=desa_forum.region,
        address="Jl. Merdeka No. 5, Kalirejo",
        phone="0812 7000 1234",
        email="desa.kalirejo@contoh.id",
        logo=png(),
    )
    reader = pdf_of(desa_forum)
    kop = kop_text(reader)
    assert "Jl. Merdeka No. 5, Kalirejo · Telp. 0812 7000 1234 · Pos-el: desa.kalirejo@contoh.id" in kop
    assert "Balai Dusun III" not in kop
    assert len(reader.pages[0].images) == 1  # the logo (the QR code is drawn, not an image)


def test_every_change_to_a_letterhead_is_in_the_audit_log_of_its_kabupaten(english, bappeda_kabupaten, ladder):
    english.force_login(bappeda_kabupaten)
    kecamatan = ladder["18.02.01"]
    english.post(edit_url(kecamatan), {"address": ADDRESS})
    english.post(edit_url(kecamatan), {"address": ADDRESS, "phone": "(0725) 123456"})
    rows = EntryRegion.objects.filter(kind=Kind.OFFICE, region_code="18.02").select_related("entry")
    assert [(r.entry.action, r.entry.actor) for r in rows.order_by("at", "entry_id")] == [
        (LogEntry.Action.CREATE, bappeda_kabupaten),
        (LogEntry.Action.UPDATE, bappeda_kabupaten),
    ]
    assert rows.order_by("at", "entry_id").last().entry.changes_dict["phone"] == ["", "(0725) 123456"]
