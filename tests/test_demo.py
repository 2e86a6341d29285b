"""`make run` loads the demo: Lampung, one account per role, a dozen proposals; twice is once."""

import io

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from catalogue.models import CatalogueItem
from delivery.models import Delivery, Report, ReportPhoto
from forums.models import Decision, Forum, MinutesDocument
from planning.models import PlanningYear, StageWindow
from proposals.models import Proposal, ProposalEvent, Status
from regions.models import Level, Region


def _counts():
    return (
        Region.objects.count(),
        User.objects.count(),
        Proposal.objects.count(),
        ProposalEvent.objects.count(),
        StageWindow.objects.count(),
        Forum.objects.count(),
        Decision.objects.count(),
        MinutesDocument.objects.count(),
        CatalogueItem.objects.count(),
    )


def test_demo_loads_lampung_accounts_and_proposals_and_a_second_run_adds_nothing(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("demo", stdout=out)

    assert Region.objects.filter(level=Level.PROVINSI).get().name == "Lampung"
    assert not Region.objects.exclude(code__startswith="18").exclude(code="18").exists()
    assert sorted(User.objects.values_list("role", flat=True).distinct()) == sorted(Role.values)
    year = PlanningYear.objects.get(year=timezone.localdate().year + 1)  # the season under way
    proposals = Proposal.objects.filter(planning_year=year)
    # A dozen villages' proposals and the DPRD member's pokok-pikiran, waiting for the Setwan.
    assert proposals.count() == 13
    assert proposals.exclude(status=Status.DRAFT).count() == 10
    pokir = Proposal.objects.get(channel="pokir")
    assert (pokir.status, pokir.created_by.username, pokir.recess.place) == (
        Status.VERIFYING,
        "dprd.lamteng",
        "Balai Desa Kalirejo",
    )
    assert [a.kind for a in pokir.attachments.all()] == ["reses"]
    assert User.objects.get(username="dprd.lamteng").council_seat.faction == "Fraksi Gotong Royong"
    # Two villages' forums and Bangun Rejo's kecamatan forum are already held, each with its minutes.
    assert sorted(
        MinutesDocument.objects.filter(forum__planning_year=year).values_list("forum__region__code", flat=True)
    ) == ["18.02.01.2001", "18.02.02", "18.02.02.2001"]
    assert Proposal.objects.get(title="Jembatan gantung Way Pengubuan").decisions.latest("id").forum.agency.code == (
        "1.03.01"
    )
    assert Proposal.objects.get(title="Kolam ikan kelompok pembudidaya").status == Status.REJECTED
    assert set(Proposal.objects.values_list("kabupaten__code", flat=True)) == {"18.02"}
    # Every demo proposal went through the workflow, so it has its history.
    assert ProposalEvent.objects.filter(action="created", proposal__planning_year=year).count() == 13
    assert ProposalEvent.objects.filter(action="submitted", proposal__planning_year=year).count() == 10
    village = Region.objects.get(code="18.02.01.2003")
    window, _other = StageWindow.objects.intake_for(village)
    assert window is not None and window.planning_year == year
    for username in (
        "desa.kalirejo",
        "kec.kalirejo",
        "opd.pupr",
        "bappeda.lamteng",
        "bappeda.lampung",
        "dprd.lamteng",
        "setwan.lamteng",
        "admin",
    ):
        assert username in out.getvalue()
        assert User.objects.get(username=username).check_password("musrenbang")

    road = CatalogueItem.objects.get(name="Rabat beton jalan")
    assert (road.kabupaten.code, road.planning_year, road.unit, road.unit_price, road.agency.code) == (
        "18.02",
        year,
        "m²",
        285_000,
        "1.03.01",
    )

    before = _counts()
    call_command("demo", stdout=io.StringIO())
    assert _counts() == before


def test_demo_holds_last_season_taken_into_the_plan_and_being_delivered(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=io.StringIO())
    last = PlanningYear.objects.get(year=timezone.localdate().year)

    items = Proposal.objects.filter(planning_year=last)
    assert set(items.values_list("status", flat=True)) == {Status.ACCOMMODATED}
    # Walked through every forum, each approved with its minutes.
    forums = Forum.objects.filter(planning_year=last)
    assert sorted(forums.values_list("level", flat=True)) == sorted(
        [Level.DESA, Level.KECAMATAN] + [Level.KABUPATEN] * 3
    )
    assert set(forums.values_list("status", flat=True)) == {"approved"}
    assert MinutesDocument.objects.filter(forum__planning_year=last).count() == 5
    stages = dict(Delivery.objects.values_list("proposal__title", "stage"))
    assert stages == {
        "Rabat beton jalan Dusun I": "completed",
        "Saluran drainase Dusun II": "underway",
        "Posyandu Dusun IV": "budgeted",
        "Talud penahan tebing Dusun V": "dropped",
    }
    road = items.get(title="Rabat beton jalan Dusun I")
    assert Report.objects.filter(delivery=road.delivery).count() == 4
    assert ReportPhoto.objects.filter(report__delivery=road.delivery, public=True).count() == 2

    page = client.get(f"/lacak/{road.tracking_code}/").content.decode()
    assert "Selesai dan diserahterimakan kepada desa." in page
