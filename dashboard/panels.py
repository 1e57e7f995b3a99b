"""The generate panels of many records in one query (the `generated_files` tag asks once per record, which
on a page listing every unit of a round would be a query per row)."""

from django.db.models import Q

from inspection.exports import registry
from inspection.exports.models import GeneratedFile

VERSIONS_SHOWN = 10


def panels_for(pairs) -> dict:
    """{(kind code, record pk): context of templates/exports/_panel.html} for [(kind code, record), ...]."""
    pairs = [(code, record) for code, record in pairs if record is not None]
    condition = Q(pk__in=[])
    for code, record in pairs:
        condition |= Q(kind=code, object_type=record._meta.label_lower, object_id=str(record.pk))
    files: dict = {}
    if pairs:
        for generated in GeneratedFile.objects.filter(condition).select_related("created_by").order_by("-version"):
            files.setdefault((generated.kind, generated.object_id), []).append(generated)
    result = {}
    for code, record in pairs:
        rows = files.get((code, str(record.pk)), [])[:VERSIONS_SHOWN]
        result[(code, record.pk)] = {
            "kind": registry.get(code),
            "record": record,
            "files": rows,
            "latest": rows[0] if rows else None,
        }
    return result
