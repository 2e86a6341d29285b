"""Targets: indicators under a regional priority (baseline and target from the RPJPD), their
realisations year by year, the ranking criterion "supports a regional priority", and the
dashboard of how the plan covers the targets (planning/targets.py, planning/figures.py,
forums/workflow/weighing.py, dashboards/coverage.py).

Bappeda Lampung Tengah enters the four targets Kabupaten Blitar's RPJPD names (stunting
prevalence 4,13 %, maternal mortality 6,30 per 100.000 live births, poverty 0,6–1,8 %, mean years
of schooling 10,64) under its priorities, as the issue asks; pages are read in Indonesian.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import EntryRegion
from forums import workflow as forums_workflow
from forums.models import Criterion, CriterionKind, Decision, Forum, Score
from forums.queries import decisions_of
from musrenbang.errors import WorkflowError
from planning import workflow as planning_workflow
from planning.figures import Progress, parse_figure
from planning.models import Indicator, IndicatorValue, PlanningYear, RegionalPriority
from proposals.models import Status
from regions.models import Level

from .factories import ProposalFactory

MILLION = 1_000_000
NOT_A_FIGURE = "Tulis angka dengan koma sebelum desimal, misalnya 4,13 atau rentang 0,6–1,8."

BLITAR = [
    # (priority, indicator, unit, baseline, better when, shown)
    ("sdm", "Prevalensi stunting", "%", "4,13", "lower", "4,13 %"),
    ("sdm", "Angka kematian ibu", "per 100.000 kelahiran hidup", "6,30", "lower", "6,30 per 100.000 kelahiran hidup"),
    ("ekonomi", "Tingkat kemiskinan", "%", "0,6–1,8", "lower", "0,6–1,8 %"),
    ("sdm", "Rata-rata lama sekolah", "tahun", "10,64", "higher", "10,64 tahun"),
]


@pytest.fixture
def year(db):
    return PlanningYear.objects.get_or_create(year=datetime.date.today().year + 1)[0]


@pytest.fixture
def priorities(bappeda_kabupaten, year):
    names = {
        "infra": "Peningkatan infrastruktur dan konektivitas wilayah",
        "sdm": "Peningkatan kualitas sumber daya manusia",
        "ekonomi": "Penguatan ekonomi kerakyatan",
    }
    return {
        key: planning_workflow.add_priority(actor=bappeda_kabupaten, planning_year=year, name=name)
        for key, name in names.items()
    }


def form(**changes) -> dict:
    data = {
        "name": "Prevalensi stunting",
        "unit": "%",
        "baseline": "4,13",
        "baseline_year": "2024",
        "target": "3,00",
        "target_year": "2029",
        "direction": "lower",
        "source": "rpjpd",
        "source_detail": "Perda No. 3 Tahun 2024 tentang RPJPD 2025–2045",
    }
    return {**data, **changes}


def errors_of(response) -> list[str]:
    return re.findall(r'<ul class="errorlist"[^>]*>\s*<li>(.*?)</li>', response.content.decode())


def indicator(actor, priority, **changes) -> Indicator:
    values = {
        "name": "Prevalensi stunting",
        "unit": "%",
        "baseline": Decimal("4.13"),
        "baseline_high": None,
        "baseline_year": 2024,
        "target": Decimal("3.00"),
        "target_high": None,
        "target_year": 2029,
        "direction": "lower",
        "source": "rpjpd",
        "source_detail": "",
        "decimals": 2,
    }
    return planning_workflow.add_indicator(actor=actor, priority=priority, **{**values, **changes})


@pytest.fixture
def stunting(priorities, bappeda_kabupaten):
    return indicator(bappeda_kabupaten, priorities["sdm"])


# --- entering the targets ---------------------------------------------------------------------------


def test_bappeda_enters_blitars_four_targets_with_their_baselines_and_reads_them_back_in_indonesian(
    client, bappeda_kabupaten, priorities
):
    client.force_login(bappeda_kabupaten)
    for key, name, unit, baseline, direction, _shown in BLITAR:
        response = client.post(
            reverse("planning:targets", args=[priorities[key].pk]),
            form(name=name, unit=unit, baseline=baseline, target=baseline, direction=direction),
        )
        assert response.status_code == 302, errors_of(response)

    assert [(i.name, i.baseline, i.baseline_high, i.decimals) for i in Indicator.objects.order_by("id")] == [
        ("Prevalensi stunting", Decimal("4.13"), None, 2),
        ("Angka kematian ibu", Decimal("6.30"), None, 2),
        ("Tingkat kemiskinan", Decimal("0.6"), Decimal("1.8"), 1),
        ("Rata-rata lama sekolah", Decimal("10.64"), None, 2),
    ]
    sdm = client.get(reverse("planning:targets", args=[priorities["sdm"].pk])).content.decode()
    assert "4,13 %" in sdm
    assert "6,30 per 100.000 kelahiran hidup" in sdm
    assert "10,64 tahun" in sdm
    assert "RPJPD" in sdm and "Lebih rendah lebih baik" in sdm
    ekonomi = client.get(reverse("planning:targets", args=[priorities["ekonomi"].pk])).content.decode()
    assert "0,6–1,8 %" in ekonomi
    # The priorities page counts each priority's indicators.
    listing = client.get(reverse("planning:priorities") + f"?year={priorities['sdm'].planning_year.year}")
    counts = {row.name: row.targets for row in listing.context["priorities"]}
    assert counts == {
        "Peningkatan infrastruktur dan konektivitas wilayah": 0,
        "Peningkatan kualitas sumber daya manusia": 3,
        "Penguatan ekonomi kerakyatan": 1,
    }


@pytest.mark.parametrize(
    ("changes", "field_error"),
    # The messages of FigureField (planning/forms.py) in Indonesian.
    [
        ({"target_year": "2020"}, "Tahun target (2020) tidak boleh sebelum tahun dasar (2024)."),
        ({"name": ""}, "Isi indikator."),
        ({"baseline": ""}, "Isi angka ini, misalnya 4,13."),
        (
            {"baseline": "empat koma satu"},
            "Tulis angka dengan koma sebelum desimal, misalnya 4,13 atau rentang 0,6–1,8.",
        ),
        ({"target": "4,13,5"}, "Tulis angka dengan koma sebelum desimal, misalnya 4,13 atau rentang 0,6–1,8."),
        ({"target": "1,8–0,6"}, "Rentang ditulis dari angka terkecil ke terbesar, misalnya 0,6–1,8."),
        ({"baseline": "4,12345"}, "Paling banyak empat angka di belakang koma."),
        ({"baseline_year": "dua ribu"}, "Tulis tahun dengan empat angka, misalnya 2025."),
        ({"baseline_year": "1990"}, "Tahun harus antara 2000 dan 2100."),
        ({"target_year": ""}, "Isi tahunnya, misalnya 2025."),
    ],
)
def test_a_wrong_figure_is_refused_with_a_message_on_its_field_and_nothing_is_saved(
    client, bappeda_kabupaten, priorities, changes, field_error
):
    client.force_login(bappeda_kabupaten)

    response = client.post(reverse("planning:targets", args=[priorities["sdm"].pk]), form(**changes))

    assert response.status_code == 200
    assert errors_of(response) == [field_error]
    assert Indicator.objects.count() == 0


def test_the_same_indicator_twice_under_one_priority_is_refused(client, bappeda_kabupaten, stunting):
    client.force_login(bappeda_kabupaten)

    response = client.post(reverse("planning:targets", args=[stunting.priority_id]), form(name="prevalensi STUNTING"))

    assert response.status_code == 200
    assert "Prioritas ini sudah memiliki indikator “prevalensi STUNTING”." in response.content.decode()
    assert Indicator.objects.count() == 1


def test_an_indicator_is_changed_and_removed_with_its_realisations(client, bappeda_kabupaten, stunting):
    planning_workflow.record_realisation(actor=bappeda_kabupaten, indicator=stunting, year=2025, value=Decimal("3.9"))
    client.force_login(bappeda_kabupaten)
    edit = client.get(reverse("planning:indicator_edit", args=[stunting.pk]))
    assert edit.context["form"]["baseline"].value() == "4,13"

    client.post(reverse("planning:indicator_edit", args=[stunting.pk]), form(target="2,5", target_year="2045"))
    stunting.refresh_from_db()
    assert (stunting.target, stunting.target_year, stunting.decimals) == (Decimal("2.5"), 2045, 2)

    response = client.post(reverse("planning:indicator_remove", args=[stunting.pk]))
    assert response.status_code == 302
    assert Indicator.objects.count() == 0
    assert IndicatorValue.objects.count() == 0


def test_a_province_keeps_its_own_priorities_and_their_targets(client, bappeda_provinsi, year):
    priority = planning_workflow.add_priority(actor=bappeda_provinsi, planning_year=year, name="Lampung Berjaya")
    client.force_login(bappeda_provinsi)

    response = client.post(reverse("planning:targets", args=[priority.pk]), form())

    assert response.status_code == 302
    assert list(Indicator.objects.values_list("priority__region__code", "name")) == [("18", "Prevalensi stunting")]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("bappeda_kabupaten", 200),
        ("other_bappeda_kabupaten", 404),
        ("bappeda_provinsi", 404),
        ("village_operator", 403),
        ("kecamatan_operator", 403),
        ("agency_officer", 403),
        ("admin_user", 403),
    ],
)
def test_only_the_priority_regions_bappeda_opens_its_targets_pages(client, request, stunting, persona, status):
    client.force_login(request.getfixturevalue(persona))
    pages = [
        reverse("planning:targets", args=[stunting.priority_id]),
        reverse("planning:indicator_edit", args=[stunting.pk]),
        reverse("planning:realisations", args=[stunting.pk]),
    ]
    assert [client.get(page).status_code for page in pages] == [status] * 3
    if status != 200:
        client.post(reverse("planning:indicator_remove", args=[stunting.pk]))
        assert Indicator.objects.count() == 1


def test_removing_takes_no_get_and_a_visitor_is_sent_to_log_in(client, bappeda_kabupaten, stunting):
    response = client.get(reverse("planning:targets", args=[stunting.priority_id]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(bappeda_kabupaten)
    assert client.get(reverse("planning:indicator_remove", args=[stunting.pk])).status_code == 405
    assert Indicator.objects.count() == 1


def test_the_workflow_refuses_another_regions_bappeda(other_bappeda_kabupaten, stunting):
    with pytest.raises(WorkflowError):
        planning_workflow.record_realisation(
            actor=other_bappeda_kabupaten, indicator=stunting, year=2025, value=Decimal("1")
        )
    assert IndicatorValue.objects.count() == 0


def test_figures_typed_the_indonesian_or_the_english_way():
    assert parse_figure("4,13") == (Decimal("4.13"), None, 2)
    assert parse_figure("10.64") == (Decimal("10.64"), None, 2)
    assert parse_figure("100.000") == (Decimal("100000"), None, 0)
    assert parse_figure("1.250,5") == (Decimal("1250.5"), None, 1)
    assert parse_figure("0,6 - 1,8") == (Decimal("0.6"), Decimal("1.8"), 1)
    assert parse_figure("0,5 s.d. 0,8") == (Decimal("0.5"), Decimal("0.8"), 1)
    assert parse_figure("-2,1") == (Decimal("-2.1"), None, 1)


# --- realisations ------------------------------------------------------------------------------------


def test_realisations_entered_each_year_are_shown_against_the_target(client, bappeda_kabupaten, stunting):
    client.force_login(bappeda_kabupaten)
    page = reverse("planning:realisations", args=[stunting.pk])
    for year, value in (("2025", "4,50"), ("2026", "3,92"), ("2027", "2,8")):
        assert client.post(page, {"year": year, "value": value, "note": "SSGI"}).status_code == 302
    # Correcting a year replaces its figure.
    client.post(page, {"year": "2026", "value": "4,13", "note": "SSGI koreksi"})

    response = client.get(page)

    rows = [(r.year, r.shown, r.progress) for r in response.context["indicator"].realisations]
    assert rows == [
        (2025, "4,50 %", Progress.WORSE),
        (2026, "4,13 %", Progress.SAME),
        (2027, "2,80 %", Progress.MET),
    ]
    html = response.content.decode()
    assert "Lebih buruk dari angka dasar" in html and "Target tercapai" in html
    assert IndicatorValue.objects.get(year=2026).recorded_by == bappeda_kabupaten


def test_a_realisation_with_letters_or_no_year_is_refused(client, bappeda_kabupaten, stunting):
    client.force_login(bappeda_kabupaten)

    response = client.post(reverse("planning:realisations", args=[stunting.pk]), {"year": "", "value": "tiga"})

    assert errors_of(response) == [
        "Isi tahunnya, misalnya 2025.",
        "Tulis angka dengan koma sebelum desimal, misalnya 4,13.",
    ]
    assert IndicatorValue.objects.count() == 0


def test_indicators_and_realisations_are_in_the_kabupatens_audit_log(bappeda_kabupaten, stunting):
    planning_workflow.record_realisation(actor=bappeda_kabupaten, indicator=stunting, year=2025, value=Decimal("3.9"))
    assert (
        sorted(EntryRegion.objects.filter(region_code="18.02", kind="priority").values_list("place", flat=True))
        == ["Kabupaten Lampung Tengah"] * 5
    )  # three priorities, the indicator, its realisation


# --- the criterion "supports a regional priority" ----------------------------------------------------


@pytest.fixture
def forum(ladder, pupr, year, village_operator):
    forum = Forum.objects.create(planning_year=year, level=Level.KECAMATAN, region=ladder["18.02.01"])
    for rank, title in enumerate(["Jalan", "Posyandu"], start=1):
        proposal = ProposalFactory(
            submitted=True,
            village=ladder["18.02.01.2003"],
            level=Level.KECAMATAN,
            title=title,
            planning_year=year,
            target_agency=pupr,
            current_agency=pupr,
            created_by=village_operator,
        )
        Decision.objects.create(forum=forum, proposal=proposal, rank=rank)
    return forum


@pytest.fixture
def criteria(bappeda_kabupaten, year):
    return forums_workflow.set_criteria(
        actor=bappeda_kabupaten,
        planning_year=year,
        criteria=[("Urgensi", 60), ("Kesesuaian prioritas daerah", 40, CriterionKind.PRIORITY)],
    )


def titles(forum) -> list[str]:
    return [d.proposal.title for d in decisions_of(forum)]


def test_the_priority_criterion_scores_itself_and_reorders_the_forum(forum, criteria, priorities, kecamatan_operator):
    urgency = criteria[0]
    jalan, posyandu = decisions_of(forum)
    forums_workflow.classify(actor=kecamatan_operator, decision=posyandu, regional_priority=priorities["sdm"])
    forums_workflow.score(actor=kecamatan_operator, decision=jalan, values={urgency: 4})
    forums_workflow.score(actor=kecamatan_operator, decision=posyandu, values={urgency: 3})

    forums_workflow.order_by_score(actor=kecamatan_operator, forum=forum)

    # Jalan (4 x 60 + 1 x 40) / 100 = 2.80; Posyandu, under a priority, (3 x 60 + 5 x 40) / 100 = 3.80.
    assert [(d.proposal.title, d.score) for d in decisions_of(forum)] == [
        ("Posyandu", Decimal("3.80")),
        ("Jalan", Decimal("2.80")),
    ]
    # Placing Jalan under a priority after it was scored weighs it again: 4.40.
    forums_workflow.classify(actor=kecamatan_operator, decision=jalan, regional_priority=priorities["infra"])
    forums_workflow.order_by_score(actor=kecamatan_operator, forum=forum)
    assert [(d.proposal.title, d.score) for d in decisions_of(forum)] == [
        ("Jalan", Decimal("4.40")),
        ("Posyandu", Decimal("3.80")),
    ]
    assert Score.objects.get(decision=jalan, criterion=criteria[1]).value == 5


def test_no_one_scores_the_priority_criterion_by_hand(forum, criteria, kecamatan_operator):
    jalan = decisions_of(forum)[0]
    with pytest.raises(WorkflowError, match="dinilai otomatis"):
        forums_workflow.score(actor=kecamatan_operator, decision=jalan, values={criteria[0]: 4, criteria[1]: 5})
    assert Score.objects.count() == 0


def test_the_scoring_pages_show_the_automatic_score_and_the_priority(
    client, forum, criteria, priorities, kecamatan_operator
):
    posyandu = decisions_of(forum)[1]
    forums_workflow.classify(actor=kecamatan_operator, decision=posyandu, regional_priority=priorities["sdm"])
    client.force_login(kecamatan_operator)

    grid = client.get(reverse("forums:scores", args=[forum.pk]))
    assert [name for name in grid.context["form"].fields] == [f"s{d.pk}_{criteria[0].pk}" for d in decisions_of(forum)]
    html = grid.content.decode()
    assert '<output class="score">5</output>' in html and '<output class="score">1</output>' in html
    assert "Peningkatan kualitas sumber daya manusia" in html

    client.post(
        reverse("forums:scores", args=[forum.pk]), {f"s{d.pk}_{criteria[0].pk}": "3" for d in decisions_of(forum)}
    )
    assert [d.score for d in decisions_of(forum)] == [Decimal("2.20"), Decimal("3.80")]

    ranking = client.get(reverse("forums:ranking", args=[forum.pk])).content.decode()
    assert "Prioritas: Peningkatan kualitas sumber daya manusia" in ranking


def test_bappeda_marks_a_criterion_as_scored_from_the_priorities_on_the_criteria_page(client, bappeda_kabupaten, year):
    client.force_login(bappeda_kabupaten)
    data = {"criteria-TOTAL_FORMS": "3", "criteria-INITIAL_FORMS": "0", "year": year.year}
    rows = [("Urgensi", "60", "manual"), ("Kesesuaian prioritas daerah", "40", "priority"), ("", "", "manual")]
    for n, (name, weight, kind) in enumerate(rows):
        data |= {f"criteria-{n}-name": name, f"criteria-{n}-weight": weight, f"criteria-{n}-kind": kind}

    response = client.post(reverse("forums:criteria") + f"?year={year.year}", data)

    assert response.status_code == 302
    assert list(Criterion.objects.values_list("name", "weight", "kind")) == [
        ("Urgensi", 60, "manual"),
        ("Kesesuaian prioritas daerah", 40, "priority"),
    ]
    page = client.get(response.url).content.decode()
    assert "mendapat nilai 5, usulan lain 1" in page


def test_two_priority_criteria_are_refused(bappeda_kabupaten, year):
    with pytest.raises(WorkflowError):
        forums_workflow.set_criteria(
            actor=bappeda_kabupaten,
            planning_year=year,
            criteria=[("A", 50, CriterionKind.PRIORITY), ("B", 50, CriterionKind.PRIORITY)],
        )
    assert Criterion.objects.count() == 0


# --- the coverage dashboard --------------------------------------------------------------------------


@pytest.fixture
def plan(ladder, priorities, year, bappeda_kabupaten):
    """Items under the priorities: in the plan, still in the forums, and some that support nothing."""
    indicator(bappeda_kabupaten, priorities["sdm"])

    def item(village, priority, status, level, agreed=None):
        return ProposalFactory(
            submitted=True,
            village=ladder[village],
            planning_year=year,
            regional_priority=priorities[priority],
            status=status,
            level=level,
            agreed_cost=agreed,
        )

    item("18.02.01.2003", "infra", Status.ACCOMMODATED, Level.KABUPATEN, 400 * MILLION)
    item("18.02.02.2001", "infra", Status.SUBMITTED, Level.KABUPATEN, 150 * MILLION)
    item("18.02.01.2001", "sdm", Status.SUBMITTED, Level.KECAMATAN)
    item("18.02.01.2001", "sdm", Status.REJECTED, Level.KECAMATAN)  # supports nothing
    item("18.02.02.2001", "sdm", Status.VILLAGE_BUDGET, Level.KECAMATAN, 20 * MILLION)  # nor this
    return priorities


def test_the_dashboard_counts_items_and_agreed_money_by_priority_stage_and_district(client, bappeda_kabupaten, plan):
    client.force_login(bappeda_kabupaten)

    response = client.get(reverse("dashboards:targets"))

    board = response.context["board"]
    stages = {
        row.priority.name[:20]: [(key, f.count, f.agreed) for key, _label, f in row.stages] for row in board.priorities
    }
    assert stages == {
        "Peningkatan infrastr": [
            ("kecamatan", 0, 0),
            ("kabupaten", 1, 150 * MILLION),
            ("provinsi", 0, 0),
            ("plan", 1, 400 * MILLION),
        ],
        "Peningkatan kualitas": [("kecamatan", 1, 0), ("kabupaten", 0, 0), ("provinsi", 0, 0), ("plan", 0, 0)],
        "Penguatan ekonomi ke": [("kecamatan", 0, 0), ("kabupaten", 0, 0), ("provinsi", 0, 0), ("plan", 0, 0)],
    }
    assert [(child.code, [(f.count, f.agreed) for f in cells]) for child, cells in board.matrix] == [
        ("18.02.01", [(1, 400 * MILLION), (1, 0), (0, 0)]),
        ("18.02.02", [(1, 150 * MILLION), (0, 0), (0, 0)]),
    ]
    assert [row.priority.name for row in board.not_addressed] == ["Penguatan ekonomi kerakyatan"]
    assert (board.total.count, board.total.agreed) == (3, 550 * MILLION)
    html = response.content.decode()
    section = html[html.index('id="not-addressed"') : html.index('id="by-priority"')]
    assert "Belum tersentuh" in section and "Penguatan ekonomi kerakyatan" in section
    assert "Peningkatan kualitas sumber daya manusia" not in section
    assert "4,13 %" in html and "Rp550.000.000" in html


def test_the_dashboard_shows_the_latest_realisation_against_the_target(client, bappeda_kabupaten, plan):
    stunting = Indicator.objects.get()
    planning_workflow.record_realisation(actor=bappeda_kabupaten, indicator=stunting, year=2025, value=Decimal("3.5"))
    client.force_login(bappeda_kabupaten)

    html = client.get(reverse("dashboards:targets")).content.decode()

    row = html[html.index(f'id="indicator-{stunting.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "4,13 %" in row and "3,00 %" in row and "3,50 %" in row and "Lebih baik dari angka dasar" in row


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("bappeda_kabupaten", "", 200),
        ("bappeda_kabupaten", "18.01", 404),
        ("other_bappeda_kabupaten", "18.02", 404),
        ("bappeda_provinsi", "18.02", 200),
        ("bappeda_provinsi", "18", 200),
        ("other_bappeda_provinsi", "18.02", 404),
        ("admin_user", "18.02", 200),
        ("bappeda_kabupaten", "18.02.01", 404),
        ("village_operator", "", 403),
        ("kecamatan_operator", "18.02", 403),
        ("agency_officer", "", 403),
    ],
)
def test_who_reads_the_targets_dashboard(client, request, plan, persona, code, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("dashboards:targets") + (f"?wilayah={code}" if code else ""))
    assert response.status_code == status


def test_a_provinces_page_links_to_its_regencies(client, bappeda_provinsi, plan):
    client.force_login(bappeda_provinsi)
    response = client.get(reverse("dashboards:targets"))
    assert response.context["board"] is None
    assert [r.code for r in response.context["below"]] == ["18.01", "18.02"]


def test_the_dashboards_queries_do_not_grow_with_the_items(client, bappeda_kabupaten, plan, ladder, year):
    client.force_login(bappeda_kabupaten)
    url = reverse("dashboards:targets")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        ProposalFactory(
            submitted=True,
            village=ladder["18.02.02.2001"],
            planning_year=year,
            regional_priority=plan["ekonomi" if n % 2 else "sdm"],
            status=Status.ACCOMMODATED,
            level=Level.KABUPATEN,
            agreed_cost=MILLION,
        )
    indicator(bappeda_kabupaten, RegionalPriority.objects.get(name__startswith="Penguatan"), name="Tingkat kemiskinan")

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(many) == len(few)
    assert response.context["board"].not_addressed == []
