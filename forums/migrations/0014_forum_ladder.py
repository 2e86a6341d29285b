"""The forums' ladder order and its indexes, on the codes 0013 copied (a migration of its own:
PostgreSQL cannot build an index in the transaction that updated the table's rows)."""

from django.db import migrations, models
from django.db.models.functions import Concat


class Migration(migrations.Migration):
    dependencies = [("forums", "0013_forum_region_code")]

    operations = [
        migrations.AlterModelOptions(
            name="forum",
            options={
                "ordering": ["planning_year", "level", "region_code", "kind", "agency__code"],
                "verbose_name": "forum",
                "verbose_name_plural": "forums",
            },
        ),
        migrations.AddIndex(
            model_name="forum",
            index=models.Index(fields=["planning_year", "level", "region_code", "kind"], name="forum_ladder"),
        ),
        migrations.AddIndex(
            model_name="forum",
            index=models.Index(
                fields=["planning_year", "province_code", "level", "region_code", "kind"], name="forum_province_ladder"
            ),
        ),
        migrations.AddConstraint(
            model_name="forum",
            constraint=models.CheckConstraint(
                condition=~models.Q(province_code="")
                & (
                    models.Q(region_code=models.F("province_code"))
                    | models.Q(region_code__startswith=Concat(models.F("province_code"), models.Value(".")))
                ),
                name="forum_region_code_in_province",
            ),
        ),
    ]
