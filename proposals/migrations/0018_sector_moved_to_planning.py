"""Sector is planning's now (planning 0004), its table unchanged: the proposal's foreign key
points there, and proposals forgets the model. State only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0017_pokir_channel"),
        ("planning", "0004_sector"),
        ("catalogue", "0002_sector_in_planning"),
        ("dashboards", "0005_sector_in_planning"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="proposal",
                    name="sector",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="proposals",
                        to="planning.sector",
                        verbose_name="sector",
                    ),
                ),
                migrations.DeleteModel(name="Sector"),
            ],
            database_operations=[],
        ),
    ]
