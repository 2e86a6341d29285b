"""Issued minutes and an approved forum's decisions cannot be changed even from outside the app:
PostgreSQL triggers refuse a model save, a plain SQL UPDATE and a DELETE
(forums/migrations/0010_issued_minutes_guard.py)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from forums.models import Decision, MinutesDocument, Outcome

from .test_forum_pages import approved_desa_forum, desa_forum, english, items, media  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the guard is a PostgreSQL trigger; SQLite is the zero-setup default only"
)


def refused(action) -> str:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        action()
    return str(error.value)


@pytest.fixture
def issued(approved_desa_forum):  # noqa: F811
    document = MinutesDocument.objects.get(forum=approved_desa_forum)
    assert document.rendered_at is not None  # sealed by the worker (run at once in tests)
    return document


def test_a_plain_sql_update_of_an_issued_documents_hash_or_file_is_refused(issued):
    def tamper():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE forums_minutesdocument SET sha256 = %s, pdf = %s WHERE id = %s",
                ["0" * 64, "berita-acara/palsu.pdf", issued.pk],
            )

    assert "is sealed: its file and hash cannot change" in refused(tamper)
    again = MinutesDocument.objects.get(pk=issued.pk)
    assert (again.sha256, again.pdf.name) == (issued.sha256, issued.pdf.name)


def test_a_model_save_of_another_number_is_refused(issued):
    issued.number = "050/999/1802012003/2016"
    assert "its number and details cannot change" in refused(issued.save)
    assert MinutesDocument.objects.filter(number="050/999/1802012003/2016").count() == 0


def test_an_issued_document_cannot_be_deleted(issued):
    def delete():
        with connection.cursor() as cursor:  # the ORM refuses first: its chain link protects it
            cursor.execute("DELETE FROM forums_minutesdocument WHERE id = %s", [issued.pk])

    assert "cannot be deleted" in refused(delete)
    assert MinutesDocument.objects.filter(pk=issued.pk).exists()


def test_the_decisions_of_an_approved_forum_cannot_change_or_go(approved_desa_forum):  # noqa: F811
    decision = Decision.objects.filter(forum=approved_desa_forum).first()
    before = (decision.outcome, decision.reason)

    change = lambda: Decision.objects.filter(pk=decision.pk).update(outcome=Outcome.REJECTED, reason="diubah")  # noqa: E731
    assert "its decisions cannot change" in refused(change)
    assert "its decisions cannot change" in refused(lambda: Decision.objects.filter(pk=decision.pk).delete())
    decision.refresh_from_db()
    assert (decision.outcome, decision.reason) == before


def test_the_worker_may_still_seal_a_document_and_count_its_attempts(issued):
    # Before sealing, the attempts and the error of a failed rendering change freely; after, too.
    MinutesDocument.objects.filter(pk=issued.pk).update(attempts=3, last_error="disk penuh")
    assert MinutesDocument.objects.get(pk=issued.pk).attempts == 3
