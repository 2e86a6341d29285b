"""Bappeda Lampung Tengah imports its officers from a spreadsheet in a real Chromium: it downloads
the template from the page, uploads a file with a mistake (nothing is saved, the row comes back
with its error), uploads the corrected file, prints the set-password sheet, and a new village
operator follows their link, chooses a password and logs in."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from accounts.models import Role, User
from accounts.spreadsheet import COLUMNS, SHEET

from .browser import browser, log_in, phone_page  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = {column.field: column.header for column in COLUMNS}


def filled(template: bytes, rows: list[dict[str, str]]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[SHEET]
    position = {cell.value: cell.column for cell in sheet[1]}
    for number, values in enumerate(rows, start=2):
        for name, value in values.items():
            sheet.cell(row=number, column=position[HEADER[name]], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ROWS = [
    {"name": "Sri Wahyuni", "username": "desa.purwodadi", "role": "Operator desa", "region": "18.02.02.2001"},
    {"name": "Joko Susilo", "username": "opd.pupr2", "role": "Petugas perangkat daerah", "agency": "Dinas PUPR"},
]


def test_bappeda_imports_its_officers_and_a_new_operator_sets_their_own_password(
    browser,  # noqa: F811
    live_server,
    tmp_path,
    bappeda_kabupaten,
    pupr,
):
    context = browser.new_context(locale="id", base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, bappeda_kabupaten.username)
    page.get_by_role("link", name="Akun", exact=True).click()
    page.get_by_role("link", name="Impor dari spreadsheet").click()

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh templat").click()
    template = open(download.value.path(), "rb").read()

    # A village code that does not exist: the row comes back with its error, and nothing is saved.
    wrong = tmp_path / "akun-salah.xlsx"
    wrong.write_bytes(filled(template, [ROWS[0] | {"region": "18.02.02.2009"}, ROWS[1]]))
    page.set_input_files("#id_file", str(wrong))
    page.get_by_role("button", name="Impor").click()
    page.wait_for_selector("#row-errors")
    assert "1 baris berisi kesalahan, jadi tidak ada yang diimpor." in page.inner_text("#import-errors")
    invalid = page.locator("#row-2 td.invalid")
    assert invalid.get_attribute("data-column") == "Kode wilayah"
    assert "Tidak ada wilayah dengan kode “18.02.02.2009”." in invalid.inner_text()
    assert page.locator("#row-3").count() == 0
    assert not User.objects.filter(username__in=["desa.purwodadi", "opd.pupr2"]).exists()

    # The upload's page offers to send a corrected file; the worker reads it and says what it made.
    right = tmp_path / "akun-lamteng.xlsx"
    right.write_bytes(filled(template, ROWS))
    page.get_by_role("link", name="Kirim berkas yang sudah diperbaiki").click()
    page.set_input_files("#id_file", str(right))
    page.get_by_role("button", name="Impor").click()
    page.wait_for_selector("#upload-saved")
    assert "2 akun dari akun-lamteng.xlsx telah dibuat." in page.inner_text("#upload-saved")
    page.get_by_role("link", name="Cetak lembar tautan atur sandi").click()
    page.wait_for_selector(".slips")
    assert sorted(page.locator(".slip-username").all_inner_texts()) == ["desa.purwodadi", "opd.pupr2"]
    operator = User.objects.get(username="desa.purwodadi")
    assert (operator.role, operator.region.code, operator.has_usable_password()) == (
        Role.VILLAGE_OPERATOR,
        "18.02.02.2001",
        False,
    )
    assert User.objects.get(username="opd.pupr2").agency == pupr

    # Printed, the sheet is the slips alone: no header, no instructions.
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".screen-only").is_hidden()
    assert page.locator(".slip").count() == 2
    link = page.locator(f"#slip-{operator.pk} .slip-link a").inner_text()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/akun/sandi/atur/\S+/", link)

    # The new operator, on their phone, follows their link and chooses a password.
    phone = phone_page(browser, live_server)
    phone.goto(link)
    assert "desa.purwodadi" in phone.inner_text("main")
    phone.fill("#id_new_password1", "Padi-Menguning-77")
    phone.fill("#id_new_password2", "Padi-Menguning-77")
    phone.get_by_role("button", name="Simpan kata sandi saya").click()
    phone.wait_for_selector("text=Kata sandi Anda sudah tersimpan.")
    log_in(phone, "desa.purwodadi", "Padi-Menguning-77")
    phone.locator(".nav-menu > summary").click()  # on a phone the header's links fold behind "Menu"
    assert "Sri Wahyuni" in phone.inner_text(".who")

    # The link was spent.
    again = phone_page(browser, live_server)
    again.goto(link)
    assert "Tautan ini tidak berlaku lagi" in again.inner_text("main")
