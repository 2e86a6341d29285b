"""PlanningYear and StageWindow now live in the planning app (state only: planning 0001 renamed
their tables; forums 0004 moved the last references first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0004_planning_moved"),
        ("proposals", "0007_planning_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="StageWindow"),
                migrations.DeleteModel(name="PlanningYear"),
            ]
        ),
    ]
