"""A Bappeda sets when each stage of a planning year is open; intake follows that schedule."""

import datetime

import pytest
from django.utils import timezone

from planning.models import StageWindow
from regions.models import Level

from .factories import open_intake

NEXT_YEAR = timezone.localdate().year + 1


def _dates(days_from, days_to):
    return (timezone.localdate() + datetime.timedelta(days=days_from)).isoformat(), (
        timezone.localdate() + datetime.timedelta(days=days_to)
    ).isoformat()


def test_bappeda_kabupaten_sets_its_windows_and_the_village_can_then_enter_proposals(
    client, bappeda_kabupaten, village_operator, ladder
):
    client.force_login(village_operator)
    assert "Simpan" not in client.get("/usulan/baru/").content.decode()

    client.force_login(bappeda_kabupaten)
    desa_open, desa_close = _dates(-1, 30)
    kec_open, kec_close = _dates(31, 60)
    response = client.post(
        "/usulan/jadwal/",
        {
            "year": NEXT_YEAR,
            "opens_1": "",
            "closes_1": "",
            f"opens_{Level.DESA}": desa_open,
            f"closes_{Level.DESA}": desa_close,
            f"opens_{Level.KECAMATAN}": kec_open,
            f"closes_{Level.KECAMATAN}": kec_close,
        },
    )
    assert response.status_code == 302
    windows = {w.level: (w.opens_on.isoformat(), w.closes_on.isoformat()) for w in StageWindow.objects.all()}
    assert windows == {Level.DESA: (desa_open, desa_close), Level.KECAMATAN: (kec_open, kec_close)}
    assert set(StageWindow.objects.values_list("region__code", flat=True)) == {"18.02"}

    client.force_login(village_operator)
    page = client.get("/usulan/baru/").content.decode()
    assert 'name="title"' in page


def test_a_stage_closing_before_it_opens_is_refused_and_nothing_is_saved(client, bappeda_kabupaten):
    client.force_login(bappeda_kabupaten)
    opens, closes = _dates(10, 1)
    response = client.post(
        "/usulan/jadwal/", {"year": NEXT_YEAR, f"opens_{Level.DESA}": opens, f"closes_{Level.DESA}": closes}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"closes_{Level.DESA}"]
    assert f'value="{opens}"' in response.content.decode()
    assert StageWindow.objects.count() == 0


def test_clearing_a_kabupaten_window_falls_back_to_the_provinces(client, bappeda_kabupaten, ladder, village):
    province_window = open_intake(ladder["18"], days_before=5, days_after=5)
    own = open_intake(ladder["18.02"], days_before=1, days_after=50)
    assert StageWindow.objects.intake_for(village) == (own, None)

    client.force_login(bappeda_kabupaten)
    client.post("/usulan/jadwal/", {"year": own.planning_year.year})
    assert not StageWindow.objects.filter(region=ladder["18.02"]).exists()
    assert StageWindow.objects.intake_for(village) == (province_window, None)


@pytest.mark.parametrize("persona", ["village_operator", "kecamatan_operator", "agency_officer"])
def test_only_bappeda_may_set_the_schedule(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        "/usulan/jadwal/", {"year": NEXT_YEAR, f"opens_{Level.DESA}": timezone.localdate().isoformat()}
    )
    assert response.status_code == 403
    assert StageWindow.objects.count() == 0


def test_a_kabupaten_bappeda_cannot_schedule_the_provincial_stage(client, bappeda_kabupaten):
    client.force_login(bappeda_kabupaten)
    opens, closes = _dates(1, 2)
    client.post(
        "/usulan/jadwal/", {"year": NEXT_YEAR, f"opens_{Level.PROVINSI}": opens, f"closes_{Level.PROVINSI}": closes}
    )
    assert not StageWindow.objects.filter(level=Level.PROVINSI).exists()


def _post_schedule(client, year, **levels):
    data = {"year": year}
    for level, (opens, closes) in levels.items():
        data[f"opens_{Level[level]}"], data[f"closes_{Level[level]}"] = opens, closes
    return client.post("/usulan/jadwal/", data)


