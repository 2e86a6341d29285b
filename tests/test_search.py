"""Full-text search in the proposal list, and duplicate suggestions with their one-click merge.

The search and the suggestions run on PostgreSQL indexes (migration 0006_search); the tests
that need PostgreSQL's own behaviour (accents, the query plans) are skipped on SQLite, where
the fallback is an accent-sensitive substring match and difflib. Pages are read in English.

The ladder (conftest): Kecamatan Kalirejo holds the villages Kalirejo (the village operator's)
and Sri Way Langsep (the neighbouring operator's); Bangun Rejo, with Purwodadi, is the next
kecamatan.
"""

from __future__ import annotations

import datetime
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role, User
from forums import workflow as forums_workflow
from forums.models import Decision, Forum, Outcome
from planning.models import PlanningYear
from proposals import workflow
from proposals.models import EventAction, Proposal, ProposalEvent, Sector, Status
from proposals.search import search, similar_proposals, suggestions_for
from regions.models import Level

from .factories import ProposalFactory, attend

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: unaccent, full-text and trigram indexes; SQLite's fallback is accent-sensitive",
)

KALIREJO, SRI_WAY_LANGSEP, PURWODADI = "18.02.01.2003", "18.02.01.2001", "18.02.02.2001"

ROAD = "Perbaikan jalan desa Dusun II"
SAME_ROAD = "Perbaikan Jalan Desa dusun 2"
POSYANDU = "Posyandu balita"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # approving a forum writes its berita acara


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def operator_of(village) -> User:
    return User.objects.get_or_create(
        username=f"op-{village.code}", defaults={"role": Role.VILLAGE_OPERATOR, "region": village}
    )[0]


def proposal(village, title, **fields) -> Proposal:
    fields.setdefault("problem", "Kondisi belum memadai.")
    fields.setdefault("proposed_work", "Dikerjakan swakelola.")
    return ProposalFactory(village=village, created_by=operator_of(village), title=title, **fields)


def text_of(response) -> str:
    return response.content.decode()


def squashed(response) -> str:
    return re.sub(r"\s+", " ", text_of(response))


def listed_titles(response) -> list[str]:
    """The titles in the list page's table, top to bottom."""
    page = text_of(response)
    table = page[page.index("<tbody") : page.index("</tbody>")] if "<tbody" in page else ""
    return re.findall(r'<a href="/usulan/\d+/">([^<]*)</a>', table)


def section(page: str, element_id: str) -> str:
    """One <section id=...> of a page, or "" when the page has none."""
    start = page.find(f'id="{element_id}"')
    return page[start : page.index("</section>", start)] if start >= 0 else ""


# --- full-text search ------------------------------------------------------------------------


@pytest.fixture
def texts(ladder, intake):
    village = ladder[KALIREJO]
    return {
        "road": proposal(
            village,
            "Jalan Desa Rusak",
            submitted=True,
            problem="Badan jalan berlubang dan tergenang saat hujan.",
            proposed_work="Pengaspalan ulang sepanjang 800 meter.",
        ),
        "health": proposal(
            village,
            "Posyandu balita Melati",
            submitted=True,
            problem="Timbangan bayi rusak, kader kekurangan alat.",
            proposed_work="Pengadaan timbangan dan meja kader.",
        ),
    }


@pytest.mark.parametrize(
    "typed",
    [
        "jalan desa",
        "JALAN",
        "jal des",
        "  desa   JAL ",
        pytest.param("jálan", marks=pg_only),
        pytest.param("JÁLAN DÉSA", marks=pg_only),
    ],
)
def test_search_finds_a_title_whatever_the_case_and_accents_typed(texts, typed):
    found = search(Proposal.objects.all(), typed)

    assert list(found) == [texts["road"]]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("berlubang", ["road"]),  # the problem
        pytest.param("aspal", [], marks=pg_only),  # a word's middle is not a word's start
        ("pengaspal", ["road"]),  # the proposed work
        ("timbangan", ["health"]),
        ("rusak", ["road", "health"]),  # the road's title, the posyandu's problem
        ("rusak timbang", ["health"]),  # every word, wherever it stands
        ("jembatan", []),
        ("jalan posyandu", []),
    ],
)
def test_search_reads_the_problem_and_the_proposed_work_and_needs_every_word(texts, typed, expected):
    found = search(Proposal.objects.all(), typed)

    assert sorted(p.title for p in found) == sorted(texts[key].title for key in expected)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback's documented difference")
