"""Proposals point at the planning app's plan years and regional priorities (state only: the
columns and their rows do not change; planning 0001 renamed the tables)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("proposals", "0006_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="proposal",
                    name="planning_year",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="proposals",
                        to="planning.planningyear",
                        verbose_name="planning year",
                    ),
                ),
                migrations.AlterField(
                    model_name="proposal",
                    name="regional_priority",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="proposals",
                        to="planning.regionalpriority",
                        verbose_name="regional priority",
                    ),
                ),
            ]
        ),
    ]
