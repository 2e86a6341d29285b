"""Verifiable minutes: every issued berita acara prints a QR code and the short address of its
public verification page; anyone can upload a file there (or at /verifikasi/) and learn whether
it is an unmodified issue of this system.

The forums are approved through the real workflow (see tests/test_public.py, walk_year).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import urllib.parse

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from forums import chain
from forums import workflow as forums_workflow
from forums.models import Forum, MinutesDocument
from forums.pdf import minutes_context, render_minutes

from .test_public import walk_year

BASE_URL = "https://musrenbang.lampungtengahkab.go.id"


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def first_page_text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def stored(document: MinutesDocument) -> bytes:
    document.pdf.open("rb")
    try:
        return document.pdf.read()
    finally:
        document.pdf.close()


def upload(data: bytes, name: str = "berita-acara.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def walk(settings, tmp_path, ladder, intake, pupr):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_BASE_URL = BASE_URL
    return walk_year(ladder, pupr)


@pytest.fixture
def document(walk) -> MinutesDocument:
    return walk.kecamatan.documents.get()


# --- the printed address ---------------------------------------------------------------------


def test_every_issued_document_has_its_own_ten_character_code(walk):
    codes = list(MinutesDocument.objects.values_list("verify_code", flat=True))

    assert len(codes) == 2 == len(set(codes))
    assert all(len(code) == 10 and code.isalnum() and code.isupper() for code in codes)


def test_the_first_page_prints_the_short_address_with_the_documents_code(document):
    text = first_page_text(stored(document))

    address = f"{BASE_URL}/v/{document.verify_code}/"
    assert f"Verifikasi keaslian dokumen: {address}" in text
    assert text.index(f"Nomor: {document.number}") < text.index("Verifikasi keaslian dokumen")
    # The printed address is the page that verifies it.
    assert reverse("public:verify", args=[document.verify_code]) == f"/v/{document.verify_code}/"


def qr_modules(data_uri: str) -> list[list[int]]:
    """The dark modules of a QR code drawn as segno's SVG path ('M0 0.5h7m2 0h2...')."""
    svg = urllib.parse.unquote(data_uri.split(",", 1)[1])
    size = int(re.search(r"viewBox='0 0 (\d+) \d+'", svg).group(1))
    path = re.search(r" d='([^']+)'", svg).group(1)
    rows = [[0] * size for _ in range(size)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x + float(a))):
                rows[int(y)][column] = 1
            x += float(a)
    return rows


def test_the_qr_code_on_the_first_page_encodes_the_printed_address(document):
    forum = Forum.objects.select_related("region", "agency", "planning_year").get(pk=document.forum_id)
    with translation.override("id"):
        context = minutes_context(
            forum, number=document.number, issued_at=document.issued_at, verify_code=document.verify_code
        )
        html = render_to_string("forums/berita_acara.html", context)

    src = re.search(r'<img class="verify-qr" src="([^"]+)"', html).group(1).replace("&amp;", "&")
    address = f"{BASE_URL}/v/{document.verify_code}/"
    expected = segno.make(address, error="m", micro=False).matrix
    assert qr_modules(src) == [list(row) for row in expected]
    # The letters beside it are the same address, before the opening sentence.
    assert html.index(f"Verifikasi keaslian dokumen: {address}") < html.index("Pada hari ini")


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs poppler and zbar")
def test_a_qr_reader_finds_the_address_on_the_printed_page(document, tmp_path):
    pdf = tmp_path / "ba.pdf"
    pdf.write_bytes(stored(document))
    subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", pdf, tmp_path / "page"], check=True)

    found = subprocess.run(
        ["zbarimg", "-q", "--raw", *tmp_path.glob("page*.png")], capture_output=True, text=True, check=False
    )

    assert found.stdout.split() == [f"{BASE_URL}/v/{document.verify_code}/"]


def test_the_stored_file_still_matches_its_hash_with_the_qr_code(document):
    assert hashlib.sha256(stored(document)).hexdigest() == document.sha256


def test_rendering_again_with_the_same_code_gives_the_same_bytes(document):
    forum = Forum.objects.select_related("region", "agency", "planning_year").get(pk=document.forum_id)

    again = render_minutes(
        forum,
        number=document.number,
        issued_at=document.issued_at,
        verify_code=document.verify_code,
        chain_anchor=chain.anchor_of(document),  # the link of the public chain it printed
    )

    assert hashlib.sha256(again).hexdigest() == document.sha256


def test_a_revision_prints_its_own_code(walk, document):
    revision = forums_workflow.revise_minutes(actor=walk.district_officer, forum=walk.kecamatan, reason="Salah ketik.")

    text = first_page_text(stored(revision))

    assert revision.verify_code != document.verify_code
    assert f"{BASE_URL}/v/{revision.verify_code}/" in text
    assert document.verify_code not in text


# --- checking a file -------------------------------------------------------------------------


def test_the_issued_file_is_accepted_and_named(client, document):
    response = client.post(reverse("public:verify_upload"), {"file": upload(stored(document))})

    text = text_of(response)
    assert response.status_code == 200
    assert response.context["match"].number == document.number
    assert "Terbitan asli yang tidak diubah." in text
    assert f"Nomor {document.number}, Musrenbang Kecamatan Kalirejo" in text
    assert "Bukan dokumen yang diterbitkan." not in text


def test_the_same_bytes_with_one_byte_changed_are_rejected(client, document):
    data = bytearray(stored(document))
    middle = len(data) // 2
    data[middle] = (data[middle] + 1) % 256

    response = client.post(reverse("public:verify_upload"), {"file": upload(bytes(data))})

    text = text_of(response)
    assert response.context["match"] is None
    assert "Bukan dokumen yang diterbitkan." in text
    assert document.number not in text


