"""Indexes behind the officer list (/akun/, accounts/filters.py): every filter and order it offers.

- by region, role or active, each with the username order beside it; by name; the username in
  any case (the form refuses "Desa.Kalirejo" when "desa.kalirejo" exists);
- the search (`icontains` on username, first and last name) on PostgreSQL: trigrams of each
  column upper-cased, the expression Django writes for `icontains` (UPPER("col"::text) LIKE
  UPPER('%word%')). SQLite, the zero-setup default, gets none of these and does not need them.
"""

import django.db.models.functions.text
from django.db import migrations, models

TRIGRAM_COLUMNS = ["username", "first_name", "last_name"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS user_{column}_trgm ON accounts_user USING gin (UPPER({column}) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS user_{column}_trgm")
    # The extension stays: other objects in the database use it (proposals/migrations/0006).


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("regions", "0002_region_level_code"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["region", "username"], name="user_region_username"),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["role", "username"], name="user_role_username"),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["is_active", "username"], name="user_active_username"),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["first_name", "last_name", "username"], name="user_name"),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(django.db.models.functions.text.Upper("username"), name="user_username_upper"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
