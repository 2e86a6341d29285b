"""A village operator enters, edits, submits and deletes proposals through the /usulan/ pages.

Every refused input names its field, keeps what was typed and leaves nothing behind: no row,
no attachment, no file under MEDIA_ROOT. Assertions on English text run with the page in
English; labels and messages are compared under translation.override("en").
"""

from __future__ import annotations

import datetime
import io
import random
import re
import struct
import zlib
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.utils import formats, timezone, translation
from django.utils.html import escape
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject

from proposals import workflow
from proposals.models import Attachment, AttachmentKind, EventAction, Proposal, ProposalEvent, Sector, Status
from regions.models import Level

from .factories import ProposalFactory, open_intake

TITLE = "Rabat beton Dusun Sukamaju"
TRACKING_CODE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$")


# --- files made the way a phone or an office PC would make them ------------------------------


def image_bytes(fmt="PNG", size=(16, 16), color=(180, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def photo(name="jalan.png", fmt="PNG", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=f"image/{fmt.lower()}")


def noisy_png_bytes(size=(40, 40)) -> bytes:
    """A real PNG of a few kilobytes: noise does not compress."""
    noise = random.Random(7).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, noise).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes(width=595, height=842, pages=1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=height)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf(name="proposal.pdf", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(**kwargs), content_type="application/pdf")


def png_claiming_size(width, height) -> bytes:
    """A 69-byte PNG whose header claims width x height pixels (a "decompression bomb")."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


def damaged_pdf(good: bytes, bad: bytes) -> SimpleUploadedFile:
    data = pdf_bytes()
    assert good in data
    return SimpleUploadedFile("rusak.pdf", data.replace(good, bad), content_type="application/pdf")


def form_data(**overrides) -> dict:
    data = {
        "title": TITLE,
        "problem": "Jalan tanah sepanjang 300 m licin dan berlubang saat hujan.",
        "proposed_work": "Rabat beton lebar 3 m, tebal 15 cm.",
        "proposer_type": "rt",
        "proposer_name": "Ketua RT 03 Sukamaju",
        "proposer_contact": "0812-3456-7890",
        "sector": Sector.objects.get(code="1.03").pk,
        "work_kind": "fisik",
        "target_agency": "",
        "rt": "003",
        "rw": "001",
        "address": "Dusun Sukamaju, dekat masjid",
        "latitude": "-4.912345",
        "longitude": "105.123456",
        "volume": "300",
        "unit": "meter",
        "estimated_cost": "150.000.000",
        "beneficiaries": "Warga Dusun Sukamaju",
        "beneficiary_count": "240",
        "land_status_clear": "on",
    }
    data.update(overrides)
    return data


def stored_files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def intake_message(window, verb) -> str:
    """The workflow's refusal, as the English page shows it."""
    with translation.override("en"):
        if verb == "opens":
            return f"Proposal intake for {window.planning_year} opens on {formats.date_format(window.opens_on)}."
        return f"Proposal intake for {window.planning_year} closed on {formats.date_format(window.closes_on)}."


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def operator(client, village_operator, media_root):
    """The Kalirejo village operator, logged in, reading the pages in English."""
    client.force_login(village_operator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def create_through_the_form(client, data=None, files=None) -> Proposal:
    response = client.post("/usulan/baru/", {**(data or form_data()), **(files or {})})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Proposal.objects.get()


# --- creating -------------------------------------------------------------------------------


def test_a_village_operator_creates_a_draft_with_its_attachments(
    operator, village_operator, intake, pupr, ladder, media_root
):
    png, jpeg, document = photo("jalan.png"), photo("jembatan.jpg", "JPEG"), pdf("proposal desa.pdf")
    uploaded = {"jalan.png": png.read(), "jembatan.jpg": jpeg.read(), "proposal desa.pdf": document.read()}
    for upload in (png, jpeg, document):
        upload.seek(0)

    response = operator.post(
        "/usulan/baru/",
        {**form_data(target_agency=pupr.pk), "photos": [png, jpeg], "proposal_document": document},
    )

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/usulan/{proposal.pk}/"
    assert proposal.title == TITLE
    assert proposal.proposer_type == "rt"
    assert proposal.proposer_name == "Ketua RT 03 Sukamaju"
    assert proposal.sector.code == "1.03"
    assert proposal.work_kind == "fisik"
    assert proposal.target_agency == pupr
    assert (proposal.rt, proposal.rw, proposal.address) == ("003", "001", "Dusun Sukamaju, dekat masjid")
    assert (proposal.latitude, proposal.longitude) == (Decimal("-4.912345"), Decimal("105.123456"))
    assert (proposal.volume, proposal.unit) == (Decimal("300"), "meter")
    assert proposal.estimated_cost == 150_000_000
    assert (proposal.beneficiaries, proposal.beneficiary_count) == ("Warga Dusun Sukamaju", 240)
    assert (proposal.land_status_clear, proposal.has_certificate, proposal.has_technical_details) == (
        True,
        False,
        False,
    )
    assert proposal.village == ladder["18.02.01.2003"]
    assert proposal.kecamatan == ladder["18.02.01"]
    assert proposal.kabupaten == ladder["18.02"]
    assert proposal.provinsi == ladder["18"]
    assert proposal.planning_year == intake.planning_year
    assert (proposal.status, proposal.level) == (Status.DRAFT, Level.DESA)
    assert (proposal.tracking_code, proposal.submitted_at) == (None, None)
    assert proposal.created_by == village_operator
    assert list(proposal.events.values_list("action", "actor", "to_status")) == [
        (EventAction.CREATED, village_operator.pk, Status.DRAFT)
    ]

    attachments = {a.original_name: a for a in proposal.attachments.all()}
    # Photos are kept as JPEG (re-encoded, tests below); documents exactly as uploaded.
    assert {name: (a.kind, a.content_type) for name, a in attachments.items()} == {
        "jalan.jpg": (AttachmentKind.PHOTO, "image/jpeg"),
        "jembatan.jpg": (AttachmentKind.PHOTO, "image/jpeg"),
        "proposal desa.pdf": (AttachmentKind.PROPOSAL_DOCUMENT, "application/pdf"),
    }
    for name, attachment in attachments.items():
        with attachment.file.open("rb") as stored:
            data = stored.read()
        assert attachment.size == len(data)
        if name.endswith(".pdf"):
            assert data == uploaded[name]
        else:
            assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert stored_files(media_root) == sorted(Path(a.file.path) for a in attachments.values())


def test_a_photo_is_judged_by_its_content_and_kept_as_jpeg(operator, intake):
    proposal = create_through_the_form(operator, files={"photos": [photo("foto.jpg", "PNG")]})

    attachment = proposal.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("foto.jpg", "image/jpeg")
    with attachment.file.open("rb") as stored:
        assert Image.open(stored).format == "JPEG"


def phone_photo(size=(4000, 3000), orientation=6) -> SimpleUploadedFile:
    """A large phone JPEG of noise (it barely compresses), taken sideways (EXIF orientation 6) and
    carrying the GPS position a phone writes."""
    image = Image.frombytes("RGB", size, random.Random(3).randbytes(size[0] * size[1] * 3))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (5.0, 10.0, 0.0), 4: (105.0, 12.0, 0.0)}  # GPSInfo: latitude, longitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=exif)
    return SimpleUploadedFile("IMG_20261203.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_big_phone_photo_is_accepted_and_kept_upright_small_and_without_its_exif(operator, intake):
    upload = phone_photo()
    assert upload.size > 8 * 1024 * 1024  # an honest 12 MP phone photo, larger than the old 5 MB limit

    proposal = create_through_the_form(operator, files={"photos": [upload]})

    with proposal.attachments.get().file.open("rb") as stored:
        data = stored.read()
    kept = Image.open(io.BytesIO(data))
    assert kept.size == (1536, 2048)  # turned upright, then at most 2,048 px on the long side
    assert not kept.getexif()  # no camera, no position
    assert len(data) < upload.size / 4


def test_a_photo_that_decodes_to_too_many_pixels_is_refused_with_its_size(operator, intake):
    bomb = SimpleUploadedFile("peta.png", png_claiming_size(13_000, 13_000), content_type="image/png")
    assert bomb.size < 1024  # a few bytes claiming 169 megapixels

    response = operator.post("/usulan/baru/", {**form_data(), "photos": [bomb]})

    assert response.status_code == 200
    assert "peta.png is 169 megapixels; a photo may be at most 50." in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("typed", ["Rp1.250.000", "Rp 1.250.000,00", "1.250.000,-", "1250000"])
def test_a_cost_typed_as_people_write_rupiah_is_stored_as_a_whole_number(operator, intake, typed):
    proposal = create_through_the_form(operator, form_data(estimated_cost=typed))

    assert proposal.estimated_cost == 1_250_000


# --- refusing -------------------------------------------------------------------------------


class Invalid(NamedTuple):
    field: str
    message: str  # part of the English error message
    data: dict = {}
    files: object = dict  # called in the test, once the database is there
    limits: dict = {}  # settings to lower for the case


INVALID = [
    pytest.param(
        Invalid("estimated_cost", "Estimated cost must be 0 or more.", {"estimated_cost": "-50.000"}),
        id="negative cost",
    ),
    pytest.param(
        Invalid(
            "estimated_cost", "Estimated cost must be 100,000,000,000 or less.", {"estimated_cost": "Rp100.000.000.001"}
        ),
        id="cost above Rp100 miliar",
    ),
    pytest.param(
        Invalid(
            "estimated_cost",
            "Estimated cost must be an amount in rupiah, for example 150.000.000.",
            {"estimated_cost": "seratus juta"},
        ),
        id="cost in words",
    ),
    pytest.param(
        Invalid("latitude", "outside Indonesia", {"latitude": "-25.0", "longitude": "113.0"}),
        id="a point in the sea off Australia",
    ),
    pytest.param(
        Invalid("longitude", "Give both latitude and longitude", {"longitude": ""}), id="latitude without longitude"
    ),
    pytest.param(
        Invalid("latitude", "Give both latitude and longitude", {"latitude": ""}), id="longitude without latitude"
    ),
    pytest.param(Invalid("volume", "The volume must be more than 0.", {"volume": "0"}), id="a volume of nothing"),
    pytest.param(Invalid("volume", "The volume must be more than 0.", {"volume": "-5"}), id="a negative volume"),
    pytest.param(Invalid("problem", "Enter the problem.", {"problem": ""}), id="problem left empty"),
    pytest.param(Invalid("sector", "Choose the sector.", {"sector": ""}), id="no sector chosen"),
    pytest.param(
        Invalid(
            "photos",
            "virus.jpg is not a JPEG, PNG or WebP photo",
            files=lambda: {
                "photos": [photo(), SimpleUploadedFile("virus.jpg", b"MZ\x90\x00" + bytes(300), "image/jpeg")]
            },
        ),
        id="a Windows program renamed .jpg",
    ),
    pytest.param(
        Invalid(
            "photos",
            "a photo may be at most 1000\xa0bytes",
            files=lambda: {"photos": [SimpleUploadedFile("besar.png", noisy_png_bytes())]},
            limits={"MAX_PHOTO_BYTES": 1000},
        ),
        id="a photo over the size limit",
    ),
    pytest.param(
        Invalid(
            "photos",
            "bom.png is not a JPEG, PNG or WebP photo",
            files=lambda: {"photos": [SimpleUploadedFile("bom.png", png_claiming_size(30_000, 30_000))]},
        ),
        id="a PNG claiming 30000x30000 pixels",
    ),
    pytest.param(
        Invalid("photos", "at most 3 photos", files=lambda: {"photos": [photo(f"foto{i}.png") for i in range(4)]}),
        id="four photos",
    ),
    pytest.param(
        Invalid(
            "proposal_document",
            "proposal.pdf is not a readable PDF document",
            files=lambda: {"proposal_document": SimpleUploadedFile("proposal.pdf", b"Surat usulan, bukan PDF")},
        ),
        id="a text file named .pdf",
    ),
    pytest.param(
        Invalid(
            "proposal_document",
            "proposal.pdf is not a readable PDF document",
            files=lambda: {"proposal_document": SimpleUploadedFile("proposal.pdf", b"%PDF-1.4\nnothing else")},
        ),
        id="a PDF header and nothing else",
    ),
    pytest.param(
        Invalid(
            "land_proof",
            "rusak.pdf is not a readable PDF document",
            files=lambda: {"land_proof": damaged_pdf(b"3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R", b"3 0 obj 2 0 R")},
        ),
        id="a PDF whose catalog is a bare reference",
    ),
    pytest.param(
        Invalid(
            "land_proof",
            "rusak.pdf is not a readable PDF document",
            files=lambda: {"land_proof": damaged_pdf(b"0 5\n0000000000 65535 f ", b"00000000 65535 f ")},
        ),
        id="a PDF with a damaged cross-reference table",
    ),
    pytest.param(
        Invalid(
            "land_proof",
            "a document may be at most 1000\xa0bytes",
            files=lambda: {"land_proof": pdf("tanah.pdf", pages=10)},
            limits={"MAX_DOCUMENT_BYTES": 1000},
        ),
        id="a PDF over the size limit",
    ),
]


@pytest.mark.parametrize("case", INVALID)
def test_an_invalid_proposal_names_the_field_keeps_what_was_typed_and_saves_nothing(
    operator, intake, media_root, settings, case
):
    for name, value in case.limits.items():
        setattr(settings, name, value)
    # A valid document rides along: it must not be stored either.
    files = {"cost_breakdown": pdf("rab.pdf"), **case.files()}

    response = operator.post("/usulan/baru/", {**form_data(**case.data), **files})

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {case.field}
    page = response.content.decode()
    with translation.override("en"):
        assert case.message in " ".join(form.errors[case.field])
        label = str(form[case.field].label)
    summary = page[page.index('id="form-errors"') : page.index("</div>", page.index('id="form-errors"'))]
    assert f'<a href="#id_{case.field}">{escape(label)}</a>' in summary
    assert f'value="{TITLE}"' in page
    assert 'value="Ketua RT 03 Sukamaju"' in page
    for field, typed in case.data.items():
        if typed:
            assert f'name="{field}" value="{escape(typed)}"' in page
    assert Proposal.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert ProposalEvent.objects.count() == 0
    assert stored_files(media_root) == []


def past_window(region):
    return open_intake(region, days_before=60, days_after=-10)


def future_window(region):
    return open_intake(region, days_before=-5, days_after=30)


@pytest.mark.parametrize(("make_window", "verb"), [(past_window, "closed"), (future_window, "opens")])
def test_outside_the_intake_window_a_new_proposal_is_refused_with_the_dates_and_keeps_what_was_typed(
    operator, ladder, media_root, make_window, verb
):
    window = make_window(ladder["18.02"])

    response = operator.post("/usulan/baru/", {**form_data(), "photos": [photo()]})

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(intake_message(window, verb)) in page
    assert f'value="{TITLE}"' in page  # a form posted just after closing time keeps what was typed
    assert Proposal.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


# --- submitting -----------------------------------------------------------------------------


@pytest.fixture
def draft(village, intake):
    return ProposalFactory(village=village, title=TITLE)


def test_submitting_a_draft_gives_it_a_tracking_code_and_records_who_submitted_it(operator, village_operator, draft):
    before = timezone.now()

    response = operator.post(f"/usulan/{draft.pk}/ajukan/", follow=True)

    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert TRACKING_CODE.match(draft.tracking_code)
    assert before <= draft.submitted_at <= timezone.now()
    assert list(draft.events.values_list("action", "actor", "from_status", "to_status")) == [
        (EventAction.SUBMITTED, village_operator.pk, Status.DRAFT, Status.SUBMITTED)
    ]
    page = response.content.decode()
    assert f"Its tracking code is {draft.tracking_code}." in page
    assert "Submit proposal" not in page


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "ubah/"), ("post", "ubah/"), ("get", "hapus/"), ("post", "hapus/"), ("post", "ajukan/")],
)
def test_a_submitted_proposal_is_read_only_for_its_village(operator, village, intake, media_root, method, path):
    proposal = create_through_the_form(operator, files={"photos": [photo()]})
    assert operator.post(f"/usulan/{proposal.pk}/ajukan/").status_code == 302
    row = Proposal.objects.filter(pk=proposal.pk).values().get()
    files = stored_files(media_root)

    response = getattr(operator, method)(f"/usulan/{proposal.pk}/{path}", form_data(title="Diubah sesudah diajukan"))

    # A second "Ajukan" is a double tap, answered with where the proposal stands; the rest are refused.
    assert response.status_code == (302 if path == "ajukan/" else 403)
    assert Proposal.objects.filter(pk=proposal.pk).values().get() == row
    assert proposal.attachments.count() == 1
    assert stored_files(media_root) == files
    assert list(proposal.events.values_list("action", flat=True)) == [EventAction.CREATED, EventAction.SUBMITTED]


