"""Forums, criteria and ceilings point at the planning app's plan years; RegionalPriority has
moved to planning (state only: planning 0001 renamed its table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0003_priorities_and_verification"),
        ("planning", "0001_initial"),
        ("proposals", "0007_planning_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ceiling",
                    name="planning_year",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="ceilings", to="planning.planningyear"
                    ),
                ),
                migrations.AlterField(
                    model_name="criterion",
                    name="planning_year",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="criteria", to="planning.planningyear"
                    ),
                ),
                migrations.AlterField(
                    model_name="forum",
                    name="planning_year",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="forums",
                        to="planning.planningyear",
                        verbose_name="planning year",
                    ),
                ),
                migrations.DeleteModel(name="RegionalPriority"),
            ]
        ),
    ]
