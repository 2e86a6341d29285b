"""A figure's sector is planning's now (planning 0004); the same table: state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0004_pokir_statuses"),
        ("planning", "0004_sector"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="sectorfigure",
                    name="sector",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="planning.sector"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