def test_submitting_a_proposal_a_second_time_is_refused_with_a_message(village_operator, draft):
    # Two clicks on "Submit": both requests fetched the draft before either submitted it.
    stale = Proposal.objects.get(pk=draft.pk)
    first = workflow.submit_proposal(actor=village_operator, proposal=draft)

    with translation.override("en"), pytest.raises(workflow.WorkflowError) as refused:
        workflow.submit_proposal(actor=village_operator, proposal=stale)

    assert str(refused.value) == "A proposal that is submitted cannot be submitted."
    draft.refresh_from_db()
    assert (draft.tracking_code, draft.submitted_at) == (first.tracking_code, first.submitted_at)
    assert draft.events.filter(action=EventAction.SUBMITTED).count() == 1


def test_submitting_after_the_window_closed_is_refused_with_the_closing_date(operator, draft, intake):
    today = timezone.localdate()
    intake.opens_on, intake.closes_on = today - datetime.timedelta(days=40), today - datetime.timedelta(days=1)
    intake.save()

    response = operator.post(f"/usulan/{draft.pk}/ajukan/", follow=True)

    assert escape(intake_message(intake, "closed")) in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.tracking_code, draft.submitted_at) == (Status.DRAFT, None, None)
    assert not draft.events.exists()


# --- deleting and editing -------------------------------------------------------------------