def test_a_file_that_is_not_a_pdf_is_refused_with_a_message(client, document):
    response = client.post(
        reverse("public:verify_upload"), {"file": upload(b"Nomor: 050/001 palsu", "ba.txt", "text/plain")}
    )

    text = text_of(response)
    assert response.context["checked"] is False
    assert "Ini bukan berkas PDF." in text
    assert "Bukan dokumen yang diterbitkan." not in text


def test_a_file_over_the_size_limit_is_refused_with_a_message(client, settings, document):
    data = stored(document)
    settings.MAX_DOCUMENT_BYTES = len(data) - 1

    response = client.post(reverse("public:verify_upload"), {"file": upload(data)})

    text = text_of(response)
    assert response.context["checked"] is False
    assert "paling besar" in text
    assert "Terbitan asli" not in text


def test_posting_without_a_file_asks_for_one(client, db):
    response = client.post(reverse("public:verify_upload"), {})

    assert response.context["checked"] is False
    assert response.context["form"].errors["file"]


# --- the document's own page -----------------------------------------------------------------


def test_the_verification_page_describes_the_document(client, document):
    response = client.get(reverse("public:verify", args=[document.verify_code]))

    text = text_of(response)
    shown = response.context["document"]
    assert (shown.number, shown.forum, shown.region, shown.revision, shown.sha256) == (
        document.number,
        "Musrenbang Kecamatan Kalirejo",
        "Kecamatan Kalirejo",
        0,
        document.sha256,
    )
    assert document.sha256 in text
    assert f'href="{reverse("public:document", args=[document.verify_code])}"' in text
    assert "Ini revisi terbaru berita acara ini." in text
    # Issued today: the long Indonesian date, with the weekday.
    with translation.override("id"):
        issued = formats.date_format(timezone.localtime(document.issued_at), "DATE_FORMAT")
    assert issued in text
    assert issued.split(", ")[0] in ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def test_the_code_is_read_in_any_case(client, document):
    response = client.get(reverse("public:verify", args=[document.verify_code.lower()]))

    assert response.context["document"].number == document.number


def test_a_superseded_revision_says_so_and_links_to_the_newer_one(client, walk, document):
    newer = forums_workflow.revise_minutes(
        actor=walk.district_officer, forum=walk.kecamatan, reason="Tempat salah ketik.", place="Aula Kecamatan"
    )

    old_page = client.get(reverse("public:verify", args=[document.verify_code]))
    new_page = client.get(reverse("public:verify", args=[newer.verify_code]))

    old_text, new_text = text_of(old_page), text_of(new_page)
    assert f"Digantikan: revisi 1, nomor {newer.number}, menggantikan dokumen ini." in old_text
    assert f'href="{reverse("public:verify", args=[newer.verify_code])}"' in old_text
    assert "Digantikan" not in new_text
    assert "Ini revisi terbaru berita acara ini." in new_text


def test_uploading_the_superseded_file_says_it_is_genuine_but_superseded(client, walk, document):
    newer = forums_workflow.revise_minutes(actor=walk.district_officer, forum=walk.kecamatan, reason="Salah ketik.")

    response = client.post(reverse("public:verify_upload"), {"file": upload(stored(document))})

    text = text_of(response)
    assert "Terbitan asli yang tidak diubah." in text
    assert f"Dokumen ini telah digantikan oleh revisi 1, nomor {newer.number}." in text


def test_uploading_the_pages_own_file_there_matches_it(client, document):
    response = client.post(reverse("public:verify", args=[document.verify_code]), {"file": upload(stored(document))})

    text = text_of(response)
    assert "Terbitan asli yang tidak diubah." in text
    assert "Berkas ini bukan dokumen halaman ini." not in text


def test_uploading_another_issued_document_on_a_page_says_which_it_is(client, walk, document):
    village_document = walk.desa.documents.get()

    response = client.post(
        reverse("public:verify", args=[document.verify_code]), {"file": upload(stored(village_document))}
    )

    text = text_of(response)
    assert "Berkas ini bukan dokumen halaman ini." in text
    assert f"Nomor {village_document.number}, Musrenbang Desa Kalirejo" in text


def test_an_unknown_code_is_404(client, walk):
    assert client.get(reverse("public:verify", args=["ZZZZZZZZZZ"])).status_code == 404


def test_the_upload_page_alone_has_the_form_and_no_result(client, db):
    response = client.get(reverse("public:verify_upload"))

    text = text_of(response)
    assert response.status_code == 200
    assert 'type="file"' in text and 'enctype="multipart/form-data"' in text
    assert response.context["checked"] is False


def test_verification_refuses_other_methods(client, document):
    assert client.put(reverse("public:verify_upload")).status_code == 405
    assert client.delete(reverse("public:verify", args=[document.verify_code])).status_code == 405


def test_a_kept_file_changed_on_disk_is_reported_and_no_longer_served(client, document):
    page = client.get(f"/v/{document.verify_code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "The file kept here still matches the SHA-256 recorded when it was issued." in text_of(page)
    assert client.get(f"/hasil/dokumen/{document.verify_code}.pdf").status_code == 200

    # Someone with access to the files (not the database, which refuses) rewrites the PDF in place.
    data = bytearray(stored(document))
    data[len(data) // 2] ^= 0xFF
    with open(document.pdf.path, "wb") as kept:
        kept.write(bytes(data))

    page = client.get(f"/v/{document.verify_code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "The file kept here no longer matches the SHA-256 recorded when it was issued" in text_of(page)
    assert "Download the issued PDF" not in text_of(page)
    assert client.get(f"/hasil/dokumen/{document.verify_code}.pdf").status_code == 404
