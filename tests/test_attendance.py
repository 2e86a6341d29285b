"""Attendance at real size (issue 12, item 2): the table adding many people at once, the
spreadsheet import, the counts by gender and element, and the attendance rule approval checks
(forums/attendance.py, docs/rules.md)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from forums import attendance, queries
from forums import workflow as forums_workflow
from forums.attendance_import import COLUMNS, MAX_ROWS
from forums.models import Attendee, Element, Forum, MinutesDocument
from forums.workflow.ladder import forum_for
from musrenbang.errors import WorkflowError
from regions.models import Level, Region, kind_of, level_of

from .factories import QUORUM, attend


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def indonesian(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    return client


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def desa(intake, village):
    return forum_for(intake.planning_year, Level.DESA, village)


@pytest.fixture
def kecamatan(intake, ladder):
    return forum_for(intake.planning_year, Level.KECAMATAN, ladder["18.02.01"])


def url(forum, tail="") -> str:
    return f"/musyawarah/{forum.pk}/hadir/{tail}"


def table(*rows, total=None) -> dict:
    """The POST of the attendance table: `rows` (dicts of field -> value), then blank rows up to `total`."""
    data = {"rows-TOTAL_FORMS": str(total or len(rows)), "rows-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        data |= {f"rows-{n}-{name}": value for name, value in row.items()}
    return data


def person(name, element="tokoh_masyarakat", gender="L", **more) -> dict:
    return {"name": name, "element": element, "gender": gender, **more}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def text_of(response) -> str:
    return response.content.decode()


# --- the table ---------------------------------------------------------------------------------


def test_the_table_adds_every_filled_row_at_once_and_skips_blank_ones(indonesian, desa, village_operator):
    indonesian.force_login(village_operator)
    rows = [person(f"Peserta {n}", gender="P" if n % 2 else "L", institution=f"RT {n}") for n in range(1, 13)]
    rows[0] |= {"element": "pemdes", "signs": "on", "contact": "0812-1"}

    response = indonesian.post(url(desa), table(*rows, total=15), follow=True)

    saved = list(desa.attendees.values_list("name", "element", "institution", "gender", "signs", "contact"))
    assert len(saved) == 12
    assert saved[0] == ("Peserta 1", "pemdes", "RT 1", "P", True, "0812-1")
    assert saved[11] == ("Peserta 12", "tokoh_masyarakat", "RT 12", "L", False, "")
    assert messages_of(response) == ["12 peserta ditambahkan."]
    assert response.redirect_chain == [(url(desa), 302)]


def test_a_table_with_an_invalid_row_saves_nothing_and_keeps_what_was_typed(indonesian, desa, village_operator):
    indonesian.force_login(village_operator)
    rows = [
        person("Sri Wahyuni", element="pemdes", gender="P"),
        person("Tanpa Kelamin", gender=""),
        person("Unsur Aneh", element="penyihir"),
        {"institution": "Karang Taruna"},
    ]

    response = indonesian.post(url(desa), table(*rows, total=6))

    page = text_of(response)
    assert response.status_code == 200
    assert desa.attendees.count() == 0
    assert "Belum ada yang disimpan." in page
    summary = re.findall(r'<li><a href="#row-(\d)">Baris \d</a>: ([^<]+)</li>', page)
    assert [row for row, _ in summary] == ["2", "3", "4"]
    assert "Jenis kelamin — Pilih jenis kelamin." in summary[0][1]
    assert "Unsur yang diwakili — Pilih unsur yang diwakili dari pilihan yang tersedia." in summary[1][1]
    assert "Nama — Isi nama." in summary[2][1]
    # What was typed comes back, row by row.
    assert 'name="rows-0-name" value="Sri Wahyuni"' in page
    assert 'name="rows-1-name" value="Tanpa Kelamin"' in page
    assert 'name="rows-3-institution" value="Karang Taruna"' in page
    assert '<option value="pemdes" selected>' in page
    assert page.count('class="invalid"') == 3


def test_an_empty_table_is_refused(indonesian, desa, village_operator):
    indonesian.force_login(village_operator)

    response = indonesian.post(url(desa), table(total=10))

    assert "Isi sedikitnya satu baris." in text_of(response)
    assert desa.attendees.count() == 0


def test_more_rows_keeps_what_was_typed_and_saves_nothing(english, desa, village_operator):
    english.force_login(village_operator)

    response = english.post(url(desa), table(person("Sri Wahyuni", gender=""), total=10) | {"more": "1"})

    page = text_of(response)
    assert desa.attendees.count() == 0
    assert page.count('name="rows-') - page.count('name="rows-TOTAL') - page.count('name="rows-INITIAL') >= 20 * 6
    assert 'name="rows-19-name"' in page and 'name="rows-20-name"' not in page
    assert 'value="Sri Wahyuni"' in page
    assert "This field is required." not in page  # not yet submitted: no errors shown


@pytest.mark.parametrize(("asked", "shown"), [("", 10), ("?rows=30", 30), ("?rows=banyak", 10), ("?rows=9999", 200)])
def test_a_link_opens_a_longer_table_without_javascript(english, desa, village_operator, asked, shown):
    english.force_login(village_operator)

    page = text_of(english.get(url(desa) + asked))

    assert len(re.findall(r'name="rows-\d+-name"', page)) == shown


def test_the_kecamatan_reads_the_list_but_gets_no_table(english, desa, village_operator, kecamatan_operator):
    attend(village_operator, desa)
    english.force_login(kecamatan_operator)

    page = text_of(english.get(url(desa)))
    refused = english.post(url(desa), table(person("Orang Lain")))

    assert "Sri Wahyuni" in page and 'name="rows-0-name"' not in page
    assert refused.status_code == 403
    assert desa.attendees.count() == len(QUORUM)


@pytest.mark.parametrize("tail", ["", "impor/", "templat.xlsx"])
def test_another_villages_operator_finds_no_such_attendance_page(english, desa, neighbour_village_operator, tail):
    english.force_login(neighbour_village_operator)

    assert english.get(url(desa, tail)).status_code == 404
    assert english.post(url(desa, tail), table(person("Penyusup"))).status_code in (404, 405)
    assert desa.attendees.count() == 0


def test_another_kecamatans_operator_finds_no_such_attendance_page(english, kecamatan, other_kecamatan_operator):
    english.force_login(other_kecamatan_operator)

    for tail in ("", "impor/", "templat.xlsx"):
        assert english.get(url(kecamatan, tail)).status_code == 404
    assert english.post(url(kecamatan), table(person("Penyusup"))).status_code == 404


def test_an_approved_forum_takes_no_more_attendees(desa, village_operator):
    Forum.objects.filter(pk=desa.pk).update(status="approved", approved_at=timezone.now())

    with pytest.raises(WorkflowError):
        forums_workflow.add_attendees(actor=village_operator, forum=desa, rows=[person("Terlambat")])
    assert desa.attendees.count() == 0


# --- the spreadsheet ---------------------------------------------------------------------------


def workbook(*rows, header=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header or [column.header for column in COLUMNS])
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "daftar-hadir.xlsx"
    return data


def test_the_template_has_the_header_row_and_the_elements_to_choose(english, desa, village_operator):
    english.force_login(village_operator)

    response = english.get(url(desa, "templat.xlsx"))

    book = load_workbook(io.BytesIO(response.content))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [c.value for c in book["Daftar hadir"][1]] == [
        "Nama",
        "Unsur",
        "Instansi/lembaga",
        "L/P",
        "Tanda tangan berita acara",
        "Alamat atau telepon",
    ]
    listed = [row[0].value for row in book["Daftar"].iter_rows(min_row=2)]
    assert listed[:3] == ["Pemerintah desa/kelurahan", "Badan Permusyawaratan Desa (BPD)", listed[2]]
    assert "Kelompok perempuan" in listed and listed[-1] == "Lainnya"


def test_an_imported_list_adds_everyone_in_it(indonesian, desa, village_operator):
    indonesian.force_login(village_operator)
    upload = workbook(
        ("Sri Wahyuni", "Pemerintah desa/kelurahan", "Sekdes", "P", "Ya", "0812-1"),
        (None, None, None, None, None, None),
        ("Bambang", "bpd", "", "L", "", ""),
        ("Ratna", "Women's group", "PKK", "Perempuan", "tidak", ""),
    )

    response = indonesian.post(url(desa, "impor/"), {"file": upload}, follow=True)

    assert list(desa.attendees.values_list("name", "element", "institution", "gender", "signs", "contact")) == [
        ("Sri Wahyuni", "pemdes", "Sekdes", "P", True, "0812-1"),
        ("Bambang", "bpd", "", "L", False, ""),
        ("Ratna", "perempuan", "PKK", "P", False, ""),
    ]
    assert "3 peserta ditambahkan." in text_of(response)  # the upload's page, where the officer landed


def test_an_imported_list_with_errors_names_row_and_column_and_saves_nothing(indonesian, desa, village_operator):
    indonesian.force_login(village_operator)
    upload = workbook(
        ("Sri Wahyuni", "Pemerintah desa/kelurahan", "", "P", "Ya", ""),
        ("Bambang", "Penyihir", "", "L", "", ""),
        ("", "bpd", "", "X", "mungkin", ""),
    )

    response = indonesian.post(url(desa, "impor/"), {"file": upload}, follow=True)

    page = text_of(response)
    errors = re.findall(r"<li>(Baris \d+, kolom “[^”]+”: [^<]+)</li>", page)
    assert errors == [
        "Baris 3, kolom “Unsur”: Pilih unsur yang diwakili dari pilihan yang tersedia.",
        "Baris 4, kolom “Nama”: Isi nama.",
        "Baris 4, kolom “L/P”: Pilih jenis kelamin dari pilihan yang tersedia.",
        "Baris 4, kolom “Tanda tangan berita acara”: Tulis Ya atau Tidak, atau biarkan kosong.",
    ]
    assert "2 baris berisi kesalahan" in page
    assert desa.attendees.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: workbook(header=["Nama", "Jabatan"]), "Kolom yang tidak dikenal di baris judul: “Jabatan”."),
        (lambda: workbook(), "Berkas tidak berisi peserta"),
        (lambda: workbook(*[(f"P{n}", "bpd", "", "L", "", "") for n in range(MAX_ROWS + 1)]), "lebih dari 500 peserta"),
    ],
)
def test_a_file_that_is_wrong_as_a_whole_is_refused(indonesian, desa, village_operator, upload, message):
    indonesian.force_login(village_operator)

    response = indonesian.post(url(desa, "impor/"), {"file": upload()}, follow=True)

    assert message in text_of(response)
    assert desa.attendees.count() == 0


def test_a_file_that_is_not_a_workbook_is_refused(indonesian, desa, village_operator):
    indonesian.force_login(village_operator)
    upload = io.BytesIO(b"Nama;Unsur\nSri;bpd\n")
    upload.name = "daftar.csv"

    response = indonesian.post(url(desa, "impor/"), {"file": upload}, follow=True)

    assert "daftar.csv bukan berkas Excel (.xlsx)." in text_of(response)
    assert desa.attendees.count() == 0


# --- counts, and the rule approval checks ------------------------------------------------------


def test_the_attendance_page_and_the_approval_page_count_by_gender_and_element(english, desa, village_operator):
    attend(village_operator, desa)
    attend(village_operator, desa, [person("Ketut", element="perempuan", gender="P")])
    english.force_login(village_operator)

    for page in (text_of(english.get(url(desa))), text_of(english.get(f"/musyawarah/{desa.pk}/setujui/"))):
        assert re.findall(r'<dd id="count-(women|men)">(\d+)</dd>', page) == [("women", "3"), ("men", "2")]
        assert re.findall(r'<tr data-element="(\w+)"><td>[^<]+</td><td class="num">(\d+)</td>', page) == [
            ("pemdes", "1"),
            ("bpd", "1"),
            ("perempuan", "2"),
            ("delegasi", "1"),
        ]


@pytest.fixture
def kelurahan(ladder, intake):
    code = "18.02.01.1001"
    region = Region.objects.create(
        code=code, name="Kalirejo Kota", level=level_of(code), kind=kind_of(code), parent=ladder["18.02.01"]
    )
    return forum_for(intake.planning_year, Level.DESA, region)


def problems_with(forum, actor, *rows) -> list[str]:
    if rows:
        forums_workflow.add_attendees(actor=actor, forum=forum, rows=[dict(r) for r in rows])
    with translation.override("en"):
        return attendance.problems(forum)


NOBODY = "Nobody is on the attendance list. Record who attended (Lampiran I of the berita acara) before approving."
NO_WOMAN = "At least one woman must attend this forum; the attendance list names none."


def test_a_forum_without_attendees_cannot_be_approved(desa, village_operator):
    assert problems_with(desa, village_operator) == [NOBODY]


def test_a_village_forum_needs_its_government_its_bpd_an_element_of_society_and_a_woman(desa, village_operator):
    assert problems_with(desa, village_operator, person("Pak Kades", element="pemdes")) == [
        NO_WOMAN,
        "The attendance list names nobody for: the village consultative body (BPD); an element of society "
        "(tokoh, kelompok tani, perempuan, ...).",
    ]
    assert problems_with(desa, village_operator, person("Bu Ketua", element="bpd", gender="P")) == [
        "The attendance list names nobody for: an element of society (tokoh, kelompok tani, perempuan, ...)."
    ]
    assert problems_with(desa, village_operator, person("Pak Tani", element="petani")) == []


def test_a_kelurahan_has_no_bpd(kelurahan):
    # Rows as the workflow would leave them: no kelurahan operator is part of the test ladder.
    Attendee.objects.create(forum=kelurahan, name="Pak Lurah", element=Element.VILLAGE_GOVERNMENT, gender="L")
    Attendee.objects.create(forum=kelurahan, name="Bu RT", element=Element.COMMUNITY_INSTITUTION, gender="P")

    with translation.override("en"):
        assert attendance.problems(kelurahan) == []


def test_a_kecamatan_forum_needs_a_village_delegate(kecamatan, kecamatan_operator):
    rows = [person("Bu Camat", element="kecamatan", gender="P"), person("Pak Ustaz", element="tokoh_agama")]

    assert problems_with(kecamatan, kecamatan_operator, *rows) == [
        "The attendance list names nobody for: a delegate of a desa or kelurahan."
    ]
    assert problems_with(kecamatan, kecamatan_operator, person("Delegasi", element="delegasi")) == []


def test_above_the_kecamatan_anyone_attending_will_do(intake, ladder, bappeda_kabupaten):
    forum = forum_for(intake.planning_year, Level.KABUPATEN, ladder["18.02"])

    assert problems_with(forum, bappeda_kabupaten) == [NOBODY]
    assert problems_with(forum, bappeda_kabupaten, person("Kepala Bappeda", element="perangkat_daerah")) == []


def test_approval_is_refused_without_the_attendance_the_rule_asks(desa, village_operator):
    forums_workflow.update_forum(
        actor=village_operator, forum=desa, held_on=timezone.localdate(), place="Balai Desa", chair_name="Suparno"
    )
    for name, gender in (("Siti", "P"), ("Budi", "L"), ("Agus", "L")):
        forums_workflow.add_delegate(actor=village_operator, forum=desa, name=name, gender=gender)
    forums_workflow.add_attendees(actor=village_operator, forum=desa, rows=[person("Pak Kades", element="pemdes")])

    with translation.override("id"), pytest.raises(WorkflowError) as refused:
        forums_workflow.approve_forum(actor=village_operator, forum=desa)

    assert str(refused.value) == (
        "Forum ini harus dihadiri sedikitnya satu perempuan; daftar hadir belum mencantumkan seorang pun. "
        "Daftar hadir belum mencantumkan seorang pun dari: Badan Permusyawaratan Desa (BPD); unsur masyarakat "
        "(tokoh, kelompok tani, perempuan, dan lainnya)."
    )
    assert MinutesDocument.objects.count() == 0
    attend(village_operator, desa)
    assert queries.approval_preview(Forum.objects.get(pk=desa.pk))["problems"] == []


def test_a_list_padded_with_thousands_of_empty_rows_is_refused_without_reading_them_all(
    english, desa, village_operator
):
    english.force_login(village_operator)
    upload = workbook(
        ("Sri Wahyuni", "pemdes", "", "P", "", ""),
        *[(" ", None, None, None, None, None)] * 6000,
        ("Bambang", "bpd", "", "L", "", ""),
    )

    response = english.post(url(desa, "impor/"), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert "The sheet has more than 5000 rows (empty rows count too)." in text_of(response)
    assert not desa.attendees.exists()
