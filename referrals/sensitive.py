"""The names of persons leads are about, for the public-text check (inspection.core.sensitive_names)."""

from inspection.core import sensitive_names

from .models import Lead


def lead_subject_names(text, *, feedback):
    """被反映人 of the leads of the feedback's round and unit that occur in `text`."""
    leads = Lead.objects.filter(round_id=feedback.round_id, unit_id=feedback.unit_id)
    return [("问题线索被反映人姓名", name) for name in sensitive_names.matching(leads, "subject_name", text)]
