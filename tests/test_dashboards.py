"""The dashboards: the staff dashboard at /dasbor/ and the public statistics at /statistik/.

Every expected figure is counted and summed here with plain ORM queries over the rows the test
made, then compared with what the page computed and with the numbers rendered in its tables.
Pages are read in English unless a test says otherwise.
"""

from __future__ import annotations

import datetime
import html
import itertools
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from lokal import format_rupiah

from accounts.models import Role, User
from dashboards import summaries
from dashboards.charts import MAX_BAR, bar_chart
from forums import workflow as forums_workflow
from forums.models import Ceiling, Decision, Forum, ForumKind, Outcome
from forums.queries import ranking
from planning.models import PlanningYear
from proposals import workflow
from proposals.models import Proposal, Sector, Status
from regions.models import Level

from .factories import ProposalFactory, attend

KALIREJO, SRI_WAY, PURWODADI = "18.02.01.2003", "18.02.01.2001", "18.02.02.2001"
MERAK_BATIN, LAWANG_AGUNG = "18.01.01.2001", "17.01.01.2001"
STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.REJECTED, Status.ACCOMMODATED]
TRACKING = itertools.count(1)


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def operator_of(village) -> User:
    return User.objects.get_or_create(
        username=f"op-{village.code}", defaults={"role": Role.VILLAGE_OPERATOR, "region": village}
    )[0]