def test_a_village_stage_closing_after_the_district_stage_opens_is_refused_and_nothing_is_saved(
    client, bappeda_kabupaten
):
    client.force_login(bappeda_kabupaten)
    response = _post_schedule(client, 2031, DESA=("2030-01-01", "2030-02-05"), KECAMATAN=("2030-02-01", "2030-02-13"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Tahap Desa/Kelurahan (1 Januari 2030 – 5 Februari 2030) harus ditutup sebelum tahap Kecamatan dibuka "
        "(1 Februari 2030 – 13 Februari 2030)."
    ]
    assert "harus ditutup sebelum tahap Kecamatan dibuka" in response.content.decode()
    assert StageWindow.objects.count() == 0


def test_a_stage_may_not_share_its_last_day_with_the_next_stages_first(client, bappeda_kabupaten):
    client.force_login(bappeda_kabupaten)
    _post_schedule(client, 2031, KECAMATAN=("2030-02-01", "2030-02-13"), KABUPATEN=("2030-02-13", "2030-03-10"))
    assert StageWindow.objects.count() == 0
    _post_schedule(client, 2031, KECAMATAN=("2030-02-01", "2030-02-13"), KABUPATEN=("2030-02-14", "2030-03-10"))
    assert StageWindow.objects.count() == 2


def test_a_kabupaten_window_is_checked_against_the_provinces_window_it_inherits(client, bappeda_kabupaten, ladder):
    from planning.models import PlanningYear

    year = PlanningYear.objects.create(year=2031)
    StageWindow.objects.create(
        planning_year=year,
        level=Level.KECAMATAN,
        region=ladder["18"],
        opens_on=datetime.date(2030, 2, 1),
        closes_on=datetime.date(2030, 2, 13),
    )
    client.force_login(bappeda_kabupaten)
    response = _post_schedule(client, 2031, DESA=("2030-01-05", "2030-02-02"))
    assert response.context["form"].non_field_errors() == [
        "Tahap Desa/Kelurahan (5 Januari 2030 – 2 Februari 2030) harus ditutup sebelum tahap Kecamatan dibuka "
        "(1 Februari 2030 – 13 Februari 2030)."
    ]
    assert list(StageWindow.objects.values_list("region__code", flat=True)) == ["18"]


def test_a_window_overlapping_the_same_stage_of_another_plan_year_is_refused_and_nothing_is_saved(
    client, bappeda_kabupaten
):
    client.force_login(bappeda_kabupaten)
    _post_schedule(client, 2031, DESA=("2030-01-01", "2030-01-31"))
    response = _post_schedule(client, 2032, DESA=("2030-01-20", "2030-03-01"))
    assert response.context["form"].non_field_errors() == [
        "Tahap Desa/Kelurahan RKPD 2032 (20 Januari 2030 – 1 Maret 2030) bertumpang tindih dengan tahap yang sama "
        "RKPD 2031 (1 Januari 2030 – 31 Januari 2030): tahap satu tahun rencana harus ditutup sebelum "
        "tahun lain dibuka."
    ]
    assert list(StageWindow.objects.values_list("planning_year__year", flat=True)) == [2031]
    assert not StageWindow.objects.filter(planning_year__year=2032).exists()


def test_the_schedule_refuses_out_of_order_windows_in_the_users_language(bappeda_kabupaten):
    from django.utils import translation

    from musrenbang.errors import WorkflowError
    from planning.workflow import set_schedule

    windows = {
        Level.KECAMATAN: (datetime.date(2030, 2, 1), datetime.date(2030, 2, 13)),
        Level.KABUPATEN: (datetime.date(2030, 1, 20), datetime.date(2030, 3, 1)),
    }
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        set_schedule(actor=bappeda_kabupaten, year=2031, windows=windows)
    assert str(refused.value) == (
        "The District stage (1 February 2030 – 13 February 2030) must close before the Regency/city stage opens "
        "(20 January 2030 – 1 March 2030)."
    )
    assert StageWindow.objects.count() == 0
