"""The proposals' tally (proposals/tally.py): the database keeps it exact whatever writes the
proposals, and a counted list sums it instead of counting its rows."""

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from planning.models import Sector
from proposals import workflow
from proposals.enums import Status
from proposals.filters import ProposalFilter
from proposals.models import Proposal, ProposalTally
from tests.factories import ProposalFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the tally's triggers are PostgreSQL's")

KEY = ("planning_year_id", "provinsi_id", "kabupaten_id", "kecamatan_id", "village_id", "status", "channel")


def tallied() -> dict:
    return {tuple(row[k] for k in KEY): row["n"] for row in ProposalTally.objects.values(*KEY, "n") if row["n"]}


def counted() -> dict:
    rows = Proposal.objects.order_by().values(*KEY).annotate(n=Count("id"))
    return {tuple(row[k] for k in KEY): row["n"] for row in rows}


def submitted(village, **kwargs):
    return ProposalFactory(village=village, submitted=True, **kwargs)


def test_every_kind_of_write_keeps_the_tally_exact(ladder, intake, village_operator):
    kalirejo, srilangsep, other = ladder["18.02.01.2003"], ladder["18.02.01.2001"], ladder["18.02.02.2001"]
    drafts = [ProposalFactory(village=kalirejo) for _ in range(3)]
    for village in (kalirejo, srilangsep, other):
        submitted(village)
    assert tallied() == counted() and sum(tallied().values()) == 6

    # The workflow's own door: a draft submitted into its village forum.
    workflow.submit_proposal(actor=village_operator, proposal=drafts[0])
    assert tallied() == counted()
    moved = Proposal.objects.get(pk=drafts[0].pk)
    assert moved.status == Status.SUBMITTED and tallied()[tuple(getattr(moved, k) for k in KEY)] == 2

    # Rows written in bulk, as an import or the benchmark's seed writes them.
    Proposal.objects.bulk_create([ProposalFactory.build(village=other, status=Status.DRAFT) for _ in range(4)])
    assert tallied() == counted()

    # An edit that moves no proposal between statuses, years or regions changes no tally row.
    before = list(ProposalTally.objects.order_by("pk").values_list("pk", "n"))
    Proposal.objects.filter(village=kalirejo).update(title="Jalan usaha tani")
    assert list(ProposalTally.objects.order_by("pk").values_list("pk", "n")) == before

    # Statuses moved in one statement, a village moved to another kecamatan, rows deleted.
    Proposal.objects.filter(village=srilangsep).update(status=Status.REJECTED)
    assert tallied() == counted()
    Proposal.objects.filter(village=other).update(kecamatan=ladder["18.02.01"])
    assert tallied() == counted()
    Proposal.objects.filter(pk__in=[p.pk for p in drafts[1:]]).delete()
    assert tallied() == counted()
    assert sum(tallied().values()) == Proposal.objects.count() == 8


# Who sees a counted list (a province's and the nation's are not counted), and the filters tried.
PERSONAS = [
    "village_operator",
    "kecamatan_operator",
    "bappeda_kabupaten",
    "dprd_secretariat",
    "agency_officer",
    "dprd_member",
]
QUERIES = [{}, {"status": "submitted"}, {"status": "rejected"}, {"wilayah": "18.02.01"}, {"wilayah": "18.02.02.2001"}]


def shown_count(response) -> int:
    return int(re.search(r'class="list-meta">\s*(\d+) ', response.content.decode())[1])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_counts_what_its_filters_keep_from_the_tally_where_it_can(
    client, ladder, intake, pupr, persona, request
):
    user = request.getfixturevalue(persona)
    for village, n in ((ladder["18.02.01.2003"], 3), (ladder["18.02.01.2001"], 2), (ladder["18.02.02.2001"], 4)):
        for i in range(n):
            submitted(village, target_agency=pupr if i % 2 else None, current_agency=pupr if i % 2 else None)
        ProposalFactory(village=village)  # a draft, seen by its village alone
    one = Proposal.objects.filter(village=ladder["18.02.02.2001"], status=Status.SUBMITTED).first()
    Proposal.objects.filter(pk=one.pk).update(status=Status.REJECTED)
    client.force_login(user)
    for query in QUERIES:
        rf = RequestFactory().get("/usulan/", query)
        rf.user = user
        kept = ProposalFilter(rf.GET or None, queryset=Proposal.objects.visible_to(user), request=rf)
        # As django-filter's view does: a choice the filter refuses shows nothing.
        expected = kept.qs.count() if not kept.is_bound or kept.is_valid() else 0
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/usulan/", query)
        assert shown_count(response) == expected, (persona, query)
        sql = [q["sql"] for q in queries.captured_queries]
        from_tally = any("proposals_proposaltally" in s for s in sql)
        # (A village's own list also counts its drafts, for the button that submits them.)
        counting = any(
            re.match(r'SELECT COUNT\(\*\) AS "__count" FROM "proposals_proposal"', s) and "'draft'" not in s
            for s in sql
        )
        if expected == 0 and kept.is_bound and not kept.is_valid():
            assert not from_tally and not counting  # nothing to count
            continue
        # An agency's items and a member's own are chosen by columns the tally does not keep.
        assert from_tally == (persona not in ("agency_officer", "dprd_member")), query
        assert counting != from_tally, query


def test_a_filter_the_tally_cannot_answer_counts_the_rows(client, ladder, intake, bappeda_kabupaten):
    for _ in range(3):
        submitted(ladder["18.02.01.2003"])
    sector = Sector.objects.create(code="9.99", name="Lain-lain")
    submitted(ladder["18.02.01.2003"], sector=sector)
    client.force_login(bappeda_kabupaten)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/usulan/", {"sector": sector.pk})
    assert shown_count(response) == 1
    assert not any("proposals_proposaltally" in q["sql"] for q in queries.captured_queries)
    assert shown_count(client.get("/usulan/")) == 4