def test_search_on_sqlite_matches_inside_words_and_keeps_accents(texts):
    assert list(search(Proposal.objects.all(), "aspal")) == [texts["road"]]
    assert list(search(Proposal.objects.all(), "jálan")) == []


def test_search_finds_a_tracking_code_typed_in_any_case(texts):
    code = texts["health"].tracking_code

    assert list(search(Proposal.objects.all(), code.lower())) == [texts["health"]]


@pytest.mark.parametrize(
    ("typed", "expected"), [("", ["road", "health"]), ("   ", ["road", "health"]), ("&|!():*'", [])]
)
def test_an_empty_search_keeps_every_row_and_mere_punctuation_finds_none(texts, typed, expected):
    found = search(Proposal.objects.all(), typed)

    assert sorted(p.pk for p in found) == sorted(texts[key].pk for key in expected)


@pg_only
def test_letters_that_unaccent_turns_into_query_syntax_do_not_break_the_search(texts):
    # unaccent() maps ʼ to an apostrophe, ː to a colon and ⑴ to "(1)": to_tsquery's own syntax.
    assert list(search(Proposal.objects.all(), "ʼjalanː & | ! ( ) :* 'desa'")) == [texts["road"]]
    assert list(search(Proposal.objects.all(), "⑴ ½ ⒈ ŉ jalan")) == []


def test_the_list_page_searches_the_three_texts_through_its_q_parameter(english, bappeda_kabupaten, texts):
    english.force_login(bappeda_kabupaten)

    by_title = english.get("/usulan/?q=JALAN+desa")
    by_problem = english.get("/usulan/?q=kader")
    unrelated = english.get("/usulan/?q=jembatan")

    assert listed_titles(by_title) == [texts["road"].title]
    assert listed_titles(by_problem) == [texts["health"].title]
    assert listed_titles(unrelated) == []
    assert 'value="JALAN desa"' in text_of(by_title)  # what was typed stays in the box


def test_a_search_pages_forward_without_counting_its_matches(english, bappeda_kabupaten, texts):
    english.force_login(bappeda_kabupaten)

    with CaptureQueriesContext(connection) as searching:
        found = english.get("/usulan/?q=jalan")
    with CaptureQueriesContext(connection) as listing:
        everything = english.get("/usulan/")

    # Counting a frequent word's matches costs more than the page (the nation's match set); the
    # list without a search is counted, from its villages' tally (proposals/tally.py).
    assert not [q for q in searching if "COUNT(" in q["sql"].upper() and "proposals_proposal" in q["sql"]]
    tallied = connection.vendor == "postgresql"  # SQLite has no tally: it counts
    assert [q for q in listing if ("proposals_proposaltally" if tallied else "COUNT(") in q["sql"]]
    assert listed_titles(found) == [texts["road"].title]
    assert re.search(r"\d+ proposals? ·", text_of(everything))
    assert not re.search(r"\d+ proposals? ·", text_of(found))


@pg_only
def test_the_list_page_finds_an_accented_query(english, bappeda_kabupaten, texts):
    english.force_login(bappeda_kabupaten)

    assert listed_titles(english.get("/usulan/?q=j%C3%A1lan")) == [texts["road"].title]


def test_the_search_does_not_widen_what_a_user_may_see(english, neighbour_village_operator, texts):
    english.force_login(neighbour_village_operator)  # Sri Way Langsep: the texts are Kalirejo's

    assert listed_titles(english.get("/usulan/?q=jalan")) == []


