"""Issued minutes, and the decisions an approved forum took, guarded by the database itself.

The application never changes them, but a model save(), a plain SQL UPDATE or a DELETE from a
console could; these PostgreSQL triggers refuse that, whoever asks:

- a berita acara row keeps its number, forum, revision, issue time and issuer, verification code
  and reason from the moment it is numbered; once sealed (rendered_at set) its file, SHA-256, size
  and seal time do not change either, and the row cannot be deleted. Before sealing the worker
  may fill those in (once) and count its attempts;
- a decision of an approved forum cannot be changed or deleted.

SQLite (the zero-setup default) gets no trigger: production and CI run on PostgreSQL.
"""

from django.db import migrations

GUARDS = """
CREATE OR REPLACE FUNCTION forums_issued_minutes_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.rendered_at IS NOT NULL THEN
            RAISE EXCEPTION 'berita acara % is issued and sealed: it cannot be deleted', OLD.number
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF (NEW.number, NEW.forum_id, NEW.revision, NEW.issued_at, NEW.issued_by_id, NEW.verify_code, NEW.reason)
        IS DISTINCT FROM
       (OLD.number, OLD.forum_id, OLD.revision, OLD.issued_at, OLD.issued_by_id, OLD.verify_code, OLD.reason) THEN
        RAISE EXCEPTION 'berita acara % is issued: its number and details cannot change', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.rendered_at IS NOT NULL
       AND (NEW.pdf, NEW.sha256, NEW.size, NEW.rendered_at) IS DISTINCT FROM (OLD.pdf, OLD.sha256, OLD.size, OLD.rendered_at) THEN
        RAISE EXCEPTION 'berita acara % is sealed: its file and hash cannot change', OLD.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER forums_issued_minutes_guard
    BEFORE UPDATE OR DELETE ON forums_minutesdocument
    FOR EACH ROW EXECUTE FUNCTION forums_issued_minutes_guard();

CREATE OR REPLACE FUNCTION forums_approved_decisions_guard() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM forums_forum WHERE id = OLD.forum_id AND status = 'approved') THEN
        RAISE EXCEPTION 'the forum of this decision is approved: its decisions cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER forums_approved_decisions_guard
    BEFORE UPDATE OR DELETE ON forums_decision
    FOR EACH ROW EXECUTE FUNCTION forums_approved_decisions_guard();
"""

UNGUARDS = """
DROP TRIGGER IF EXISTS forums_approved_decisions_guard ON forums_decision;
DROP FUNCTION IF EXISTS forums_approved_decisions_guard();
DROP TRIGGER IF EXISTS forums_issued_minutes_guard ON forums_minutesdocument;
DROP FUNCTION IF EXISTS forums_issued_minutes_guard();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARDS, params=None)  # None: its "%" are PL/pgSQL's, not parameters


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("forums", "0009_attendee_element_and_scans")]

    operations = [migrations.RunPython(guard, unguard)]
