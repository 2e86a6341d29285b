"""Fill in Proposal.agreed_cost and agreed_volume for the forums approved before they existed:
the figures of the highest approved forum that agreed to each item (forums/workflow/approval.py
writes them from now on)."""

from django.db import migrations

AGREED = ["accepted", "accepted_changed", "to_province"]


def backfill(apps, schema_editor):
    Decision = apps.get_model("forums", "Decision")
    Proposal = apps.get_model("proposals", "Proposal")
    rows = (
        Decision.objects.filter(outcome__in=AGREED, forum__status="approved")
        # Levels count down (provinsi is 1): the last row of each proposal is its highest forum.
        .order_by("proposal_id", "-forum__level", "forum__approved_at", "id")
        .values_list(
            "proposal_id",
            "adjusted_cost",
            "incoming_cost",
            "proposal__estimated_cost",
            "adjusted_volume",
            "incoming_volume",
            "proposal__volume",
        )
    )
    latest = {}
    for pk, adjusted_cost, incoming_cost, estimate, adjusted_volume, incoming_volume, volume in rows.iterator():
        latest[pk] = (
            next(v for v in (adjusted_cost, incoming_cost, estimate) if v is not None),
            next(v for v in (adjusted_volume, incoming_volume, volume) if v is not None),
        )
    batch = [Proposal(pk=pk, agreed_cost=cost, agreed_volume=volume) for pk, (cost, volume) in latest.items()]
    Proposal.objects.bulk_update(batch, ["agreed_cost", "agreed_volume"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0007_season_monitoring_teams"),
        ("proposals", "0011_agreed_figures"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
