"""A Bappeda sets when each stage of a planning year is open; intake follows that schedule."""

import datetime

import pytest
from django.utils import timezone

from planning.models import StageWindow
from regions.models import Level

from .factories import open_intake

TODAY = timezone.localdate()
NEXT_YEAR = TODAY.year + 1


def _dates(days_from, days_to):
    return (TODAY + datetime.timedelta(days=days_from)).isoformat(), (
        TODAY + datetime.timedelta(days=days_to)
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
    response = client.post("/usulan/jadwal/", {"year": NEXT_YEAR, f"opens_{Level.DESA}": TODAY.isoformat()})
    assert response.status_code == 403
    assert StageWindow.objects.count() == 0


def test_a_kabupaten_bappeda_cannot_schedule_the_provincial_stage(client, bappeda_kabupaten):
    client.force_login(bappeda_kabupaten)
    opens, closes = _dates(1, 2)
    client.post(
        "/usulan/jadwal/", {"year": NEXT_YEAR, f"opens_{Level.PROVINSI}": opens, f"closes_{Level.PROVINSI}": closes}
    )
    assert not StageWindow.objects.filter(level=Level.PROVINSI).exists()
