"""`make run` loads the demo: Lampung, one account per role, a dozen proposals; twice is once."""

import io

from django.core.management import call_command

from accounts.models import Role, User
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
    )


def test_demo_loads_lampung_accounts_and_proposals_and_a_second_run_adds_nothing(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("demo", stdout=out)

    assert Region.objects.filter(level=Level.PROVINSI).get().name == "Lampung"
    assert not Region.objects.exclude(code__startswith="18").exclude(code="18").exists()
    assert sorted(User.objects.values_list("role", flat=True).distinct()) == sorted(Role.values)
    # A dozen villages' proposals and the DPRD member's pokok-pikiran, waiting for the Setwan.
    assert Proposal.objects.count() == 13
    assert Proposal.objects.exclude(status=Status.DRAFT).count() == 10
    pokir = Proposal.objects.get(channel="pokir")
    assert (pokir.status, pokir.created_by.username, pokir.recess.place) == (
        Status.VERIFYING,
        "dprd.lamteng",
        "Balai Desa Kalirejo",
    )
    assert [a.kind for a in pokir.attachments.all()] == ["reses"]
    assert User.objects.get(username="dprd.lamteng").council_seat.faction == "Fraksi Gotong Royong"
    # Two villages' forums and Bangun Rejo's kecamatan forum are already held, each with its minutes.
    assert sorted(MinutesDocument.objects.values_list("forum__region__code", flat=True)) == [
        "18.02.01.2001",
        "18.02.02",
        "18.02.02.2001",
    ]
    assert Proposal.objects.get(title="Jembatan gantung Way Pengubuan").decisions.latest("id").forum.agency.code == (
        "1.03.01"
    )
    assert Proposal.objects.get(title="Kolam ikan kelompok pembudidaya").status == Status.REJECTED
    assert set(Proposal.objects.values_list("kabupaten__code", flat=True)) == {"18.02"}
    # Every demo proposal went through the workflow, so it has its history.
    assert ProposalEvent.objects.filter(action="created").count() == 13
    assert ProposalEvent.objects.filter(action="submitted").count() == 10
    year = PlanningYear.objects.get()
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

    before = _counts()
    call_command("demo", stdout=io.StringIO())
    assert _counts() == before