def spread(ladder, count: int, villages: list[str], *, year: PlanningYear | None = None, agency=None) -> list[Proposal]:
    """`count` proposals over the villages, cycling through statuses, levels, sectors and costs so
    that every group holds a different number and sum; one INSERT."""
    sectors = list(Sector.objects.filter(code__in=["1.01", "1.02", "1.03"]).order_by("code"))
    year = year or PlanningYear.objects.get_or_create(year=datetime.date.today().year + 1)[0]
    built = []
    for i in range(count):
        village = ladder[villages[i % len(villages)]]
        # Shifted each round of villages, so that every village gets every status.
        status = STATUSES[(i % len(villages) + i // len(villages)) % len(STATUSES)]
        submitted = status != Status.DRAFT
        built.append(
            ProposalFactory.build(
                village=village,
                created_by=operator_of(village),
                planning_year=year,
                status=status,
                level=[Level.DESA, Level.KECAMATAN, Level.KABUPATEN][i % 3] if submitted else Level.DESA,
                tracking_code=f"DASH{next(TRACKING):05d}" if submitted else None,
                submitted_at=timezone.now() if submitted else None,
                sector=sectors[(i // 2) % len(sectors)],
                estimated_cost=1_000_000 * (i + 1) + 37_500 * (i % 5),
                target_agency=agency if agency and i % 2 else None,
                current_agency=agency if agency and i % 2 else None,
            )
        )
    return Proposal.objects.bulk_create(built)


def section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def table_rows(page: str, section_id: str) -> dict[str, tuple[str, str]]:
    """{label: (count, cost)} from the body of a section's table, as rendered."""
    part = section(page, section_id)
    body = part[part.index("<tbody>") : part.index("</tbody>")]
    found = re.findall(
        r'<th scope="row">(?:<a href="[^"]*">)?([^<]*)(?:</a>)?</th>\s*<td class="num">([^<]*)</td>\s*'
        r'<td class="num">([^<]*)</td>',
        body,
    )
    return {html.unescape(label): (count, total) for label, count, total in found}


def row_links(page: str, section_id: str) -> dict[str, str]:
    part = section(page, section_id)
    return {
        html.unescape(label): html.unescape(url) for url, label in re.findall(r'<a href="([^"]*)">([^<]*)</a>', part)
    }


def expected(qs, key: str, label) -> dict[str, tuple[str, str]]:
    """Counts and sums per group, computed directly in the database, formatted as the page prints them."""
    out = {}
    for value in qs.order_by().values_list(key, flat=True).distinct():
        agg = qs.filter(**{key: value}).aggregate(n=Count("id"), total=Sum("estimated_cost"))
        out[label(value)] = (str(agg["n"]), format_rupiah(agg["total"]))
    return out


def expected_all(qs) -> dict[str, dict]:
    return {
        "by-status": expected(qs, "status", lambda v: str(Status(v).label)),
        "by-level": expected(qs, "level", lambda v: str(Level(v).label)),
        "by-sector": expected(qs, "sector__name", str),
    }


def rendered_all(page: str) -> dict[str, dict]:
    return {name: table_rows(page, name) for name in ("by-status", "by-level", "by-sector")}


def totals(page: str) -> tuple[str, str]:
    count = re.search(r'<dd id="total-count">([^<]*)</dd>', page).group(1)
    cost = re.search(r'<dd id="total-cost">([^<]*)</dd>', page).group(1)
    return count, cost


def expected_totals(qs) -> tuple[str, str]:
    agg = qs.aggregate(n=Count("id"), total=Sum("estimated_cost"))
    return str(agg["n"]), format_rupiah(agg["total"] or 0)


# --- the staff dashboard ----------------------------------------------------------------------


def test_a_kecamatan_operator_counts_only_the_submitted_proposals_of_their_kecamatan(
    english, ladder, kecamatan_operator
):
    spread(ladder, 23, [KALIREJO, SRI_WAY, PURWODADI, MERAK_BATIN])
    english.force_login(kecamatan_operator)

    page = english.get("/dasbor/").content.decode()

    mine = Proposal.objects.filter(kecamatan=ladder["18.02.01"]).exclude(status=Status.DRAFT)
    assert mine.exists() and Proposal.objects.filter(kecamatan=ladder["18.02.02"]).exists()
    assert rendered_all(page) == expected_all(mine)
    assert totals(page) == expected_totals(mine)
    assert table_rows(page, "by-region") == {
        "Desa Kalirejo": expected_totals(mine.filter(village=ladder[KALIREJO])),
        "Desa Sri Way Langsep": expected_totals(mine.filter(village=ladder[SRI_WAY])),
    }


def test_a_kabupaten_bappeda_counts_all_of_its_kabupaten_by_kecamatan(english, ladder, bappeda_kabupaten):
    spread(ladder, 31, [KALIREJO, SRI_WAY, PURWODADI, MERAK_BATIN, LAWANG_AGUNG])
    english.force_login(bappeda_kabupaten)

    response = english.get("/dasbor/")
    page = response.content.decode()

    mine = Proposal.objects.filter(kabupaten=ladder["18.02"]).exclude(status=Status.DRAFT)
    assert rendered_all(page) == expected_all(mine)
    assert totals(page) == expected_totals(mine)
    assert table_rows(page, "by-region") == {
        "Kecamatan Kalirejo": expected_totals(mine.filter(kecamatan=ladder["18.02.01"])),
        "Kecamatan Bangun Rejo": expected_totals(mine.filter(kecamatan=ladder["18.02.02"])),
    }
    board = response.context["board"]
    assert (board.count, board.total) == (mine.count(), mine.aggregate(s=Sum("estimated_cost"))["s"])


def test_an_agency_officer_counts_only_the_items_aimed_at_their_agency(english, ladder, agency_officer, pupr):
    spread(ladder, 20, [KALIREJO, PURWODADI], agency=pupr)
    english.force_login(agency_officer)

    page = english.get("/dasbor/").content.decode()

    mine = Proposal.objects.filter(Q(target_agency=pupr) | Q(current_agency=pupr)).exclude(status=Status.DRAFT)
    assert 0 < mine.count() < Proposal.objects.exclude(status=Status.DRAFT).count()
    assert rendered_all(page) == expected_all(mine)
    assert totals(page) == expected_totals(mine)


def test_a_village_operator_sees_their_own_drafts_counted(english, ladder, village_operator):
    spread(ladder, 12, [KALIREJO, SRI_WAY])
    english.force_login(village_operator)

    page = english.get("/dasbor/").content.decode()

    mine = Proposal.objects.filter(village=ladder[KALIREJO])
    assert mine.filter(status=Status.DRAFT).exists()
    assert rendered_all(page) == expected_all(mine)
    assert 'id="by-region"' not in page  # a village has no regions under it


def test_drilling_down_to_a_kecamatan_counts_only_it(english, ladder, bappeda_kabupaten):
    spread(ladder, 18, [KALIREJO, SRI_WAY, PURWODADI])
    english.force_login(bappeda_kabupaten)
    home = english.get("/dasbor/").content.decode()
    url = row_links(home, "by-region")["Kecamatan Bangun Rejo"]

    response = english.get(url)
    page = response.content.decode()

    there = Proposal.objects.filter(kecamatan=ladder["18.02.02"]).exclude(status=Status.DRAFT)
    assert url.startswith("/dasbor/?wilayah=18.02.02&tahun=")
    assert rendered_all(page) == expected_all(there)
    assert table_rows(page, "by-region") == {"Desa Purwodadi": expected_totals(there)}
    # The trail leads back up to the officer's own kabupaten, not beyond it.
    assert re.search(r'<a href="/dasbor/\?wilayah=18\.02&amp;tahun=\d+">Kabupaten Lampung Tengah</a>', page)
    assert "wilayah=18&amp;" not in page


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("kecamatan_operator", "18.02.02"),  # the neighbouring kecamatan
        ("kecamatan_operator", "18.02"),  # their own kabupaten, above them
        ("kecamatan_operator", "18.02.02.2001"),  # a village of the neighbour
        ("bappeda_kabupaten", "18.01"),  # the neighbouring kabupaten
        ("bappeda_kabupaten", "18"),
        ("village_operator", SRI_WAY),
        ("agency_officer", "18.01.01"),
        ("bappeda_kabupaten", "99.99"),  # no such region
    ],
)
def test_a_region_outside_the_officers_subtree_is_not_found(english, request, ladder, persona, code):
    spread(ladder, 8, [KALIREJO, SRI_WAY, PURWODADI, MERAK_BATIN])
    english.force_login(request.getfixturevalue(persona))

    assert english.get(f"/dasbor/?wilayah={code}").status_code == 404


def test_a_region_inside_the_officers_subtree_is_shown(english, ladder, kecamatan_operator):
    spread(ladder, 8, [KALIREJO, SRI_WAY])
    english.force_login(kecamatan_operator)

    page = english.get(f"/dasbor/?wilayah={SRI_WAY}").content.decode()

    there = Proposal.objects.filter(village=ladder[SRI_WAY]).exclude(status=Status.DRAFT)
    assert totals(page) == expected_totals(there)


def test_the_dashboard_asks_an_anonymous_visitor_to_log_in(client, ladder):
    response = client.get("/dasbor/")

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=/dasbor/")


@pytest.mark.parametrize("url", ["/dasbor/", "/statistik/"])
def test_the_dashboards_answer_only_to_reading(english, ladder, bappeda_kabupaten, url):
    english.force_login(bappeda_kabupaten)

    assert english.post(url).status_code == 405


def test_the_year_defaults_to_the_latest_with_proposals_and_can_be_chosen(english, ladder, bappeda_kabupaten):
    older = PlanningYear.objects.create(year=2025)
    newer = PlanningYear.objects.create(year=2026)
    PlanningYear.objects.create(year=2030)  # a year nobody has proposed for yet
    spread(ladder, 9, [KALIREJO, PURWODADI], year=older)
    spread(ladder, 14, [KALIREJO, PURWODADI], year=newer)
    english.force_login(bappeda_kabupaten)

    latest = english.get("/dasbor/")
    chosen = english.get("/dasbor/?tahun=2025")

    submitted = Proposal.objects.exclude(status=Status.DRAFT)
    assert latest.context["year"] == newer
    assert [y.year for y in latest.context["years"]] == [2026, 2025]
    assert totals(latest.content.decode()) == expected_totals(submitted.filter(planning_year=newer))
    assert totals(chosen.content.decode()) == expected_totals(submitted.filter(planning_year=older))
    assert english.get("/dasbor/?tahun=2030").status_code == 404
    assert english.get("/dasbor/?tahun=abc").status_code == 404


def test_an_officer_with_nothing_to_count_is_told_so(english, ladder, kecamatan_operator):
    spread(ladder, 4, [PURWODADI])
    english.force_login(kecamatan_operator)

    response = english.get("/dasbor/")

    assert response.context["board"] is None
    assert "There are no proposals to count yet." in response.content.decode()


# --- the public statistics --------------------------------------------------------------------


def test_the_public_counts_every_submitted_proposal_by_province_and_never_a_draft(client, ladder):
    spread(ladder, 26, [KALIREJO, SRI_WAY, PURWODADI, MERAK_BATIN, LAWANG_AGUNG])
    summaries.refresh()  # the country's page reads the summaries
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get("/statistik/").content.decode()

    public = Proposal.objects.exclude(status=Status.DRAFT)
    assert Proposal.objects.filter(status=Status.DRAFT).exists()
    assert rendered_all(page) == expected_all(public)
    assert totals(page) == expected_totals(public)
    assert table_rows(page, "by-region") == {
        "Bengkulu": expected_totals(public.filter(provinsi=ladder["17"])),
        "Lampung": expected_totals(public.filter(provinsi=ladder["18"])),
    }


def test_the_public_pages_show_no_titles_and_no_names(client, ladder):
    made = spread(ladder, 10, [KALIREJO, PURWODADI])
    summaries.refresh()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    pages = [
        client.get(url).content.decode() for url in ("/statistik/", "/statistik/18.02/", f"/statistik/{KALIREJO}/")
    ]

    for proposal in made:
        for page in pages:
            assert proposal.title not in page
            assert proposal.proposer_name not in page
            assert proposal.tracking_code is None or proposal.tracking_code not in page


def test_the_public_drills_down_from_the_provinces_to_a_village(client, ladder):
    spread(ladder, 30, [KALIREJO, SRI_WAY, PURWODADI, MERAK_BATIN, LAWANG_AGUNG])
    summaries.refresh()  # the country's and the province's pages read the summaries
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    public = Proposal.objects.exclude(status=Status.DRAFT)

    page = client.get("/statistik/").content.decode()
    steps = [
        ("Lampung", "/statistik/18/", "provinsi", "18", "Kabupaten Lampung Tengah"),
        ("Kabupaten Lampung Tengah", "/statistik/18.02/", "kabupaten", "18.02", "Kecamatan Kalirejo"),
        ("Kecamatan Kalirejo", "/statistik/18.02.01/", "kecamatan", "18.02.01", "Desa Sri Way Langsep"),
        ("Desa Sri Way Langsep", f"/statistik/{SRI_WAY}/", "village", SRI_WAY, None),
    ]
    for label, path, field, code, next_label in steps:
        url = row_links(page, "by-region")[label]
        assert url.split("?")[0] == path
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        here = public.filter(**{field: ladder[code]})
        assert rendered_all(page) == expected_all(here)
        assert totals(page) == expected_totals(here)
        if next_label is None:
            assert 'id="by-region"' not in page
    # The trail of the village's page leads back to every level above it.
    start = page.index('class="breadcrumb"')
    trail = page[start : page.index("</nav>", start)]
    assert re.findall(r'<a href="([^"?]*)\?', trail) == [
        "/statistik/",
        "/statistik/18/",
        "/statistik/18.02/",
        "/statistik/18.02.01/",
    ]


def test_a_public_region_page_lists_every_child_even_without_proposals(client, ladder):
    spread(ladder, 6, [PURWODADI])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get("/statistik/18.02/").content.decode()

    bangun_rejo = Proposal.objects.filter(kecamatan=ladder["18.02.02"]).exclude(status=Status.DRAFT)
    assert table_rows(page, "by-region") == {
        "Kecamatan Kalirejo": ("0", "Rp0"),
        "Kecamatan Bangun Rejo": expected_totals(bangun_rejo),
    }


def test_an_unknown_region_or_year_is_not_found_publicly(client, ladder):
    spread(ladder, 4, [KALIREJO])
    summaries.refresh()

    assert client.get("/statistik/99/").status_code == 404
    assert client.get("/statistik/18/?tahun=1999").status_code == 404


def test_the_public_page_speaks_indonesian_with_rupiah_and_translated_labels(client, ladder):
    spread(ladder, 8, [KALIREJO])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"

    page = client.get("/statistik/18.02.01/").content.decode()

    submitted = Proposal.objects.filter(status=Status.SUBMITTED)
    with translation.override("id"):
        label = str(Status.SUBMITTED.label)
        heading = translation.gettext("Proposals in figures")
    assert label != "Submitted" and heading != "Proposals in figures"
    assert heading in page
    assert table_rows(page, "by-status")[label] == expected_totals(submitted)


# --- ceilings ---------------------------------------------------------------------------------


@pytest.fixture
def kecamatan_forum(
    settings,
    tmp_path,
    ladder,
    intake,
    village_operator,
    neighbour_village_operator,
    kecamatan_operator,
    bappeda_kabupaten,
):
    """Five items from two villages of Kalirejo, through their village forums into the Musrenbang
    of Kecamatan Kalirejo, decided there: two accepted, one with a lower agreed cost, one not
    agreed, one still pending. The kecamatan's ceiling is Rp600 million."""
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        for operator, items in (
            (village_operator, [("Jalan A", 200), ("Talud B", 120), ("Sumur C", 90)]),
            (neighbour_village_operator, [("Saluran D", 150), ("Posyandu E", 70)]),
        ):
            for title, millions in items:
                draft = ProposalFactory.build(
                    village=operator.region, title=title, estimated_cost=millions * 1_000_000, created_by=operator
                )
                workflow.submit_proposal(
                    actor=operator, proposal=workflow.create_proposal(actor=operator, proposal=draft)
                )
            forum = Forum.objects.get(kind=ForumKind.MUSRENBANG, level=Level.DESA, region=operator.region)
            for decision in forum.decisions.all():
                forums_workflow.decide(actor=operator, decision=decision, outcome=Outcome.ACCEPTED)
            forums_workflow.update_forum(
                actor=operator, forum=forum, held_on=datetime.date(2026, 1, 12), place="Balai Desa", chair_name="Kades"
            )
            attend(operator, forum)
            for name, gender in (("Siti", "P"), ("Budi", "L"), ("Ketut", "L")):
                forums_workflow.add_delegate(actor=operator, forum=forum, name=name, gender=gender)
            forums_workflow.approve_forum(actor=operator, forum=forum)
        forums_workflow.set_ceiling(
            actor=bappeda_kabupaten,
            planning_year=intake.planning_year,
            kecamatan=ladder["18.02.01"],
            amount=600_000_000,
        )
        kec = Forum.objects.get(kind=ForumKind.MUSRENBANG, level=Level.KECAMATAN, region=ladder["18.02.01"])

        def decide(title, outcome, **details):
            decision = Decision.objects.get(forum=kec, proposal__title=title)
            forums_workflow.decide(actor=kecamatan_operator, decision=decision, outcome=outcome, **details)

        decide("Jalan A", Outcome.ACCEPTED)
        decide("Saluran D", Outcome.ACCEPTED)
        decide(
            "Talud B",
            Outcome.ACCEPTED_CHANGED,
            reason="Panjang disesuaikan.",
            adjusted_volume=Decimal("80"),
            adjusted_cost=95_000_000,
        )
        decide("Sumur C", Outcome.REJECTED, reason="Skala desa.")
    return kec


@pytest.fixture
def approved_kecamatan_forum(kecamatan_forum, kecamatan_operator):
    """The same forum with its last item decided and its result approved: only an approved
    forum's agreed items count against the ceiling (a forum in session may still cut them)."""
    with translation.override("en"):
        pending = Decision.objects.get(forum=kecamatan_forum, proposal__title="Posyandu E")
        forums_workflow.decide(
            actor=kecamatan_operator, decision=pending, outcome=Outcome.REJECTED, reason="Sudah ada posyandu."
        )
        forums_workflow.update_forum(
            actor=kecamatan_operator,
            forum=kecamatan_forum,
            held_on=datetime.date(2026, 2, 10),
            place="Aula Kecamatan",
            chair_name="Camat",
        )
        attend(kecamatan_operator, kecamatan_forum)
        for name, gender in (("Siti", "P"), ("Budi", "L"), ("Ketut", "L")):
            forums_workflow.add_delegate(actor=kecamatan_operator, forum=kecamatan_forum, name=name, gender=gender)
        forums_workflow.approve_forum(actor=kecamatan_operator, forum=kecamatan_forum)
    return kecamatan_forum


def test_a_forum_in_session_counts_nothing_against_its_ceiling(english, kecamatan_forum, bappeda_kabupaten):
    public = english.get("/statistik/18.02.01/").context["board"].ceilings
    english.force_login(bappeda_kabupaten)
    staff = english.get("/dasbor/").context["board"].ceilings

    assert ranking(kecamatan_forum).agreed_total == (200 + 150 + 95) * 1_000_000  # agreed, not yet approved
    assert [(r.region.code, r.used, r.ceiling) for r in public] == [("18.02.01", 0, 600_000_000)]
    assert [(r.region.code, r.used, r.ceiling) for r in staff] == [("18.02.01", 0, 600_000_000)]


def test_a_kecamatans_ceiling_share_is_its_forums_agreed_total_over_its_ceiling(
    english, ladder, approved_kecamatan_forum, bappeda_kabupaten
):
    english.force_login(bappeda_kabupaten)

    response = english.get("/dasbor/")

    agreed = ranking(approved_kecamatan_forum).agreed_total
    ceiling = Ceiling.objects.get(region=ladder["18.02.01"]).amount
    assert agreed == (200 + 150 + 95) * 1_000_000  # the adjusted cost, not the estimate; no rejected item
    rows = {row.region.code: row for row in response.context["board"].ceilings}
    assert list(rows) == ["18.02.01"]
    assert (rows["18.02.01"].used, rows["18.02.01"].ceiling) == (agreed, ceiling)
    assert rows["18.02.01"].percent == pytest.approx(agreed * 100 / ceiling)
    part = section(response.content.decode(), "ceilings")
    assert re.search(
        rf"Kecamatan Kalirejo</a></th>\s*<td class=\"num\">{agreed * 100 / ceiling:.1f}%</td>\s*"
        rf"<td class=\"num\">{re.escape(format_rupiah(agreed))}</td>\s*"
        rf"<td class=\"num\">{re.escape(format_rupiah(ceiling))}</td>",
        part,
    )
    assert f">{agreed * 100 / ceiling:.1f}%</text>" in part  # the chart's bar says the same


def test_the_ceiling_share_rolls_up_to_the_province_for_the_public(client, ladder, approved_kecamatan_forum):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    agreed = ranking(approved_kecamatan_forum).agreed_total
    summaries.refresh()  # the province's page reads the summaries

    province = client.get("/statistik/18/").context["board"].ceilings
    kecamatan = client.get("/statistik/18.02.01/").context["board"].ceilings
    village = client.get(f"/statistik/{KALIREJO}/").context["board"].ceilings
    neighbour = client.get("/statistik/18.02.02/").context["board"].ceilings

    assert [(r.region.code, r.used, r.ceiling, r.kecamatan_count) for r in province] == [
        ("18.02", agreed, 600_000_000, 1)
    ]
    assert [(r.region.code, r.used) for r in kecamatan] == [("18.02.01", agreed)]
    assert [(r.region.code, r.used) for r in village] == [("18.02.01", agreed)]
    assert neighbour == []


# --- cost in queries --------------------------------------------------------------------------


def with_forums(ladder, proposals: list[Proposal]) -> None:
    """Each kecamatan a ceiling and a Musrenbang holding its proposals, every second one agreed."""
    year = proposals[0].planning_year
    for code in ("18.02.01", "18.02.02"):
        Ceiling.objects.get_or_create(planning_year=year, region=ladder[code], defaults={"amount": 10**9})
        forum, _ = Forum.objects.get_or_create(
            planning_year=year, kind=ForumKind.MUSRENBANG, level=Level.KECAMATAN, region=ladder[code]
        )
        start = forum.decisions.count()
        Decision.objects.bulk_create(
            Decision(
                forum=forum,
                proposal=p,
                rank=start + i,
                incoming_cost=p.estimated_cost,
                outcome=Outcome.ACCEPTED if i % 2 else "",
            )
            for i, p in enumerate(proposals)
            if p.kecamatan_id == ladder[code].pk and p.status != Status.DRAFT
        )


def queries_for(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("bappeda_kabupaten", "/dasbor/"),
        ("bappeda_provinsi", "/dasbor/?wilayah=18.02"),
        ("agency_officer", "/dasbor/"),
        (None, "/statistik/"),
        (None, "/statistik/18.02/"),
        (None, f"/statistik/{KALIREJO}/"),
    ],
)
def test_a_dashboard_runs_as_many_queries_for_50_proposals_as_for_5(english, request, ladder, pupr, persona, url):
    if persona:
        english.force_login(request.getfixturevalue(persona))
    villages = [KALIREJO, SRI_WAY, PURWODADI, MERAK_BATIN]
    with_forums(ladder, spread(ladder, 5, villages, agency=pupr))
    english.get(url)  # the session warms up the same way for both counts
    # The country's page reads the summaries (the others ignore them): each count is then the
    # first reader's of its refresh, whose figures no page has kept yet.
    summaries.refresh()

    five, five_page = queries_for(english, url)
    with_forums(ladder, spread(ladder, 45, villages, agency=pupr))
    summaries.refresh()
    fifty, fifty_page = queries_for(english, url)

    assert totals(five_page) != totals(fifty_page)
    assert five == fifty
    assert fifty <= 14


# --- the charts -------------------------------------------------------------------------------


def test_bar_lengths_are_proportional_to_the_values():
    chart = bar_chart([("a", 50), ("b", 100), ("c", 25), ("d", 0)])

    assert [bar.length for bar in chart.bars] == [MAX_BAR / 2, MAX_BAR, MAX_BAR / 4, 0]
    assert [bar.value_text for bar in chart.bars] == ["50", "100", "25", "0"]
    # Rows stack downwards without overlapping, and the chart is as tall as its rows.
    tops = [bar.bar_y for bar in chart.bars]
    assert tops == sorted(tops) and len(set(tops)) == 4
    assert chart.height >= tops[-1] + chart.bar_height


def test_bars_are_zero_safe_and_an_empty_chart_has_no_height():
    zeros = bar_chart([("a", 0), ("b", None), ("c", -5)])
    empty = bar_chart([])

    assert [bar.length for bar in zeros.bars] == [0, 0, 0]
    assert empty.bars == [] and empty.height == 0


def test_a_scale_maximum_keeps_shares_comparable_to_a_full_ceiling():
    chart = bar_chart([("under", 40.0), ("over", 150.0)], scale_max=100)
    shares = bar_chart([("under", 40.0), ("half", 50.0)], scale_max=100)

    assert [bar.length for bar in chart.bars] == [MAX_BAR * 40 / 150, MAX_BAR]
    assert [bar.length for bar in shares.bars] == [MAX_BAR * 0.4, MAX_BAR * 0.5]


def test_a_long_label_is_shortened_in_the_chart_only():
    label = "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat"
    chart = bar_chart([(label, 3)], fmt=format_rupiah)

    assert chart.bars[0].label.endswith("…") and len(chart.bars[0].label) < len(label)
    assert label.startswith(chart.bars[0].label[:-1])
    assert chart.bars[0].value_text == "Rp3"


def test_the_page_draws_each_chart_as_an_accessible_svg_with_its_table(client, ladder):
    spread(ladder, 12, [KALIREJO, PURWODADI])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"  # decimals would print with a comma here

    page = client.get("/statistik/18.02/").content.decode()

    svgs = re.findall(r"<svg [^>]*>", page)
    assert len(svgs) == 4  # region, status, level, sector: no ceilings are set
    for tag in svgs:
        assert 'role="img"' in tag and 'width="100%"' in tag and "aria-labelledby=" in tag
        assert re.search(r'viewBox="0 0 320 [\d.]+"', tag)
    widths = [float(w) for w in re.findall(r'<rect class="chart-bar" x="0" y="[\d.]+" width="([\d.]+)"', page)]
    assert max(widths) == MAX_BAR
    for name in ("by-region", "by-status", "by-level", "by-sector"):
        part = section(page, name)
        assert "<caption>" in part and 'scope="col"' in part and 'scope="row"' in part


def test_the_agreed_cost_is_summed_beside_the_estimate_live_and_from_the_summaries(
    english, ladder, bappeda_kabupaten, admin_user
):
    from dashboards import summaries

    spread(ladder, 12, [KALIREJO, SRI_WAY])
    agreed = list(Proposal.objects.exclude(status=Status.DRAFT).order_by("id")[:3])
    for n, item in enumerate(agreed):
        item.agreed_cost = 10_000_000 * (n + 1)
        item.save(update_fields=["agreed_cost"])
    summaries.refresh()

    english.force_login(bappeda_kabupaten)
    kabupaten = english.get("/dasbor/").content.decode()  # counted live
    english.force_login(admin_user)
    country = english.get("/dasbor/").content.decode()  # read from the summaries

    for page in (kabupaten, country):
        assert re.search(r'<dd id="total-agreed">([^<]*)</dd>', page).group(1) == "Rp60.000.000"
        assert "Agreed cost" in section(page, "by-status")
