"""Pages travel gzipped to a browser that accepts it; files that are compressed already do not."""

import gzip

import pytest

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(client, bappeda_kabupaten, village):
    for n in range(30):
        ProposalFactory(village=village, title=f"Drainase dusun nomor {n}", submitted=True)
    client.force_login(bappeda_kabupaten)
    return client


def test_a_list_page_is_sent_gzipped_and_reads_the_same(listed):
    plain = listed.get("/usulan/")
    packed = listed.get("/usulan/", headers={"accept-encoding": "gzip, deflate, br"})

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert "Drainase dusun nomor 29" in page
    assert page.count("Drainase dusun nomor") == plain.content.decode().count("Drainase dusun nomor") == 25
    assert len(packed.content) < len(plain.content) / 4


def test_the_public_home_page_is_gzipped_for_anyone(client):
    response = client.get("/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "<html" in gzip.decompress(response.content).decode()


def test_a_csv_export_is_gzipped_but_a_spreadsheet_is_not(listed):
    csv = listed.get("/usulan/?_export=csv", headers={"accept-encoding": "gzip"})
    xlsx = listed.get("/usulan/?_export=xlsx", headers={"accept-encoding": "gzip"})

    assert csv["Content-Encoding"] == "gzip"
    assert gzip.decompress(csv.content).decode("utf-8-sig").count("Drainase dusun nomor") == 30
    assert "Content-Encoding" not in xlsx
    assert xlsx.content[:2] == b"PK"  # the XLSX's own zip, untouched