def add_matching(ladder, count) -> None:
    village = ladder[KALIREJO]
    Proposal.objects.bulk_create(
        [
            ProposalFactory.build(
                village=village,
                created_by=operator_of(village),
                submitted=True,
                title=f"Jalan usaha tani {n}",
                problem="Jalan tanah.",
                proposed_work="Rabat beton.",
            )
            for n in range(count)
        ]
    )


def test_a_searched_list_runs_as_many_queries_for_60_rows_as_for_10(english, bappeda_kabupaten, ladder, intake):
    english.force_login(bappeda_kabupaten)
    add_matching(ladder, 10)
    english.get("/usulan/?q=jalan+tani")  # sessions and caches warm up the same way for both

    with CaptureQueriesContext(connection) as ten:
        first = english.get("/usulan/?q=jalan+tani")
    add_matching(ladder, 50)
    with CaptureQueriesContext(connection) as sixty:
        second = english.get("/usulan/?q=jalan+tani")

    assert (len(listed_titles(first)), len(listed_titles(second))) == (10, 25)
    # No count (see above); the second page is offered because a 26th row was found.
    assert 'href="?q=jalan+tani&amp;page=2" rel="next"' in text_of(second)
    assert 'rel="next"' not in text_of(first)
    assert len(ten.captured_queries) == len(sixty.captured_queries)


# --- the indexes the queries use -------------------------------------------------------------

WORDS = "jalan desa dusun rabat beton drainase sumur bor posyandu balai warga jembatan irigasi pasar".split()


