"""Finding proposals by what they say, and finding the ones that say the same thing twice.

On PostgreSQL both run on expression indexes made by migration 0006_search: a full-text GIN
index over title, problem and proposed work with accents stripped, and a trigram GIN index on
the lower-cased, unaccented title. The expressions below must stay exactly the ones indexed
there, or the planner no longer recognises them and every search reads the whole table
(tests/test_search.py checks the plan).

On SQLite (the zero-setup development database) there are no such indexes: search is a plain
case-insensitive substring match, and it is accent-sensitive (SQLite's LIKE also folds case
for ASCII letters only); similar titles are compared with difflib.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramSimilarity
from django.db import connection
from django.db.models import Case, Count, Exists, F, Func, OuterRef, Q, TextField, Value, When, Window
from django.db.models.functions import Lower, RowNumber

from .models import Proposal, Status
from .queries import ProposalQuerySet

# Trigram similarity (0 to 1) from which two titles count as possibly the same work. Measured on
# real-looking titles of one kecamatan: true duplicates scored 0.63 to 1.00 ("Perbaikan jalan desa
# Dusun II" / "Perbaikan Jalan Desa dusun 2" 0.83, "Sumur bor" / "Sumur bor dalam" 0.63); different
# works sharing the usual words scored 0.55 to 0.61 ("Pembangunan Posyandu Dusun Dua" /
# "... Masjid Dusun Dua" 0.57, "... Poskamling ..." 0.61), unrelated ones below 0.5. It must stay
# at or above pg_trgm.similarity_threshold (0.3 by default): the indexable `%` operator is the
# first sieve. A suggestion costs a glance, a missed duplicate money, so the line sits low.
TRIGRAM_THRESHOLD = 0.6
# difflib's ratio on the same pairs runs higher (duplicates 0.75 to 0.99, look-alikes up to 0.87).
DIFFLIB_THRESHOLD = 0.8

# Statuses whose proposals are never offered as duplicates: the village's working copies, items
# already folded into another, and items their village took back.
NOT_CANDIDATES = (Status.DRAFT, Status.MERGED, Status.WITHDRAWN)


class Unaccent(Func):
    """public.f_unaccent, the IMMUTABLE wrapper around unaccent() that the indexes are built on."""

    function = "public.f_unaccent"
    output_field = TextField()


class _Joined(Func):
    """title || ' ' || problem || ' ' || proposed_work (no CONCAT(): it is not IMMUTABLE)."""

    template = "%(expressions)s"
    arg_joiner = " || ' ' || "
    output_field = TextField()


def _postgres() -> bool:
    return connection.vendor == "postgresql"


CODE_SHAPE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}")


def search_document() -> SearchVector:
    """The indexed document: to_tsvector('simple', COALESCE(f_unaccent(title || ' ' || ...), '')).

    'simple' because the text is Indonesian and PostgreSQL has no Indonesian stemmer: words are
    only lower-cased, so "jalan" matches "Jalan", and prefixes do the rest.
    """
    return SearchVector(Unaccent(_Joined("title", "problem", "proposed_work")), config="simple")


def search_words(text: str) -> list[str]:
    """The words of what was typed, reduced to letters and digits.

    Accents are stripped here as well as in the database: unaccent() turns a few letters into
    punctuation (ʼ into an apostrophe, ⑴ into "(1)") that to_tsquery would read as syntax, so
    only plain letters and digits reach it.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        c if unicodedata.category(c) in {"Lu", "Ll", "Lt", "Lo", "Nd", "Nl", "No"} else " "
        for c in decomposed
        if unicodedata.category(c) != "Mn"
    )
    return kept.split()


def search(queryset: ProposalQuerySet, text: str) -> ProposalQuerySet:
    """Proposals whose title, problem or proposed work hold every typed word as a word's start
    ("jal desa" finds "Jalan Desa"), ignoring case and accents; or whose tracking code is the text.

    Only filters: the list keeps its own joins, ordering and query count.
    """
    text = text.strip()
    if not text:
        return queryset
    # Only text shaped like a code (XXXX-XXXX) can equal one. Leaving the OR out otherwise
    # changes no result, and frees PostgreSQL to walk the scope's newest-first index testing each
    # row (a frequent word), or to intersect the search index with the scope (a rare one); an OR
    # across two indexes forces a bitmap of the nation's matches.
    by_code = Q(tracking_code=text.upper()) if CODE_SHAPE.fullmatch(text.upper()) else Q(pk__in=[])
    if not _postgres():
        each_word = Q()
        for word in text.split():  # as typed, accents and all: the stored text keeps its own
            each_word &= Q(title__icontains=word) | Q(problem__icontains=word) | Q(proposed_work__icontains=word)
        return queryset.filter(each_word | by_code)
    words = search_words(text)
    if not words:
        return queryset.filter(by_code)
    # Unaccented in SQL too, by the same function as the document ("ø" has no decomposition).
    query = SearchQuery(Unaccent(Value(" & ".join(f"{word}:*" for word in words))), search_type="raw", config="simple")
    return queryset.alias(search_document=search_document()).filter(Q(search_document=query) | by_code)