def test_deleting_a_draft_removes_it_and_its_files(operator, intake, media_root, django_capture_on_commit_callbacks):
    proposal = create_through_the_form(operator, files={"photos": [photo()], "proposal_document": pdf()})
    assert len(stored_files(media_root)) == 2

    confirm = operator.get(f"/usulan/{proposal.pk}/hapus/")
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(f"/usulan/{proposal.pk}/hapus/", follow=True)

    assert f"Delete the draft “{TITLE}” and its files?" in confirm.content.decode()
    assert response.redirect_chain == [("/usulan/", 302)]
    assert f"The draft “{TITLE}” was deleted." in response.content.decode()
    assert Proposal.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert ProposalEvent.objects.count() == 0
    assert stored_files(media_root) == []


def test_editing_a_draft_replaces_its_document_and_removes_a_chosen_photo(
    operator, village_operator, intake, media_root, django_capture_on_commit_callbacks
):
    proposal = create_through_the_form(
        operator,
        files={"photos": [photo("buang.png"), photo("simpan.png")], "proposal_document": pdf("lama.pdf")},
    )
    removed = proposal.attachments.get(original_name="buang.jpg")  # photos are kept as JPEG
    old_document = proposal.attachments.get(kind=AttachmentKind.PROPOSAL_DOCUMENT)
    removed_path, old_document_path = removed.file.path, old_document.file.path
    new_pdf = pdf_bytes(width=300, height=300)

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            f"/usulan/{proposal.pk}/ubah/",
            {
                **form_data(title="Rabat beton Dusun Sukamaju tahap II", estimated_cost="Rp175.000.000"),
                "remove_attachments": [removed.pk],
                "proposal_document": SimpleUploadedFile("baru.pdf", new_pdf, content_type="application/pdf"),
            },
        )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.estimated_cost) == ("Rabat beton Dusun Sukamaju tahap II", 175_000_000)
    assert sorted(proposal.attachments.values_list("kind", "original_name")) == [
        (AttachmentKind.PHOTO, "simpan.jpg"),
        (AttachmentKind.PROPOSAL_DOCUMENT, "baru.pdf"),
    ]
    with proposal.attachments.get(kind=AttachmentKind.PROPOSAL_DOCUMENT).file.open("rb") as stored:
        assert stored.read() == new_pdf
    files = [str(path) for path in stored_files(media_root)]
    assert removed_path not in files
    assert old_document_path not in files
    assert len(files) == 2
    assert list(proposal.events.values_list("action", "actor")) == [
        (EventAction.CREATED, village_operator.pk),
        (EventAction.EDITED, village_operator.pk),
    ]


