"""The village may withdraw a proposal (a status and an event), and a decision's history event
keeps its outcome as a code with the agreed figures, the note only the officer's reason.

The data step rewrites the "decided" notes written so far ("Disepakati: alasan", "Accepted with
changes (80 meter, Rp150.000.000): reason") into that shape, wherever a note reads as one of the
labels of its day in Indonesian or English; a note it cannot read stays as it was, and is shown as
stored. A forwarded event named the next forum in the approving officer's language ("Agency forum
..."): it now names it in Indonesian. Reversing writes the decided notes back, in Indonesian.
"""

import re
from decimal import Decimal, InvalidOperation

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Substr

# forums.models.Outcome as it reads today, in English and in Indonesian: frozen here, because a
# migration must read the notes as they were written, whatever the labels become later.
LABELS = {
    "accepted": ("Accepted", "Disepakati"),
    "accepted_changed": ("Accepted with changes", "Disepakati dengan perubahan"),
    "returned": ("Returned for revision", "Dikembalikan untuk perbaikan"),
    "rejected": ("Not agreed", "Tidak disepakati"),
    "merged": ("Merged into another item", "Digabung dengan usulan lain"),
    "village_budget": ("Left to the village budget", "Didanai anggaran desa (APBDes)"),
    "handed_over": ("Handed to another agency", "Dialihkan ke perangkat daerah lain"),
    "to_province": ("Passed to the province", "Diteruskan ke provinsi"),
}
# Longest first: "Disepakati dengan perubahan" before "Disepakati".
CANDIDATES = sorted(
    (
        (label, code, language)
        for code, pair in LABELS.items()
        for label, language in zip(pair, ("en", "id"), strict=True)
    ),
    key=lambda c: -len(c[0]),
)
CHANGED = re.compile(r" \((?P<volume>\S+) (?P<unit>.*?), Rp(?P<cost>[\d.]+)\): (?P<reason>.*)\Z", re.S)
AGENCY_FORUM_EN, AGENCY_FORUM_ID = "Agency forum ", "Forum Perangkat Daerah "


def _number(text: str, language: str) -> Decimal | None:
    plain = text.replace(",", "") if language == "en" else text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 < number < Decimal("1e10") else None


def read(note: str):
    """(outcome, reason, volume, cost) from a decided note, or None when it does not read as one."""
    for label, code, language in CANDIDATES:
        if note == label:
            return code, "", None, None
        if note.startswith(label + ": "):
            return code, note[len(label) + 2 :], None, None
        if code == "accepted_changed" and note.startswith(label + " ("):
            found = CHANGED.match(note, len(label))
            volume = _number(found["volume"], language) if found else None
            if volume is not None:
                return code, found["reason"], volume, int(found["cost"].replace(".", ""))
    return None


def split_notes(apps, schema_editor):
    ProposalEvent = apps.get_model("proposals", "ProposalEvent")
    changed = []
    for event in ProposalEvent.objects.filter(action="decided", outcome="").exclude(note="").iterator(2000):
        found = read(event.note)
        if found is None:
            continue
        event.outcome, event.note, event.volume, event.cost = found
        changed.append(event)
        if len(changed) == 1000:
            ProposalEvent.objects.bulk_update(changed, ["outcome", "note", "volume", "cost"])
            changed = []
    ProposalEvent.objects.bulk_update(changed, ["outcome", "note", "volume", "cost"])
    ProposalEvent.objects.filter(action="forwarded", note__startswith=AGENCY_FORUM_EN).update(
        note=Concat(Value(AGENCY_FORUM_ID), Substr("note", len(AGENCY_FORUM_EN) + 1))
    )


def join_notes(apps, schema_editor):
    ProposalEvent = apps.get_model("proposals", "ProposalEvent")
    changed = []
    for event in ProposalEvent.objects.filter(action="decided").exclude(outcome="").select_related("proposal"):
        label = LABELS.get(event.outcome, (event.outcome, event.outcome))[1]
        if event.volume is not None and event.cost is not None:
            volume = f"{event.volume.normalize():f}".replace(".", ",")
            cost = f"Rp{event.cost:,}".replace(",", ".")
            event.note = f"{label} ({volume} {event.proposal.unit}, {cost}): {event.note}"
        else:
            event.note = f"{label}: {event.note}" if event.note else label
        changed.append(event)
    ProposalEvent.objects.bulk_update(changed, ["note"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0011_agreed_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposalevent",
            name="cost",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="agreed cost (Rp)"),
        ),
        migrations.AddField(
            model_name="proposalevent",
            name="outcome",
            field=models.CharField(blank=True, db_default="", default="", max_length=20, verbose_name="decision"),
        ),
        migrations.AddField(
            model_name="proposalevent",
            name="volume",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="agreed volume"
            ),
        ),
        migrations.AlterField(
            model_name="proposal",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted"),
                    ("returned", "Returned for revision"),
                    ("rejected", "Not agreed"),
                    ("merged", "Merged into another proposal"),
                    ("village_budget", "Left to the village budget"),
                    ("accommodated", "Taken into the plan"),
                    ("not_accommodated", "Not taken into the plan"),
                    ("withdrawn", "Withdrawn by the village"),
                ],
                default="draft",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="proposalevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("edited", "Edited"),
                    ("submitted", "Submitted"),
                    ("scored", "Scored"),
                    ("decided", "Decided"),
                    ("returned", "Returned for revision"),
                    ("resubmitted", "Resubmitted"),
                    ("handed_over", "Handed to another agency"),
                    ("merged", "Merged"),
                    ("forwarded", "Forwarded"),
                    ("closed", "Final outcome"),
                    ("withdrawn", "Withdrawn by the village"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(split_notes, join_notes),
    ]
