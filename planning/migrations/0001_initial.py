"""The planning cycle moves out of proposals and forums into its own app.

The rows stay where they are: the tables are renamed (proposals_planningyear ->
planning_planningyear, proposals_stagewindow -> planning_stagewindow, forums_regionalpriority ->
planning_regionalpriority) and the models are created in this app's state only. Foreign keys
keep pointing at the same rows; proposals 0007, forums 0004 and proposals 0008 move the
references in the state and drop the old models from it.
"""

import django.db.models.deletion
from django.db import migrations, models

RENAMES = [
    ("proposals_planningyear", "planning_planningyear"),
    ("proposals_stagewindow", "planning_stagewindow"),
    ("forums_regionalpriority", "planning_regionalpriority"),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("regions", "0001_initial"),
        ("proposals", "0006_search"),
        ("forums", "0003_priorities_and_verification"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f"ALTER TABLE {old} RENAME TO {new}", f"ALTER TABLE {new} RENAME TO {old}")
                for old, new in RENAMES
            ],
            state_operations=[
                migrations.CreateModel(
                    name="PlanningYear",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="plan year")),
                    ],
                    options={
                        "verbose_name": "planning year",
                        "verbose_name_plural": "planning years",
                        "ordering": ["-year"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("year__gte", 2000), ("year__lte", 2100)), name="year_sane"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RegionalPriority",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="regional priority")),
                        ("target", models.CharField(blank=True, max_length=255, verbose_name="regional target")),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        (
                            "planning_year",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="priorities",
                                to="planning.planningyear",
                                verbose_name="planning year",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="priorities",
                                to="regions.region",
                                verbose_name="regency/city",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "regional priority",
                        "verbose_name_plural": "regional priorities",
                        "ordering": ["position", "id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("planning_year", "region", "name"), name="priority_unique_name"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="StageWindow",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "level",
                            models.PositiveSmallIntegerField(
                                choices=[(1, "Province"), (2, "Regency/city"), (3, "District"), (4, "Village")],
                                verbose_name="stage",
                            ),
                        ),
                        ("opens_on", models.DateField(verbose_name="opens on")),
                        ("closes_on", models.DateField(verbose_name="closes on")),
                        (
                            "planning_year",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="windows",
                                to="planning.planningyear",
                                verbose_name="planning year",
                            ),
                        ),
                        (
                            "region",
                            models.ForeignKey(
                                blank=True,
                                limit_choices_to={"level__in": [1, 2]},
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="stage_windows",
                                to="regions.region",
                                verbose_name="set for region",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "stage window",
                        "verbose_name_plural": "stage windows",
                        "ordering": ["planning_year", "level"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("planning_year", "level", "region"), name="one_window_per_stage_and_region"
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("region__isnull", True)),
                                fields=("planning_year", "level"),
                                name="one_national_window",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("closes_on__gte", models.F("opens_on"))), name="window_in_order"
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