@pytest.fixture
def many(ladder, intake):
    """3,000 proposals across both kecamatan of Lampung Tengah, then fresh planner statistics."""
    rng = random.Random(4)
    villages = [ladder[KALIREJO], ladder[SRI_WAY_LANGSEP], ladder[PURWODADI]]
    operators = [operator_of(v) for v in villages]
    planning_year, sector = intake.planning_year, Sector.objects.get(code="1.03")
    rows = [
        ProposalFactory.build(
            village=villages[n % 3],
            created_by=operators[n % 3],
            planning_year=planning_year,
            sector=sector,
            submitted=True,
            title=" ".join(rng.sample(WORDS, 3)) + f" {n}",
            problem=" ".join(rng.sample(WORDS, 5)),
            proposed_work=" ".join(rng.sample(WORDS, 4)),
        )
        for n in range(3000)
    ]
    Proposal.objects.bulk_create(rows, batch_size=1000)
    target = proposal(ladder[KALIREJO], "Embung penampung air hujan", submitted=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_proposal")
    return target


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def sql_of(run) -> str:
    """The one SQL statement `run` sends, as sent."""
    with CaptureQueriesContext(connection) as captured:
        run()
    assert len(captured.captured_queries) == 1
    return captured.captured_queries[0]["sql"]


@pg_only
def test_the_search_reads_its_full_text_index(many):
    found = search(Proposal.objects.all(), "embung penampung")

    plan = plan_of(sql_of(lambda: list(found)))

    assert list(found) == [many]
    assert "proposal_search" in plan, plan
    assert "Seq Scan" not in plan, plan


@pg_only
def test_duplicate_suggestions_can_read_the_trigram_index(many):
    """Within one kecamatan and year (a few hundred items) the planner rightly reads the kecamatan
    index and compares the titles it finds. Without that index, as for a search across a whole
    kabupaten, this very SQL is served by the trigram index: its expression is the indexed one."""
    twin = proposal(many.village, "Embung penampungan air hujan", submitted=True)
    sql = sql_of(lambda: similar_proposals(many))
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE i.indrelid = 'proposals_proposal'::regclass AND c.relname <> 'proposal_title_similar'
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"""
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')  # undone with the test's transaction
        cursor.execute("SET LOCAL enable_seqscan = off")

    plan = plan_of(sql)

    assert [p.pk for p in similar_proposals(many)] == [twin.pk]
    assert "Bitmap Index Scan on proposal_title_similar" in plan, plan


# --- duplicate suggestions -------------------------------------------------------------------


@pytest.fixture
def roads(ladder, intake):
    """A road item of Kalirejo, the same road entered by Sri Way Langsep, and unrelated work."""
    return {
        "road": proposal(ladder[KALIREJO], ROAD, submitted=True),
        "twin": proposal(ladder[SRI_WAY_LANGSEP], SAME_ROAD, submitted=True),
        "posyandu": proposal(ladder[SRI_WAY_LANGSEP], POSYANDU, submitted=True),
    }


def test_a_near_duplicate_title_is_suggested_and_unrelated_work_is_not(roads):
    assert [p.title for p in similar_proposals(roads["road"])] == [SAME_ROAD]
    assert [p.title for p in similar_proposals(roads["twin"])] == [ROAD]
    assert similar_proposals(roads["posyandu"]) == []


def test_other_kecamatan_other_years_drafts_merged_and_withdrawn_items_are_never_suggested(roads, ladder):
    later = PlanningYear.objects.create(year=timezone.localdate().year + 2)
    proposal(ladder[PURWODADI], ROAD, submitted=True)  # Bangun Rejo: another kecamatan
    proposal(ladder[SRI_WAY_LANGSEP], ROAD, submitted=True, planning_year=later)
    proposal(ladder[SRI_WAY_LANGSEP], ROAD)  # a draft
    proposal(ladder[SRI_WAY_LANGSEP], ROAD, submitted=True, status=Status.MERGED, merged_into=roads["twin"])
    proposal(ladder[SRI_WAY_LANGSEP], ROAD, submitted=True, status=Status.WITHDRAWN)  # taken back by its village

    assert [p.title for p in similar_proposals(roads["road"])] == [SAME_ROAD]


def test_suggestions_come_closest_first_up_to_the_limit_in_one_query(roads, ladder, django_assert_num_queries):
    for suffix in ["lanjutan", "tahap 2", "RT 03", "RW 01", "sisi utara", "sisi selatan"]:
        proposal(ladder[SRI_WAY_LANGSEP], f"{ROAD} {suffix}", submitted=True)

    with django_assert_num_queries(1):
        found = similar_proposals(roads["road"], limit=5)
        villages = {p.village.name for p in found}  # fetched with the rows

    assert len(found) == 5
    assert [p.similarity for p in found] == sorted((p.similarity for p in found), reverse=True)
    assert found[0].title == SAME_ROAD  # the twin scores above every longer variant
    assert villages == {"Sri Way Langsep"}


# --- the proposal page -----------------------------------------------------------------------


@pytest.fixture
def entered(roads, ladder, village_operator):
    """The Kalirejo operator enters the same road again as a draft; a Kalirejo item is similar too."""
    own = proposal(ladder[KALIREJO], "Perbaikan jalan desa Dusun Dua", submitted=True)
    draft = ProposalFactory(village=ladder[KALIREJO], created_by=village_operator, title="Perbaikan jalan Dusun II")
    return {"draft": draft, "own": own, **roads}


def test_the_village_operator_sees_its_own_villages_duplicates_and_only_a_count_of_the_others(
    english, entered, village_operator
):
    english.force_login(village_operator)

    page = text_of(english.get(entered["draft"].get_absolute_url()))
    similar = section(page, "similar")

    visible = set(Proposal.objects.visible_to(village_operator))
    expected_links = [p for p in similar_proposals(entered["draft"]) if p in visible]
    hidden = [p for p in similar_proposals(entered["draft"]) if p not in visible]
    assert {p.title for p in expected_links} == {entered["road"].title, entered["own"].title}
    assert re.findall(r'<a href="(/usulan/\d+/)">([^<]+)</a>', similar) == [
        (p.get_absolute_url(), p.title) for p in expected_links
    ]
    for p in expected_links:
        assert p.tracking_code in similar and p.get_status_display() in similar
    assert [p.title for p in hidden] == [SAME_ROAD]
    assert SAME_ROAD not in page
    assert "1 similar proposal elsewhere in this kecamatan, which you cannot open." in squashed(
        english.get(entered["draft"].get_absolute_url())
    )


def test_the_kecamatan_operator_sees_every_similar_item_with_its_link(english, entered, kecamatan_operator):
    english.force_login(kecamatan_operator)

    page = text_of(english.get(entered["road"].get_absolute_url()))
    similar = section(page, "similar")

    expected = similar_proposals(entered["road"])
    assert {p.title for p in expected} == {SAME_ROAD, "Perbaikan jalan desa Dusun Dua"}  # not the draft
    assert re.findall(r'<a href="(/usulan/\d+/)">([^<]+)</a>', similar) == [
        (p.get_absolute_url(), p.title) for p in expected
    ]
    assert "which you cannot open" not in similar
    assert "Sri Way Langsep" in similar


def test_a_proposal_without_look_alikes_shows_no_suggestions(english, roads, ladder, village_operator):
    english.force_login(village_operator)
    alone = proposal(ladder[KALIREJO], "Embung penampung air hujan")

    page = text_of(english.get(alone.get_absolute_url()))

    assert section(page, "similar") == ""
    assert "Similar proposals in this kecamatan" not in page


def test_suggestions_for_counts_hidden_items_beyond_the_limit(roads, ladder, village_operator):
    suffixes = ["lanjutan", "tahap 2", "RT 03", "RW 01", "sisi utara", "sisi selatan"]
    for suffix in suffixes:
        proposal(ladder[SRI_WAY_LANGSEP], f"{ROAD} {suffix}", submitted=True)
    mine = proposal(ladder[KALIREJO], f"{ROAD} ujung", submitted=True)

    found = suggestions_for(village_operator, mine, limit=5)

    everything = similar_proposals(mine, limit=100)
    assert [p.title for p in found.shown] == [p.title for p in everything if p.village_id == mine.village_id] == [ROAD]
    # the twin and every variant of Sri Way Langsep: more than the limit, all counted
    assert found.hidden == len([p for p in everything if p.village_id != mine.village_id]) == len(suffixes) + 1


def test_suggestions_for_a_kecamatan_operator_show_the_closest_few_and_hide_none(roads, ladder, kecamatan_operator):
    for suffix in ["lanjutan", "tahap 2", "RT 03", "RW 01", "sisi utara", "sisi selatan"]:
        proposal(ladder[SRI_WAY_LANGSEP], f"{ROAD} {suffix}", submitted=True)

    found = suggestions_for(kecamatan_operator, roads["road"], limit=5)

    assert [p.pk for p in found.shown] == [p.pk for p in similar_proposals(roads["road"], limit=5)]
    assert (len(found.shown), found.hidden) == (5, 0)


# --- the forum's decision page ---------------------------------------------------------------


def submit(operator, title) -> Proposal:
    item = ProposalFactory(village=operator.region, created_by=operator, title=title)
    return workflow.submit_proposal(actor=operator, proposal=item)


@pytest.fixture
def forum_items(village_operator, intake):
    """The same road twice and a posyandu, submitted into the Musrenbang Desa Kalirejo."""
    return {
        "road": submit(village_operator, ROAD),
        "twin": submit(village_operator, SAME_ROAD),
        "posyandu": submit(village_operator, POSYANDU),
    }


@pytest.fixture
def desa_forum(forum_items, village):
    return Forum.objects.get(level=Level.DESA, region=village)


def decision_url(forum, decision, query="") -> str:
    return f"/musyawarah/{forum.pk}/usulan/{decision.pk}/{query}"


def test_the_decision_page_suggests_the_duplicate_in_the_same_forum_with_a_merge_link(
    english, desa_forum, forum_items, village_operator
):
    twin = desa_forum.decisions.get(proposal=forum_items["twin"])
    english.force_login(village_operator)

    page = text_of(english.get(decision_url(desa_forum, twin)))
    similar = section(page, "similar")

    road = forum_items["road"]
    assert re.findall(r'<a href="/usulan/\d+/">([^<]+)</a>', similar) == [ROAD]
    assert POSYANDU not in similar
    assert escape(decision_url(desa_forum, twin, f"?merge_into={road.pk}#decide")) in similar


def test_the_merge_link_prefills_the_decision_form_in_indonesian(english, desa_forum, forum_items, village_operator):
    twin = desa_forum.decisions.get(proposal=forum_items["twin"])
    road = forum_items["road"]
    english.force_login(village_operator)

    page = text_of(english.get(decision_url(desa_forum, twin, f"?merge_into={road.pk}")))

    assert re.search(r'<input type="radio" name="outcome" value="merged"[^>]*checked', page)
    assert re.search(rf'<option value="{road.pk}" selected>', page)
    reason = re.search(r'<textarea name="reason"[^>]*>\s*([^<]*)</textarea>', page).group(1)
    assert reason == f"Sama dengan usulan {road.tracking_code} {road.title}"


@pytest.mark.parametrize("target", ["elsewhere", "self", "nonsense"])
def test_a_merge_link_to_an_item_that_cannot_survive_here_prefills_nothing(
    english, desa_forum, forum_items, village_operator, neighbour_village_operator, target
):
    twin = desa_forum.decisions.get(proposal=forum_items["twin"])
    elsewhere = submit(neighbour_village_operator, ROAD)  # the neighbouring village's forum
    value = {"elsewhere": elsewhere.pk, "self": forum_items["twin"].pk, "nonsense": "1;drop"}[target]
    english.force_login(village_operator)

    page = text_of(english.get(decision_url(desa_forum, twin, f"?merge_into={value}")))

    assert not re.search(r'name="outcome" value="merged"[^>]*checked', page)
    assert "Sama dengan usulan" not in page


def approve(forum, actor) -> None:
    """Decide what is still open, fill in the minutes' details and delegates, approve."""
    for decision in forum.decisions.filter(outcome=""):
        forums_workflow.decide(actor=actor, decision=decision, outcome=Outcome.ACCEPTED)
    forums_workflow.update_forum(
        actor=actor,
        forum=forum,
        held_on=datetime.date(2026, 1, 20),
        starts_at=datetime.time(9, 0),
        place="Balai Desa",
        chair_name="Suparno",
        chair_title="Kepala Desa",
    )
    attend(actor, forum)
    for name, gender in [("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Joko Susilo", "L")]:
        forums_workflow.add_delegate(actor=actor, forum=forum, name=name, gender=gender)
    forums_workflow.approve_forum(actor=actor, forum=forum)


def test_posting_the_prefilled_merge_records_it_and_approval_merges_the_item(
    english, desa_forum, forum_items, village_operator
):
    twin_decision = desa_forum.decisions.get(proposal=forum_items["twin"])
    road, twin = forum_items["road"], forum_items["twin"]
    english.force_login(village_operator)
    reason = f"Sama dengan usulan {road.tracking_code} {road.title}"

    response = english.post(
        decision_url(desa_forum, twin_decision), {"outcome": "merged", "merged_into": road.pk, "reason": reason}
    )

    assert response.status_code == 302
    twin_decision.refresh_from_db()
    assert (twin_decision.outcome, twin_decision.merged_into_id, twin_decision.reason, twin_decision.decided_by) == (
        Outcome.MERGED,
        road.pk,
        reason,
        village_operator,
    )
    twin.refresh_from_db()
    assert (twin.status, twin.merged_into_id) == (Status.SUBMITTED, None)  # it takes effect at approval
    assert ProposalEvent.objects.filter(proposal=twin, action=EventAction.DECIDED).last().note.endswith(reason)

    approve(desa_forum, village_operator)

    twin.refresh_from_db()
    assert (twin.status, twin.merged_into_id) == (Status.MERGED, road.pk)
    assert ProposalEvent.objects.filter(proposal=twin, action=EventAction.MERGED).count() == 1
    assert Decision.objects.filter(proposal=twin).count() == 1  # the merged item climbs no further


def test_an_approved_forum_offers_no_merge(english, desa_forum, forum_items, village_operator):
    approve(desa_forum, village_operator)
    twin = desa_forum.decisions.get(proposal=forum_items["twin"])
    english.force_login(village_operator)

    page = text_of(english.get(decision_url(desa_forum, twin)))

    assert section(page, "similar") == ""
    assert "merge_into" not in page
