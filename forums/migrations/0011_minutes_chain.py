"""The public chain of sealed berita acara (forums/chain.py): the table, a link for every document
sealed before it (in the order they were sealed), and a PostgreSQL trigger that refuses to change
or delete a link, whoever asks."""

import django.db.models.deletion
from django.db import migrations, models

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION forums_chain_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the chain of issued berita acara is append-only: link % cannot change', OLD.seq
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER forums_chain_append_only
    BEFORE UPDATE OR DELETE ON forums_chainentry
    FOR EACH ROW EXECUTE FUNCTION forums_chain_append_only();
"""

NOT_APPEND_ONLY = """
DROP TRIGGER IF EXISTS forums_chain_append_only ON forums_chainentry;
DROP FUNCTION IF EXISTS forums_chain_append_only();
"""


def link_sealed_documents(apps, schema_editor):
    # The published digest of forums.chain: a contract that never changes, so importing it is safe.
    from forums.chain import GENESIS, link_digest

    MinutesDocument = apps.get_model("forums", "MinutesDocument")
    ChainEntry = apps.get_model("forums", "ChainEntry")
    previous, links = GENESIS, []
    sealed = MinutesDocument.objects.filter(rendered_at__isnull=False).order_by("rendered_at", "pk")
    for seq, document in enumerate(sealed.iterator(chunk_size=2000), start=1):
        digest = link_digest(
            seq=seq,
            number=document.number,
            document_sha256=document.sha256,
            sealed_at=document.rendered_at,
            previous=previous,
        )
        links.append(
            ChainEntry(
                seq=seq,
                document_id=document.pk,
                number=document.number,
                document_sha256=document.sha256,
                sealed_at=document.rendered_at,
                previous=previous,
                digest=digest,
            )
        )
        previous = digest
    ChainEntry.objects.bulk_create(links, batch_size=2000)


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NOT_APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0010_issued_minutes_guard"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveIntegerField(unique=True, verbose_name="link")),
                ("number", models.CharField(max_length=80, verbose_name="number")),
                ("document_sha256", models.CharField(max_length=64, verbose_name="SHA-256 of the document")),
                ("sealed_at", models.DateTimeField(verbose_name="sealed at")),
                ("previous", models.CharField(max_length=64, verbose_name="previous link")),
                ("digest", models.CharField(max_length=64, unique=True, verbose_name="link digest")),
                ("anchor", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="chain_entry",
                        to="forums.minutesdocument",
                    ),
                ),
            ],
            options={
                "verbose_name": "chain link",
                "ordering": ["seq"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("seq__gte", 1)), name="chain_starts_at_one"),
                    models.CheckConstraint(
                        condition=models.Q(("anchor__lt", models.F("seq"))), name="chain_anchor_is_earlier"
                    ),
                ],
            },
        ),
        migrations.RunPython(link_sealed_documents, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
