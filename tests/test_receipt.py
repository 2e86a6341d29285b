"""The proposal's printable receipt (proposals/receipt.py): tracking code, a QR code of the public
tracking page, what happens next; for whoever may see the proposal, once it is submitted."""

from __future__ import annotations

import datetime
import re

import pytest
import segno
from django.utils import timezone

from .factories import ProposalFactory

BASE = "https://musrenbang.lampungtengahkab.go.id"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PUBLIC_BASE_URL = BASE


@pytest.fixture
def submitted(village):
    return ProposalFactory(
        submitted=True,
        village=village,
        title="Rabat beton jalan Dusun Karangsari",
        proposer_type="warga",
        proposer_name="Pak Sugeng",
        submitted_at=timezone.make_aware(datetime.datetime(2026, 1, 6, 10, 30)),
    )


def squashed(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_village_prints_the_receipt_with_code_qr_and_next_steps(client, village_operator, submitted):
    client.force_login(village_operator)

    response = client.get(f"/usulan/{submitted.pk}/tanda-terima/")

    page = squashed(response)
    code = submitted.tracking_code
    address = f"{BASE}/lacak/{code}/"
    assert response.status_code == 200
    assert "<h1>Tanda terima usulan</h1>" in page
    assert f'<p class="receipt-code code">{code}</p>' in page
    assert f'<p class="receipt-address">{address}</p>' in page
    assert "<dt>Usulan</dt><dd>Rabat beton jalan Dusun Karangsari</dd>" in page
    assert "<dd>Desa Kalirejo, Kecamatan Kalirejo, Kabupaten Lampung Tengah</dd>" in page
    assert "<dt>Pengusul</dt><dd>Warga: Pak Sugeng</dd>" in page
    assert "<dt>Diajukan pada</dt><dd>Selasa, 6 Januari 2026</dd>" in page
    assert "<h2>Tahap selanjutnya</h2>" in page
    assert (
        "<strong>Musrenbang Kecamatan</strong>: musyawarah kecamatan memeringkat usulan desa-desa dalam pagu "
        "indikatif kecamatan." in page
    )
    assert "Diterima oleh Desa Kalirejo" in page
    # The QR code is drawn inline from the tracking page's full address, and from nothing else.
    expected = segno.make(address, error="m", micro=False).svg_inline(
        border=2, omitsize=True, svgclass="receipt-qr", title="Kode QR halaman pelacakan"
    )
    assert expected in response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/receipt.css">' in page


def test_the_receipt_reads_in_english_on_request(client, village_operator, submitted):
    client.force_login(village_operator)

    page = squashed(client.get(f"/usulan/{submitted.pk}/tanda-terima/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "<h1>Proposal receipt</h1>" in page
    assert "<h2>What happens next</h2>" in page
    assert "<title>QR code of the tracking page</title>" in page


def test_an_officer_above_in_scope_may_print_it_too(client, bappeda_kabupaten, submitted):
    client.force_login(bappeda_kabupaten)

    assert client.get(f"/usulan/{submitted.pk}/tanda-terima/").status_code == 200


@pytest.mark.parametrize("persona", ["neighbour_village_operator", "other_bappeda_kabupaten", "other_bappeda_provinsi"])
def test_an_outsider_gets_a_404(request, client, submitted, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(f"/usulan/{submitted.pk}/tanda-terima/").status_code == 404


def test_a_draft_has_no_receipt_yet(client, village_operator, village):
    draft = ProposalFactory(village=village, created_by=village_operator)
    client.force_login(village_operator)

    assert client.get(f"/usulan/{draft.pk}/tanda-terima/").status_code == 404
    assert "/tanda-terima/" not in client.get(f"/usulan/{draft.pk}/").content.decode()


def test_the_proposal_page_links_to_the_receipt(client, village_operator, submitted):
    client.force_login(village_operator)

    page = squashed(client.get(f"/usulan/{submitted.pk}/"))

    assert f'<a href="/usulan/{submitted.pk}/tanda-terima/">Cetak tanda terima</a>' in page


def test_the_receipt_needs_a_login_and_a_get(client, village_operator, submitted):
    url = f"/usulan/{submitted.pk}/tanda-terima/"
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/masuk/?next={url}")

    client.force_login(village_operator)
    assert client.post(url).status_code == 405
