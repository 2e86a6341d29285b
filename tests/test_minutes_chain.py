"""The public chain of sealed berita acara (forums/chain.py): each sealed document adds a link that
hashes its number, its SHA-256, its seal time and the link before it; each PDF prints the head
of the chain as it was when it was rendered; the links cannot be changed (a PostgreSQL trigger);
the chain is public (/verifikasi/rantai/ and its CSV) and `manage.py verify_minutes` walks it.

The scenario it exists for is an insider holding the database and the files: they rewrite a
document, its row and its hash together, which the SHA-256 alone cannot reveal.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from forums.models import ChainEntry, MinutesDocument

from .test_verify import pdf_text, stored, walk  # noqa: F401  (fixture)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the guard is a PostgreSQL trigger; SQLite is the zero-setup default only"
)


def published_digest(seq, number, document_sha256, sealed_at_utc, previous) -> str:
    """The digest as the chain page describes it, worked out here from the published fields alone."""
    return hashlib.sha256("\n".join([str(seq), number, document_sha256, sealed_at_utc, previous]).encode()).hexdigest()


def printed_link(document: MinutesDocument) -> tuple[int, str] | None:
    found = re.search(r"mata rantai ke-(\d+): ([0-9a-f]{64})", pdf_text(stored(document)))
    return (int(found[1]), found[2]) if found else None


@pytest.fixture
def documents(walk):  # noqa: F811
    """The village forum's berita acara, then the kecamatan forum's: sealed in that order."""
    return [walk.desa.documents.get(), walk.kecamatan.documents.get()]


def test_each_sealed_document_adds_a_link_that_hashes_the_one_before(documents):
    first, second = ChainEntry.objects.order_by("seq")

    assert [(first.seq, first.document), (second.seq, second.document)] == [(1, documents[0]), (2, documents[1])]
    assert first.previous == "0" * 64 and second.previous == first.digest
    for link, document in ((first, documents[0]), (second, documents[1])):
        assert (link.number, link.document_sha256) == (document.number, document.sha256)
        assert link.digest == published_digest(
            link.seq,
            link.number,
            link.document_sha256,
            link.sealed_at.isoformat(timespec="microseconds"),
            link.previous,
        )


def test_each_pdf_prints_the_head_of_the_chain_when_it_was_made(documents):
    assert printed_link(documents[0]) is None  # the chain was empty
    assert printed_link(documents[1]) == (1, ChainEntry.objects.get(seq=1).digest)
    assert ChainEntry.objects.get(seq=2).anchor == 1


def test_an_issued_file_is_written_read_only(documents):
    mode = os.stat(documents[0].pdf.path).st_mode
    assert mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0
    assert mode & stat.S_IRUSR


def test_the_public_chain_page_and_its_csv_publish_every_link(client, documents):
    page = client.get(reverse("public:chain"), HTTP_ACCEPT_LANGUAGE="id")
    text = page.content.decode()
    for link in ChainEntry.objects.all():
        assert f'id="mata-rantai-{link.seq}"' in text and link.digest in text and link.number in text

    download = client.get(reverse("public:chain_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert download["Content-Type"].startswith("text/csv")
    assert [row["number"] for row in rows] == [d.number for d in documents]
    for row in rows:  # anyone can recompute every digest from the download alone
        assert row["digest"] == published_digest(
            row["seq"], row["number"], row["document_sha256"], row["sealed_at_utc"], row["previous"]
        )
    assert rows[1]["previous"] == rows[0]["digest"]


def test_the_verification_page_names_the_documents_link(client, documents):
    link = ChainEntry.objects.get(document=documents[1])
    response = client.get(reverse("public:verify", args=[documents[1].verify_code]), HTTP_ACCEPT_LANGUAGE="en")
    text = " ".join(response.content.decode().split())

    assert f'link 2</a>: <code class="hash">{link.digest}</code>' in text
    assert "Chain link printed on it</dt><dd>link 1</dd>" in text
    assert 'id="chain-link"' not in text  # it holds


def test_verify_minutes_walks_the_chain(documents, capsys):
    call_command("verify_minutes")
    assert "their chain holds (2 links read)" in capsys.readouterr().out


@on_postgresql
def test_links_are_append_only(documents):
    link = ChainEntry.objects.get(seq=1)
    for action in (
        lambda: ChainEntry.objects.filter(pk=link.pk).update(digest="f" * 64),
        lambda: ChainEntry.objects.filter(pk=link.pk).delete(),
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            action()
    assert ChainEntry.objects.get(pk=link.pk).digest == link.digest


@on_postgresql
def test_an_insider_who_rewrites_a_document_its_row_and_its_hash_is_caught(client, documents):
    """The first document is replaced by a forged PDF, its row's hash with it, by someone who can
    switch off the row's guard: the file matches its (new) hash, but the chain gives it away."""
    original = documents[0]
    forged = b"%PDF-1.7 forged berita acara"
    name = original.pdf.storage.save("minutes/forged.pdf", ContentFile(forged))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no trigger can be switched off with events pending
        cursor.execute("ALTER TABLE forums_minutesdocument DISABLE TRIGGER forums_issued_minutes_guard")
        cursor.execute(
            "UPDATE forums_minutesdocument SET pdf = %s, sha256 = %s, size = %s WHERE id = %s",
            [name, hashlib.sha256(forged).hexdigest(), len(forged), original.pk],
        )
    rewritten = MinutesDocument.objects.get(pk=original.pk)
    assert rewritten.file_intact()  # the file alone cannot tell

    with pytest.raises(CommandError, match="chain of issued berita acara is broken"):
        call_command("verify_minutes")

    # Going further, they rewrite the chain too, link by link, from the forged document on.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE forums_chainentry DISABLE TRIGGER forums_chain_append_only")
    previous = "0" * 64
    for link in ChainEntry.objects.order_by("seq"):
        sha = MinutesDocument.objects.get(pk=link.document_id).sha256
        digest = published_digest(
            link.seq, link.number, sha, link.sealed_at.isoformat(timespec="microseconds"), previous
        )
        ChainEntry.objects.filter(pk=link.pk).update(document_sha256=sha, previous=previous, digest=digest)
        previous = digest
    call_command("verify_minutes")  # consistent again inside the database...

    # ...but the second document's paper copy printed the first link as it was: it is gone.
    seq, printed = printed_link(documents[1])
    assert seq == 1 and not ChainEntry.objects.filter(digest=printed).exists()
    assert ChainEntry.objects.get(seq=1).digest != printed


@on_postgresql
def test_a_link_that_no_longer_fits_is_flagged_on_the_verification_page(client, documents):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE forums_chainentry DISABLE TRIGGER forums_chain_append_only")
        cursor.execute("UPDATE forums_chainentry SET digest = %s WHERE seq = 1", ["e" * 64])
    response = client.get(reverse("public:verify", args=[documents[1].verify_code]), HTTP_ACCEPT_LANGUAGE="en")

    assert 'id="chain-link"' in response.content.decode()
    assert "no longer fits the chain" in response.content.decode()
