"""Petitioners' names and the persons petitions are about, for the public-text check
(inspection.core.sensitive_names)."""

from inspection.core import sensitive_names

from .models import Petition


def petition_names(text, *, feedback):
    """Petitioners of any petition of the feedback's round (a petitioner may write about several units), and the
    persons the round's petitions about the feedback's unit name (被反映人), that occur in `text`."""
    petitions = Petition.objects.filter(round_id=feedback.round_id)
    found = [("信访人姓名", name) for name in sensitive_names.matching(petitions, "petitioner_name", text)]
    about_unit = petitions.filter(unit_id=feedback.unit_id)
    found += [("信访件被反映人姓名", name) for name in sensitive_names.matching(about_unit, "subject_person", text)]
    return found
