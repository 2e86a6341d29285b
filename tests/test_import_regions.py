import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from lokal import wilayah

from regions.importer import CsvError, read_csv, validate
from regions.models import Kind, Level, Region

# Kepmendagri 300.2.2-2138/2025: provinsi, kabupaten/kota, kecamatan, desa/kelurahan.
OFFICIAL_COUNTS = {1: 38, 2: 514, 3: 7_285, 4: 83_762}

SMALL_CSV = """kode,nama
18,Lampung
18.02,Kabupaten Lampung Tengah
18.02.01,Kalirejo
18.02.01.2001,Sri Way Langsep
18.02.01.2002,Wayakrui
18.71,Kota Bandar Lampung
18.71.01,Kedaton
18.71.01.1003,Kedaton
"""


@pytest.fixture(autouse=True)
def english():
    # The summary lines are parsed below; pin the language so a new Indonesian
    # translation cannot break the parsing.
    with translation.override("en"):
        yield


def run(*args) -> tuple[dict[int, tuple[int, int, int, int]], str]:
    """Runs the command; returns {level: (created, updated, unchanged, in database)} and stdout."""
    out = io.StringIO()
    call_command("import_regions", *args, stdout=out, stderr=io.StringIO())
    output = out.getvalue()
    summary = {}
    for level in Level:
        match = re.search(
            rf"^{re.escape(str(level.label))}: (\d+) created, (\d+) updated, (\d+) unchanged; (\d+) in the database$",
            output,
            re.MULTILINE,
        )
        assert match, f"no summary line for {level.label} in:\n{output}"
        summary[level.value] = tuple(int(n) for n in match.groups())
    return summary, output


