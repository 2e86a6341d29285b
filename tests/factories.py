"""Factories for test data. Regions come from the `ladder` fixture in conftest, not from here."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Role, User
from planning.models import PlanningYear, StageWindow
from proposals.models import Proposal, Sector, Status
from regions.models import Agency, Level


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"officer{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    role = Role.VILLAGE_OPERATOR
    password = factory.django.Password("rahasia-uji-123")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["region", "code"]

    code = factory.Sequence(lambda n: f"9.{n:02d}.01")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")


def open_intake(region=None, *, year=None, level=Level.DESA, days_before=10, days_after=30) -> StageWindow:
    """A planning year whose window at `level` is open today (national when region is None)."""
    planning_year, _ = PlanningYear.objects.get_or_create(year=year or timezone.localdate().year + 1)
    today = timezone.localdate()
    return StageWindow.objects.create(
        planning_year=planning_year,
        level=level,
        region=region,
        opens_on=today - datetime.timedelta(days=days_before),
        closes_on=today + datetime.timedelta(days=days_after),
    )


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal row as the workflow would have left it; pass village=... (a desa Region)."""

    class Meta:
        model = Proposal

    planning_year = factory.LazyFunction(
        lambda: PlanningYear.objects.get_or_create(year=timezone.localdate().year + 1)[0]
    )
    kecamatan = factory.LazyAttribute(lambda o: o.village.parent)
    kabupaten = factory.LazyAttribute(lambda o: o.village.parent.parent)
    provinsi = factory.LazyAttribute(lambda o: o.village.parent.parent.parent)
    title = factory.Sequence(lambda n: f"Rabat beton jalan dusun {n}")
    problem = "Jalan tanah licin saat hujan."
    proposed_work = "Rabat beton lebar 3 m."
    proposer_type = "desa"
    proposer_name = "Pemerintah Desa"
    proposer_contact = "0812-1111-2222"
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="1.03"))
    work_kind = "fisik"
    volume = Decimal("100")
    unit = "meter"
    estimated_cost = 150_000_000
    beneficiaries = "Warga dusun"
    beneficiary_count = 120
    created_by = factory.LazyAttribute(
        lambda o: UserFactory(username=f"op-{o.village.code}", role=Role.VILLAGE_OPERATOR, region=o.village)
    )
    status = Status.DRAFT

    class Params:
        submitted = factory.Trait(
            status=Status.SUBMITTED,
            # The shape of a real code (XXXX-XXXX, proposals/codes.py) however many came before.
            tracking_code=factory.Sequence(lambda n: f"{n // 10_000:04d}-{n % 10_000:04d}"),
            submitted_at=factory.LazyFunction(timezone.now),
        )


# The attendance list the attendance rule (forums/attendance.py, docs/rules.md) asks of every
# forum: the village government, the BPD, an element of society, a delegate of a village, and
# women among them. One list for every level: it satisfies the desa, the kelurahan and the
# kecamatan, and above them any list will do.
QUORUM = [
    {"name": "Sri Wahyuni", "element": "pemdes", "institution": "Pemerintah Desa", "gender": "P", "signs": True},
    {"name": "Bambang Sutrisno", "element": "bpd", "institution": "BPD", "gender": "L", "signs": True},
    {"name": "Ratna Sari", "element": "perempuan", "institution": "PKK", "gender": "P"},
    {"name": "Ahmad Fauzi", "element": "delegasi", "institution": "Delegasi desa", "gender": "L"},
]


def attend(actor, forum, rows=None):
    """Put a quorum that satisfies the attendance rule on the forum's list, through the workflow
    (forums.workflow.add_attendees); `rows` replaces the default list."""
    from forums import workflow

    return workflow.add_attendees(actor=actor, forum=forum, rows=[dict(row) for row in rows or QUORUM])


def pokir_item(member, village, *, status=Status.VERIFYING, agency=None, **fields) -> Proposal:
    """A DPRD member's pokok-pikiran as pokir/workflow.py leaves it (sent to the Setwan by default),
    with its recess meeting; the end-to-end path through the pages is tests/test_pokir.py's."""
    from pokir.models import Recess
    from proposals.codes import new_tracking_code

    sent = status != Status.DRAFT
    proposal = ProposalFactory(
        village=village,
        channel="pokir",
        level=Level.KABUPATEN,
        proposer_type="dprd",
        proposer_name=member.get_full_name() or member.username,
        created_by=member,
        status=status,
        target_agency=agency,
        current_agency=agency if sent else None,
        tracking_code=new_tracking_code() if sent else None,
        submitted_at=timezone.now() if sent else None,
        **fields,
    )
    Recess.objects.create(
        proposal=proposal,
        member=member,
        dapil="Dapil 3",
        faction="Fraksi Gotong Royong",
        held_on=timezone.localdate(),
        place="Balai Desa",
        attendee_count=40,
    )
    return proposal


def reader_of(persona: str, walk):
    """The officer a site crawl (tests/test_no_dead_links.py, test_valid_html.py) walks as: the
    walk's village or district officer, its kabupaten's Bappeda, the officer of the agency its
    items went to, or a DPRD member or the Setwan of the walk's kabupaten, with one
    pokok-pikiran of the member's in the walk's village, waiting for the Setwan."""
    from accounts.models import CouncilSeat

    if persona == "village":
        return walk.village_officer
    if persona == "district":
        return walk.district_officer
    village = walk.proposal.village
    if persona == "kabupaten":
        return UserFactory(role=Role.BAPPEDA_KABUPATEN, region=village.parent.parent)
    if persona == "agency":
        agency = walk.proposal.target_agency
        return UserFactory(role=Role.AGENCY_OFFICER, agency=agency, region=agency.region)
    member = UserFactory(username="dprd.crawl", role=Role.DPRD_MEMBER, region=village.parent.parent)
    CouncilSeat.objects.create(user=member, dapil="Dapil 3", faction="Fraksi Gotong Royong")
    setwan = UserFactory(username="setwan.crawl", role=Role.DPRD_SECRETARIAT, region=village.parent.parent)
    pokir_item(member, village, agency=walk.proposal.target_agency, title="Pokir jalan poros")
    return member if persona == "dprd" else setwan
