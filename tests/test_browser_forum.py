"""In a real Chromium: a village enters a proposal, holds its forum, the kecamatan holds its
own, and the berita acara downloaded at the end is a real PDF that names the item."""

import io

import pytest
from pypdf import PdfReader

from forums.models import Forum, MinutesDocument
from proposals.models import Proposal, Status
from regions.models import Level

from .browser import browser, log_in, phone_page  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Rabat beton jalan Dusun V"


def _enter_proposal(page):
    page.goto("/usulan/baru/")
    page.fill("#id_title", TITLE)
    page.fill("#id_problem", "Jalan tanah licin dan berlumpur saat hujan.")
    page.fill("#id_proposed_work", "Rabat beton lebar 3 m sepanjang 300 m.")
    page.select_option("#id_sector", label="Pekerjaan Umum dan Penataan Ruang")
    page.check("input[name=work_kind][value=fisik]")
    page.select_option("#id_target_agency", label="Dinas PUPR")
    page.select_option("#id_proposer_type", value="rt")
    page.fill("#id_proposer_name", "Ketua RT 002")
    page.fill("#id_volume", "300")
    page.fill("#id_unit", "meter")
    page.fill("#id_estimated_cost", "210.000.000")
    page.fill("#id_beneficiaries", "Warga Dusun V")
    page.fill("#id_beneficiary_count", "150")
    page.click("main form.proposal-form button[type=submit]")
    page.click("form[action$='/ajukan/'] button[type=submit]")
    page.wait_for_selector(".badge.status-submitted")


def _hold_forum(page, forum, *, chair):
    """Fill in the details and delegates, accept every item, approve; as the forum's officer would."""
    page.goto(f"/musyawarah/{forum.pk}/ubah/")
    page.fill("#id_held_on", "2026-11-20")
    page.fill("#id_starts_at", "09:00")
    page.fill("#id_place", f"Balai {forum.region.display_name}")
    page.fill("#id_chair_name", chair)
    page.click("main form button[type=submit]")
    for name, gender in (("Siti Aminah", "P"), ("Wayan Sudarma", "L"), ("Yusuf Hidayat", "L")):
        page.goto(f"/musyawarah/{forum.pk}/delegasi/")
        page.fill("#id_name", name)
        page.check(f"input[name=gender][value={gender}]")
        page.fill("#id_institution", "Tokoh masyarakat")
        page.click("main form:has(#id_name) button[type=submit]")
    # Who attended, in the attendance table: the government side, an element of society, a woman.
    page.goto(f"/musyawarah/{forum.pk}/hadir/")
    attendees = [("Sri Wahyuni", "perempuan", "P"), ("Made Ardana", "tokoh_masyarakat", "L")]
    attendees += (
        [("Pak Lurah", "pemdes", "L"), ("Ibu BPD", "bpd", "P")]
        if forum.level == Level.DESA
        else [("Delegasi", "delegasi", "L")]
    )
    for row, (name, element, gender) in enumerate(attendees):
        page.fill(f"#id_rows-{row}-name", name)
        page.select_option(f"#id_rows-{row}-element", value=element)
        page.select_option(f"#id_rows-{row}-gender", value=gender)
    page.click("form.attendance-form button[type=submit]:not([name])")
    page.wait_for_selector(".messages")
    for decision in forum.decisions.all():
        page.goto(f"/musyawarah/{forum.pk}/usulan/{decision.pk}/")
        page.check("input[name=outcome][value=accepted]")
        page.click("main form:has(input[name=outcome]) button[type=submit]")
    page.goto(f"/musyawarah/{forum.pk}/setujui/")
    assert TITLE in page.inner_text("main")  # the preview shows what will be issued
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_a_proposal_climbs_from_village_entry_through_the_kecamatan_forum_to_its_berita_acara(
    browser,  # noqa: F811
    live_server,
    intake,
    pupr,
    village_operator,
    kecamatan_operator,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    page = phone_page(browser, live_server)
    log_in(page, village_operator.username)
    _enter_proposal(page)

    desa = Forum.objects.get(level=Level.DESA, region=village_operator.region)
    _hold_forum(page, desa, chair="Sri Wahyuni")
    desa.refresh_from_db()
    assert desa.is_approved
    assert desa.documents.count() == 1

    officer = phone_page(browser, live_server)
    log_in(officer, kecamatan_operator.username)
    officer.goto("/musyawarah/")
    assert "Kalirejo" in officer.inner_text("main")
    kecamatan = Forum.objects.get(level=Level.KECAMATAN, region=kecamatan_operator.region)
    _hold_forum(officer, kecamatan, chair="Rudi Hartono")

    document = MinutesDocument.objects.get(forum=kecamatan)
    officer.goto(f"/musyawarah/{kecamatan.pk}/")
    assert document.number in officer.inner_text("main")
    response = officer.request.get(document.get_absolute_url())
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert document.number in text
    assert TITLE in text
    assert "Rp210.000.000" in text
    proposal = Proposal.objects.get(title=TITLE)
    assert (proposal.status, proposal.level) == (Status.SUBMITTED, Level.KABUPATEN)
    assert proposal.decisions.latest("id").forum.agency == pupr
