"""A village secretary enters and submits a proposal on a phone-sized screen, in a real Chromium;
the kecamatan above sees it and the neighbouring kecamatan does not."""

import pytest

from proposals.models import Proposal, Status

from .browser import browser, log_in, phone_page  # noqa: F401  (browser is a fixture)
from .factories import ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_village_operator_submits_from_a_phone_and_only_their_kecamatan_sees_it(
    browser,  # noqa: F811
    live_server,
    intake,
    pupr,
    village_operator,
    kecamatan_operator,
    other_kecamatan_operator,
):
    page = phone_page(browser, live_server)
    log_in(page, village_operator.username)
    page.get_by_role("link", name="+ Usulan baru").click()

    page.fill("#id_title", "Rabat beton jalan Dusun IV")
    page.fill("#id_problem", "Jalan tanah licin dan berlumpur saat hujan.")
    page.fill("#id_proposed_work", "Rabat beton lebar 3 m sepanjang 350 m.")
    page.select_option("#id_sector", label="Pekerjaan Umum dan Penataan Ruang")
    page.check("input[name=work_kind][value=fisik]")
    page.select_option("#id_target_agency", label="Dinas PUPR")
    page.select_option("#id_proposer_type", value="rt")
    page.fill("#id_proposer_name", "Ketua RT 004")
    page.fill("#id_volume", "350")
    page.fill("#id_unit", "meter")
    page.fill("#id_estimated_cost", "Rp245.000.000")
    page.fill("#id_beneficiaries", "Warga Dusun IV")
    page.fill("#id_beneficiary_count", "210")
    page.fill("#id_latitude", "-4.91")
    page.fill("#id_longitude", "105.12")
    # Nothing on the form is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Simpan draf").click()

    page.get_by_role("button", name="Ajukan usulan").click()
    page.wait_for_selector(".badge.status-submitted")
    proposal = Proposal.objects.get(title="Rabat beton jalan Dusun IV")
    assert proposal.status == Status.SUBMITTED
    assert proposal.estimated_cost == 245_000_000
    assert proposal.tracking_code in page.inner_text(".lead")
    assert "Rp245.000.000" in page.inner_text(".facts")

    above = phone_page(browser, live_server)
    log_in(above, kecamatan_operator.username)
    assert "Rabat beton jalan Dusun IV" in above.inner_text("main")

    neighbour = phone_page(browser, live_server)
    log_in(neighbour, other_kecamatan_operator.username)
    assert "Rabat beton jalan Dusun IV" not in neighbour.inner_text("main")
    neighbour.goto(proposal.get_absolute_url())
    assert "Rabat beton jalan Dusun IV" not in neighbour.content()


def test_submitting_asks_first_and_a_no_leaves_the_draft_as_it_was(
    browser,  # noqa: F811
    live_server,
    intake,
    village_operator,
):
    proposal = ProposalFactory(village=village_operator.region, title="Sumur bor Dusun II")
    page = phone_page(browser, live_server, confirm=None)
    log_in(page, village_operator.username)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.goto(proposal.get_absolute_url())

    page.get_by_role("button", name="Ajukan usulan").click()
    page.wait_for_timeout(300)

    assert asked == ["Ajukan usulan ini? Usulan akan masuk ke musyawarah desa dan tidak dapat diubah lagi."]
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ajukan usulan").click()
    page.wait_for_selector(".badge.status-submitted")
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_a_village_finds_rabat_beton_in_the_catalogue_as_it_types_and_sees_the_cost(
    browser,  # noqa: F811
    live_server,
    intake,
    pupr,
    village_operator,
):
    from catalogue.models import CatalogueItem
    from proposals.models import Sector

    CatalogueItem.objects.create(
        kabupaten=village_operator.region.parent.parent,
        planning_year=intake.planning_year,
        name="Rabat beton jalan",
        search_name="rabat beton jalan",
        definition="Beton tebal 12 cm.",
        unit="m²",
        unit_price=285_000,
        price_source="hspk",
        agency=pupr,
        sector=Sector.objects.get(code="1.03"),
    )
    page = phone_page(browser, live_server)
    log_in(page, village_operator.username)
    page.goto(live_server.url + "/usulan/baru/")

    page.fill("#id_volume", "120")
    page.get_by_role("searchbox", name="Cari di kamus usulan").fill("RABAT béton")
    page.get_by_role("button", name="Rabat beton jalan (m², Rp285.000) · Dinas PUPR").click()

    assert page.input_value("#id_unit") == "m²"
    assert page.input_value("#id_target_agency") == str(pupr.pk)
    assert page.input_value("#id_estimated_cost") == "34.200.000"
    assert page.is_checked("input[name=work_kind][value=fisik]")