def run_failing(*args) -> tuple[str, str]:
    """Runs the command expecting CommandError; returns (stderr, the error's message)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_regions", *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue(), str(excinfo.value)


def lokal_codes() -> dict[str, str]:
    return {**wilayah._base(), **wilayah._desa()}


def write_csv(tmp_path, text, name="regions.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return str(path)


def level_counts() -> dict[int, int]:
    return dict(Counter(Region.objects.values_list("level", flat=True)))


@pytest.mark.slow
@pytest.mark.django_db
def test_whole_country_matches_the_decree_and_a_second_run_changes_nothing():
    lokal_per_level = Counter(code.count(".") + 1 for code in lokal_codes())
    assert dict(lokal_per_level) == OFFICIAL_COUNTS

    summary, _ = run()

    assert summary == {level: (n, 0, 0, n) for level, n in OFFICIAL_COUNTS.items()}
    assert level_counts() == OFFICIAL_COUNTS
    assert Region.objects.count() == 91_599
    ids_before = dict(Region.objects.values_list("code", "pk"))

    summary, _ = run()

    assert summary == {level: (0, 0, n, n) for level, n in OFFICIAL_COUNTS.items()}
    assert dict(Region.objects.values_list("code", "pk")) == ids_before


@pytest.mark.slow
@pytest.mark.django_db
def test_whole_country_kinds_parents_and_subtrees():
    run()
    lokal = lokal_codes()

    lampung_tengah = Region.objects.get(code="18.02")
    assert lampung_tengah.name == "Kabupaten Lampung Tengah"
    assert lampung_tengah.kind == Kind.KABUPATEN
    assert lampung_tengah.level == Level.KABUPATEN
    assert lampung_tengah.parent.code == "18"
    assert lampung_tengah.parent.name == "Lampung"

    bandar_lampung = Region.objects.get(code="18.71")
    assert (bandar_lampung.name, bandar_lampung.kind) == ("Kota Bandar Lampung", Kind.KOTA)
    # The code rule (kota numbered 71 and up) must agree with the official names everywhere.
    kota_by_name = {code for code, name in lokal.items() if code.count(".") == 1 and name.startswith("Kota ")}
    assert set(Region.objects.filter(kind=Kind.KOTA).values_list("code", flat=True)) == kota_by_name
    assert len(kota_by_name) == 98

    kelurahan = Region.objects.get(code="18.71.01.1003")
    assert kelurahan.kind == Kind.KELURAHAN
    assert kelurahan.name == lokal["18.71.01.1003"] == "Kedaton"
    assert kelurahan.parent.code == "18.71.01"
    assert kelurahan.parent.parent == bandar_lampung
    desa = Region.objects.get(code="18.02.01.2001")
    assert (desa.kind, desa.parent.code) == (Kind.DESA, "18.02.01")
    assert Region.objects.get(code="91.03.01").kind == Kind.DISTRIK

    # Every parent link agrees with the code.
    mismatched = [
        code
        for code, parent in Region.objects.filter(level__gt=1).values_list("code", "parent__code")
        if parent != code.rsplit(".", 1)[0]
    ]
    assert mismatched == []

    in_lampung_tengah = Region.objects.subtree(lampung_tengah).count()
    assert in_lampung_tengah == sum(1 for code in lokal if code.startswith("18.02")) == 340


@pytest.mark.django_db
def test_one_province_imports_only_that_province():
    lampung = {code: name for code, name in lokal_codes().items() if code == "18" or code.startswith("18.")}
    per_level = Counter(code.count(".") + 1 for code in lampung)

    summary, _ = run("--province", "18")

    assert summary == {level: (per_level[level], 0, 0, per_level[level]) for level in Level.values}
    assert per_level[1] == 1 and per_level[2] == 15
    assert dict(Region.objects.values_list("code", "name")) == lampung
    assert not Region.objects.exclude(code__startswith="18").exists()

    summary, _ = run("--province", "18")
    assert [summary[level][:3] for level in Level.values] == [(0, 0, per_level[level]) for level in Level.values]


@pytest.mark.django_db
def test_unknown_province_is_an_error():
    _, message = run_failing("--province", "99")
    assert "99" in message
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_valid_csv_imports(tmp_path):
    # Excel's "CSV UTF-8" starts the file with a BOM; it must not end up in the first code.
    path = write_csv(tmp_path, SMALL_CSV, encoding="utf-8-sig")

    summary, _ = run("--csv", path)

    assert summary == {1: (1, 0, 0, 1), 2: (2, 0, 0, 2), 3: (2, 0, 0, 2), 4: (3, 0, 0, 3)}
    kota = Region.objects.get(code="18.71")
    assert (kota.name, kota.kind, kota.level, kota.parent.code) == ("Kota Bandar Lampung", Kind.KOTA, 2, "18")
    desa = Region.objects.get(code="18.02.01.2002")
    assert (desa.name, desa.kind, desa.parent.code) == ("Wayakrui", Kind.DESA, "18.02.01")
    assert Region.objects.get(code="18.71.01.1003").kind == Kind.KELURAHAN
    assert Region.objects.get(code="18").parent is None


@pytest.mark.django_db
def test_csv_rows_may_hang_under_regions_already_in_the_database(tmp_path):
    run("--csv", write_csv(tmp_path, SMALL_CSV))
    # No header this time, and a new desa under an existing kecamatan.
    summary, _ = run("--csv", write_csv(tmp_path, "18.02.01.2003,Kalirejo\n", name="more.csv"))

    assert summary[4] == (1, 0, 0, 4)
    assert Region.objects.get(code="18.02.01.2003").parent == Region.objects.get(code="18.02.01")


@pytest.mark.django_db
def test_csv_with_bad_rows_is_rejected_whole(tmp_path):
    run("--csv", write_csv(tmp_path, SMALL_CSV))
    before = list(Region.objects.values_list("code", "name", "kind", "parent_id"))
    path = write_csv(
        tmp_path,
        "kode,nama\n"
        "18.02.01.2003,Kalirejo\n"  # line 2: fine, and must not be written either
        "18.2.01,Bangun Rejo\n"  # line 3: malformed code
        "18.02.02,\n"  # line 4: empty name
        "18.04.01.2001,Negeri Agung\n"  # line 5: kecamatan 18.04.01 is nowhere
        "18.02.01.2004,Balai Rejo\n",  # line 6: fine
        name="bad.csv",
    )

    errors, message = run_failing("--csv", path)

    assert "3 problems" in message and "nothing was imported" in message
    lines = errors.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Line 3:") and "18.2.01" in lines[0] and "malformed" in lines[0]
    assert lines[1].startswith("Line 4:") and "18.02.02" in lines[1] and "empty" in lines[1]
    assert lines[2].startswith("Line 5:") and "18.04.01" in lines[2] and "parent" in lines[2]
    assert list(Region.objects.values_list("code", "name", "kind", "parent_id")) == before
    assert not Region.objects.filter(code__in=["18.02.01.2003", "18.02.01.2004"]).exists()


@pytest.mark.django_db
def test_bad_csv_into_an_empty_database_writes_nothing(tmp_path):
    path = write_csv(tmp_path, SMALL_CSV + "18.02.01.2001,Sri Way Langsep\n18.02.01.2005,  \n")

    errors, _ = run_failing("--csv", path)

    assert errors.splitlines() == [
        "Line 10: code 18.02.01.2001 appears twice in the file (first on line 5).",
        "Line 11: the name of 18.02.01.2005 is empty.",
    ]
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_renamed_region_in_a_csv_reimport_is_the_only_update(tmp_path):
    run("--csv", write_csv(tmp_path, SMALL_CSV))
    before = {code: (pk, name) for code, pk, name in Region.objects.values_list("code", "pk", "name")}
    renamed = SMALL_CSV.replace("18.02.01.2002,Wayakrui", "18.02.01.2002,Wayakrui Baru")

    summary, _ = run("--csv", write_csv(tmp_path, renamed, name="renamed.csv"))

    assert summary == {1: (0, 0, 1, 1), 2: (0, 0, 2, 2), 3: (0, 0, 2, 2), 4: (0, 1, 2, 3)}
    after = {code: (pk, name) for code, pk, name in Region.objects.values_list("code", "pk", "name")}
    assert after.pop("18.02.01.2002") == (before.pop("18.02.01.2002")[0], "Wayakrui Baru")
    assert after == before


def test_read_csv_accepts_semicolons_bom_and_blank_lines(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes('\ufeffKode;Nama\r\n18;Lampung\r\n\r\n18.02;"Kabupaten Lampung Tengah";;\r\n'.encode())

    assert read_csv(str(path)) == [(2, "18", "Lampung"), (4, "18.02", "Kabupaten Lampung Tengah")]
    assert read_csv(io.StringIO("code,name\n18, Lampung \n")) == [(2, "18", "Lampung")]


def test_read_csv_refuses_what_it_cannot_read_safely(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("18,Lampung\n18.02.01.2001,Sri Way Langsep\n18.02.01.2002,Wayakrui ©\n".encode("latin-1"))
    with pytest.raises(CsvError) as excinfo:
        read_csv(path)
    assert excinfo.value.errors[0].startswith("Line 3:")

    with pytest.raises(CsvError) as excinfo:
        read_csv(io.StringIO("18,Lampung\n18.02,Kabupaten, Lampung Tengah\n"))
    assert excinfo.value.errors == [
        "Line 2: expected two columns (kode, nama) but found 3; quote names that contain “,”."
    ]


def test_validate_lets_the_database_supply_parents():
    rows = [(1, "18.02.01", "Kalirejo"), (2, "18.02.01.2001", "Sri Way Langsep")]

    assert validate(rows, existing_codes={"18", "18.02"}) == []
    assert validate(rows, existing_codes={"18"}) == [
        "Line 1: the parent 18.02 of 18.02.01 is neither in the file nor in the database."
    ]


def test_a_regions_code_cannot_be_changed_in_the_admin(client, admin_user, ladder):
    """A region's code is its identity (the importer keys on it, forums keep a copy of it): the
    admin edits its name and shows its code as text."""
    region = ladder["18.02.01"]
    url = f"/admin/regions/region/{region.pk}/change/"
    client.force_login(admin_user)
    assert 'name="code"' not in client.get(url).content.decode()

    form = {"code": "18.02.99", "name": "Kalirejo Baru", "level": region.level, "kind": region.kind}
    response = client.post(url, {**form, "parent": region.parent_id})

    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.code, region.name) == ("18.02.01", "Kalirejo Baru")
