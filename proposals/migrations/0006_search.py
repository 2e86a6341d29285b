"""Full-text search and duplicate titles, on PostgreSQL only (proposals/search.py).

unaccent() is STABLE (its dictionary could change), so no index may call it. f_unaccent pins
the dictionary and is declared IMMUTABLE; being a SQL function over a less immutable one it is
not inlined, so the index and the queries both keep the call and the planner matches them.

- proposal_search: the full-text document over title, problem and proposed work, 'simple'
  configuration (no Indonesian stemmer exists), accents stripped. Prefix queries (`jal:*`) use it.
- proposal_title_similar: trigrams of the lower-cased, unaccented title, for the `%` operator
  behind the duplicate suggestions.
- proposal_title_trgm (0003) served `title__icontains`, which the list no longer runs: dropped.

Both expressions must stay character for character what proposals/search.py builds.
SQLite, the zero-setup default, gets none of this and does not need it.
"""

from django.db import migrations

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE OR REPLACE FUNCTION public.f_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    """CREATE INDEX IF NOT EXISTS proposal_search ON proposals_proposal USING gin (
         to_tsvector('simple'::regconfig, COALESCE(public.f_unaccent(title || ' ' || problem || ' ' || proposed_work), ''))
       )""",
    "CREATE INDEX IF NOT EXISTS proposal_title_similar ON proposals_proposal USING gin "
    "(lower(public.f_unaccent(title)) gin_trgm_ops)",
    "DROP INDEX IF EXISTS proposal_title_trgm",
]

BACKWARDS = [
    "CREATE INDEX IF NOT EXISTS proposal_title_trgm ON proposals_proposal USING gin (UPPER(title) gin_trgm_ops)",
    "DROP INDEX IF EXISTS proposal_title_similar",
    "DROP INDEX IF EXISTS proposal_search",
    "DROP FUNCTION IF EXISTS public.f_unaccent(text)",
    # The extensions stay: other objects in the database may have come to use them.
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARDS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0005_nomenclature")]
    operations = [migrations.RunPython(forwards, backwards)]
