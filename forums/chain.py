"""The public chain of sealed berita acara: each sealed document gets one link that hashes its
number, its SHA-256, its seal time and the link before it.

The triggers of migration 0010 keep an issued document's row from changing, and its SHA-256
catches a changed file; but whoever holds both the database and the files could rewrite a
document, its row and its hash together. The chain is what they could not rewrite quietly:
every PDF prints the chain's head as it was when the PDF was rendered, every paper copy and
every archived copy of the public chain page (/verifikasi/rantai/) pins every link up to there,
and changing one document changes its link's digest and every digest after it.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models import ChainEntry, MinutesDocument

GENESIS = "0" * 64
# Two sealing workers may take the same next link; the loser reads the new head and tries again.
APPEND_TRIES = 20


def utc_text(moment: datetime.datetime) -> str:
    """A seal time as the digest reads it: UTC, ISO 8601, to the microsecond."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def link_digest(*, seq: int, number: str, document_sha256: str, sealed_at: datetime.datetime, previous: str) -> str:
    """The digest of one link: a line each for its fields, hashed. Published with the chain, so
    that anyone can recompute it from the CSV (/verifikasi/rantai.csv)."""
    text = "\n".join(
        [
            str(seq),
            number,
            document_sha256,
            utc_text(sealed_at),
            previous,
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def head() -> ChainEntry | None:
    """The newest link, or None before the first document is sealed."""
    return ChainEntry.objects.order_by("-seq").first()


def anchor_of(document: MinutesDocument) -> ChainEntry | None:
    """The link printed on a sealed document (the head when it was rendered): what rendering it
    again needs to give the same bytes."""
    entry = ChainEntry.objects.filter(document=document).first()
    if entry is None or entry.anchor is None:
        return None
    return ChainEntry.objects.get(seq=entry.anchor)


def append(document: MinutesDocument, *, anchor: ChainEntry | None) -> ChainEntry:
    """Add the link of a document just sealed, in the caller's transaction (the seal's)."""
    for _try in range(APPEND_TRIES):
        last = head()
        seq = last.seq + 1 if last else 1
        previous = last.digest if last else GENESIS
        entry = ChainEntry(
            seq=seq,
            document=document,
            number=document.number,
            document_sha256=document.sha256,
            sealed_at=document.rendered_at,
            previous=previous,
            anchor=anchor.seq if anchor else None,
        )
        entry.digest = link_digest(
            seq=seq,
            number=entry.number,
            document_sha256=entry.document_sha256,
            sealed_at=entry.sealed_at,
            previous=previous,
        )
        try:
            # A savepoint: on PostgreSQL the losing insert waits for the winner's commit, then fails
            # on the unique link number, and the seal's transaction goes on with the next number.
            with transaction.atomic():
                entry.save(force_insert=True)
            return entry
        except IntegrityError:
            if ChainEntry.objects.filter(document=document).exists():
                raise
    raise RuntimeError(f"could not append berita acara {document.number} to the chain")


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    broken_at: int | None  # the first link that does not hold, if any
    problem: str


def verify() -> ChainCheck:
    """Walk the whole chain: each link's digest recomputed, each link pointing at the one before,
    each link's SHA-256 the one its document carries. Not for a request path: it reads every link
    (`manage.py verify_minutes`)."""
    previous, expected_seq, checked = GENESIS, 1, 0
    links = ChainEntry.objects.select_related("document").order_by("seq").iterator(chunk_size=2000)
    for entry in links:
        checked += 1
        fields = {
            "seq": entry.seq,
            "number": entry.number,
            "document_sha256": entry.document_sha256,
            "sealed_at": entry.sealed_at,
            "previous": entry.previous,
        }
        if entry.seq != expected_seq:
            return ChainCheck(checked, expected_seq, f"link {expected_seq} is missing")
        if entry.previous != previous:
            return ChainCheck(checked, entry.seq, "it does not point at the link before it")
        if link_digest(**fields) != entry.digest:
            return ChainCheck(checked, entry.seq, "its digest does not match its fields")
        if (entry.document.number, entry.document.sha256) != (entry.number, entry.document_sha256):
            return ChainCheck(checked, entry.seq, f"berita acara {entry.document.number} no longer matches its link")
        previous, expected_seq = entry.digest, entry.seq + 1
    unlinked = MinutesDocument.objects.ready().filter(chain_entry__isnull=True).first()
    if unlinked is not None:
        return ChainCheck(checked, None, f"berita acara {unlinked.number} is sealed but has no link")
    return ChainCheck(checked, None, "")


def link_holds(entry: ChainEntry) -> bool:
    """One link checked on its own (the verification page): its digest, and the link before it."""
    before = ChainEntry.objects.filter(seq=entry.seq - 1).values_list("digest", flat=True).first()
    if (before or GENESIS) != entry.previous or (entry.seq > 1 and before is None):
        return False
    return entry.digest == link_digest(
        seq=entry.seq,
        number=entry.number,
        document_sha256=entry.document_sha256,
        sealed_at=entry.sealed_at,
        previous=entry.previous,
    )
