"""The item's sector is planning's now (planning 0004); the same table: state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_catalogue_items"),
        ("planning", "0004_sector"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="catalogueitem",
                    name="sector",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="catalogue_items",
                        to="planning.sector",
                        verbose_name="sector",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
