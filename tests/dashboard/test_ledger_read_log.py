"""Issue 13 item 4 (exports): a ledger with secret fields writes one read-log row per exported record, in a
constant number of statements however many rows, and the log itself carries no secret text."""

import io

import pytest
from openpyxl import load_workbook

from inspection.audit.models import ReadLog
from tests.referrals.factories import LeadFactory, PetitionFactory, RoundFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _ids(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [row[0] for row in list(workbook.worksheets[0].iter_rows(values_only=True))[1:]]


@pytest.mark.parametrize("n", [1, 30])
def test_each_exported_lead_and_petition_is_logged_in_constant_queries(
    office_client, office_user, jurisdiction, django_assert_max_num_queries, n
):
    round_ = RoundFactory(plan__jurisdiction=jurisdiction)
    team = TeamFactory(round=round_)
    for i in range(n):
        LeadFactory(round=round_, subject_name=f"欧阳{i}号", created_by=office_user)
        PetitionFactory(team=team, is_anonymous=False, petitioner_name=f"司马{i}号", created_by=office_user)
    for kind, object_type, label in (("leads", "referrals.lead", "线索{}"),
                                     ("petitions", "rounds.petition", "信访件{}（来信 2026-03-10）")):
        with django_assert_max_num_queries(12):
            response = office_client.get(f"/dashboard/ledgers/{kind}.xlsx")
            exported = _ids(response)
        assert len(exported) == n
        logs = ReadLog.objects.filter(object_type=object_type)
        assert sorted(logs.values_list("user_id", "action", "object_id")) == sorted(
            (office_user.pk, "export", str(pk)) for pk in exported
        )
        assert set(logs.values_list("object_repr", flat=True)) == {label.format(pk) for pk in exported}
    assert not ReadLog.objects.filter(object_repr__contains="欧阳").exists()
    assert not ReadLog.objects.filter(object_repr__contains="司马").exists()