# --- duplicate suggestions ---------------------------------------------------------------------


def similar_title() -> Lower:
    """The indexed title for trigram comparison: lower(f_unaccent(title))."""
    return Lower(Unaccent("title"))


def _candidates(proposal: Proposal, among=None) -> ProposalQuerySet:
    """Other live proposals of the same kecamatan and planning year: where a duplicate would be."""
    candidates = (
        Proposal.objects.filter(kecamatan_id=proposal.kecamatan_id, planning_year_id=proposal.planning_year_id)
        .exclude(pk=proposal.pk)
        .exclude(status__in=NOT_CANDIDATES)
        .select_related("village")
    )
    if among is not None:
        candidates = candidates.filter(pk__in=among.values("pk"))
    return candidates


def _trigram_ranked(candidates: ProposalQuerySet, title: str) -> ProposalQuerySet:
    typed = Lower(Unaccent(Value(title)))
    return (
        candidates.alias(similar_title=similar_title())
        # `%` is what the trigram index answers; the threshold then keeps the closer ones.
        .filter(similar_title__trigram_similar=typed)
        .annotate(similarity=TrigramSimilarity(similar_title(), typed))
        .filter(similarity__gte=TRIGRAM_THRESHOLD)
        .order_by("-similarity", "tracking_code")
    )


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")).strip()


def _difflib_ranked(candidates: ProposalQuerySet, title: str) -> list[Proposal]:
    wanted = _plain(title)
    ranked = []
    for candidate in candidates:
        candidate.similarity = SequenceMatcher(None, wanted, _plain(candidate.title), autojunk=False).ratio()
        if candidate.similarity >= DIFFLIB_THRESHOLD:
            ranked.append(candidate)
    return sorted(ranked, key=lambda p: (-p.similarity, p.tracking_code or ""))


def similar_proposals(proposal: Proposal, limit: int = 5, *, among=None) -> list[Proposal]:
    """Up to `limit` other non-draft, non-merged proposals of the same kecamatan and planning year
    whose titles look like this one's, closest first, each with `.similarity`. One query.

    `among` (a Proposal queryset) narrows the candidates further, e.g. to one forum's items.
    Access is not checked here: show the result only through `suggestions_for` or to someone
    who may see every candidate.
    """
    candidates = _candidates(proposal, among)
    if _postgres():
        return list(_trigram_ranked(candidates, proposal.title)[:limit])
    return _difflib_ranked(candidates, proposal.title)[:limit]


@dataclass(frozen=True)
class Suggestions:
    """Possible duplicates as one user may be shown them."""

    shown: list[Proposal]  # ones the user may open, closest first
    hidden: int  # ones outside the user's view: counted, never named

    def __bool__(self) -> bool:
        return bool(self.shown) or self.hidden > 0


def suggestions_for(user, proposal: Proposal, limit: int = 5) -> Suggestions:
    """Possible duplicates of `proposal` for this user: up to `limit` they may see (by
    Proposal.objects.visible_to), and how many more similar ones lie outside their view (a village
    operator sees only their own village). One query.
    """
    candidates = _candidates(proposal).annotate(
        visible=Exists(Proposal.objects.visible_to(user).filter(pk=OuterRef("pk")))
    )
    if not _postgres():
        ranked = _difflib_ranked(candidates, proposal.title)
        return Suggestions([p for p in ranked if p.visible][:limit], sum(not p.visible for p in ranked))
    # Numbered and counted within the visible and the hidden group: the page gets the first few
    # visible ones and, from a single hidden row, the size of the hidden group.
    rows = list(
        _trigram_ranked(candidates, proposal.title)
        .annotate(
            place=Window(RowNumber(), partition_by=[F("visible")], order_by=[F("similarity").desc(), "tracking_code"]),
            group_size=Window(Count("pk"), partition_by=[F("visible")]),
        )
        .filter(place__lte=Case(When(visible=True, then=Value(limit)), default=Value(1)))
    )
    return Suggestions([p for p in rows if p.visible], next((p.group_size for p in rows if not p.visible), 0))