def test_an_edit_that_fails_after_storing_its_files_keeps_the_old_document_and_its_file(
    operator, village_operator, intake, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    proposal = create_through_the_form(operator, files={"proposal_document": pdf("lama.pdf")})
    old_document = proposal.attachments.get()
    with old_document.file.open("rb") as stored:
        old_bytes = stored.read()

    def broken_note(*args, **kwargs):
        raise DatabaseError("the history table is unavailable")

    monkeypatch.setattr(workflow, "record", broken_note)
    with pytest.raises(DatabaseError), django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.update_proposal(
            actor=village_operator,
            proposal=proposal,
            new_files=[workflow.NewFile(AttachmentKind.PROPOSAL_DOCUMENT, pdf("baru.pdf"), "application/pdf")],
        )

    assert callbacks == []  # the deletion never ran
    assert list(proposal.attachments.values_list("pk", "original_name")) == [(old_document.pk, "lama.pdf")]
    with proposal.attachments.get().file.open("rb") as stored:
        assert stored.read() == old_bytes


def test_editing_counts_the_photos_kept_towards_the_limit_of_three(operator, intake, media_root):
    proposal = create_through_the_form(operator, files={"photos": [photo(f"foto{i}.png") for i in range(3)]})

    response = operator.post(f"/usulan/{proposal.pk}/ubah/", {**form_data(), "photos": [photo("keempat.png")]})

    assert set(response.context["form"].errors) == {"photos"}
    assert proposal.attachments.count() == 3
    assert len(stored_files(media_root)) == 3


def test_every_page_that_files_a_proposal_names_the_plan_year_it_goes_to(operator, intake):
    create = operator.get("/usulan/baru/").content.decode()
    imported = operator.get("/usulan/impor/").content.decode()
    proposal = create_through_the_form(operator)
    edit = operator.get(f"/usulan/{proposal.pk}/ubah/").content.decode()

    said = f"For the plan of {intake.planning_year}."
    assert said in create and said in imported and said in edit
    assert proposal.planning_year == intake.planning_year


def pdf_unpacking_to(size: int) -> bytes:
    """A one-page PDF whose page content is a Flate stream of `size` zero bytes: some kilobytes
    on the wire, `size` bytes for whoever opens it."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = StreamObject()
    stream.set_data(b" " * size)  # set_data stores it as given; compressed below
    stream = stream.flate_encode()
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_that_unpacks_to_far_more_than_it_weighs_is_refused(operator, intake):
    bomb = pdf_unpacking_to(120 * 1024 * 1024)
    assert len(bomb) < 300 * 1024

    response = operator.post(
        "/usulan/baru/",
        {**form_data(), "proposal_document": SimpleUploadedFile("rab.pdf", bomb, content_type="application/pdf")},
    )

    assert response.status_code == 200
    assert "rab.pdf unpacks to far more data than a document of its pages holds." in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_pdf_of_too_many_pages_is_refused_with_its_count(operator, intake):
    response = operator.post("/usulan/baru/", {**form_data(), "proposal_document": pdf("tebal.pdf", pages=201)})

    assert response.status_code == 200
    assert "tebal.pdf has 201 pages; a document may have at most 200." in response.content.decode()
    assert not Proposal.objects.exists()


# --- the same form sent twice ---------------------------------------------------------------


def test_the_same_new_form_sent_twice_saves_one_draft(operator, intake):
    page = operator.get("/usulan/baru/").content.decode()
    token = re.search(r'name="entry_token" value="([0-9a-f-]{36})"', page).group(1)
    data = {**form_data(), "entry_token": token}

    first = operator.post("/usulan/baru/", data)
    second = operator.post("/usulan/baru/", data)  # the double tap on a slow line

    proposal = Proposal.objects.get()
    assert first["Location"] == second["Location"] == f"/usulan/{proposal.pk}/"
    assert [str(m) for m in get_messages(second.wsgi_request)][-1] == (
        "This form was sent twice; the proposal was saved once, here it is."
    )
    assert proposal.events.filter(action=EventAction.CREATED).count() == 1
    # A new form carries a new token: a second proposal is a second proposal.
    again = re.search(r'name="entry_token" value="([0-9a-f-]{36})"', operator.get("/usulan/baru/").content.decode())
    assert again.group(1) != token
    operator.post("/usulan/baru/", {**form_data(title="Drainase Dusun II"), "entry_token": again.group(1)})
    assert Proposal.objects.count() == 2


def test_a_second_tap_on_submit_says_it_went_through(operator, village_operator, intake):
    proposal = ProposalFactory(village=village_operator.region, created_by=village_operator)
    operator.post(f"/usulan/{proposal.pk}/ajukan/")

    second = operator.post(f"/usulan/{proposal.pk}/ajukan/")

    proposal.refresh_from_db()
    assert second.status_code == 302 and second["Location"] == f"/usulan/{proposal.pk}/"
    assert [str(m) for m in get_messages(second.wsgi_request)][-1] == (
        f"This proposal has already been submitted; its tracking code is {proposal.tracking_code}."
    )
    assert proposal.events.filter(action=EventAction.SUBMITTED).count() == 1
