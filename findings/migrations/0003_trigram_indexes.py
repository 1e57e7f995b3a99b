"""pg_trgm and trigram GIN indexes for near-duplicate checks and Chinese substring search (PostgreSQL only).

`title gin_trgm_ops` serves similarity()/word_similarity(); Django's icontains on PostgreSQL compiles to
`UPPER(col::text) LIKE UPPER(...)`, so the search indexes are on that expression. SQLite skips all of it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "finding_title_trgm": "(title gin_trgm_ops)",
    "finding_title_upper_trgm": "((UPPER(title::text)) gin_trgm_ops)",
    "finding_facts_upper_trgm": "((UPPER(facts::text)) gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON findings_finding USING gin {expression}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("findings", "0002_working_paper_attachments_hearings_opinions")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
