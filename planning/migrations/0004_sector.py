"""Sector moves here from proposals (where its table, proposals_sector, stays): the catalogue
files its items under one, and the catalogue sits below proposals. State only: nothing in the
database changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_indicators"),
        ("proposals", "0017_pokir_channel"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Sector",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.CharField(max_length=10, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                    ],
                    options={
                        "verbose_name": "sector",
                        "verbose_name_plural": "sectors",
                        "ordering": ["code"],
                        "db_table": "proposals_sector",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
