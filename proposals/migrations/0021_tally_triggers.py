"""The triggers that keep proposals_proposaltally exact (proposals/tally.py), and its first fill.

Statement-level, with transition tables: a COPY of 50,000 proposals (the benchmark's seed) or an
UPDATE of a forum's 300 items is one grouped upsert, not one per row. Each proposal the statement
wrote counts +1 on its new row and -1 on its old one; what sums to nothing (an UPDATE that moved
no proposal to another year, region, status or channel: an edited title) is not written at all.
An upsert finds its rows through the tally's key; a join to the transition tables would be
planned blind to their size and scanned the whole tally (2-3 ms a single-row UPDATE at 84,000
tally rows, against 0.3). Rows are written in key order, so two statements that touch the same
villages lock their rows in the same order.

PostgreSQL only: on SQLite the list counts its rows (tally.count_of answers None there).
"""

from django.db import migrations

KEY = "planning_year_id, provinsi_id, kabupaten_id, kecamatan_id, village_id, status, channel"
CONFLICT = "village_id, planning_year_id, status, channel, kecamatan_id, kabupaten_id, provinsi_id"


def _upsert(changes: str) -> str:
    """Add each key's sum of `changes` (rows of KEY and d, +1 or -1) to the tally."""
    return f"""
    INSERT INTO proposals_proposaltally ({KEY}, n)
    SELECT {KEY}, sum(d) FROM ({changes}) changes GROUP BY {KEY} HAVING sum(d) <> 0 ORDER BY {KEY}
    ON CONFLICT ({CONFLICT}) DO UPDATE SET n = proposals_proposaltally.n + EXCLUDED.n;"""


ADDED = f"SELECT {KEY}, 1 AS d FROM new_rows"
REMOVED = f"SELECT {KEY}, -1 AS d FROM old_rows"

FORWARD = f"""
CREATE FUNCTION proposals_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert(ADDED)} RETURN NULL; END $$;

CREATE FUNCTION proposals_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert(REMOVED)} RETURN NULL; END $$;

CREATE FUNCTION proposals_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert(ADDED + " UNION ALL " + REMOVED)} RETURN NULL; END $$;

CREATE FUNCTION proposals_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM proposals_proposaltally; RETURN NULL; END $$;

CREATE TRIGGER proposals_tally_insert AFTER INSERT ON proposals_proposal
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION proposals_tally_insert();
CREATE TRIGGER proposals_tally_delete AFTER DELETE ON proposals_proposal
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION proposals_tally_delete();
CREATE TRIGGER proposals_tally_update AFTER UPDATE ON proposals_proposal
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION proposals_tally_update();
CREATE TRIGGER proposals_tally_truncate AFTER TRUNCATE ON proposals_proposal
    FOR EACH STATEMENT EXECUTE FUNCTION proposals_tally_truncate();

DELETE FROM proposals_proposaltally;
{_upsert(f"SELECT {KEY}, 1 AS d FROM proposals_proposal")}
"""

BACKWARD = """
DROP TRIGGER IF EXISTS proposals_tally_insert ON proposals_proposal;
DROP TRIGGER IF EXISTS proposals_tally_delete ON proposals_proposal;
DROP TRIGGER IF EXISTS proposals_tally_update ON proposals_proposal;
DROP TRIGGER IF EXISTS proposals_tally_truncate ON proposals_proposal;
DROP FUNCTION IF EXISTS proposals_tally_insert();
DROP FUNCTION IF EXISTS proposals_tally_delete();
DROP FUNCTION IF EXISTS proposals_tally_update();
DROP FUNCTION IF EXISTS proposals_tally_truncate();
DELETE FROM proposals_proposaltally;
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("proposals", "0020_tally")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
