"""Issue 16: the receiver's disposition and result go back to the office, without the subject's name."""

import pytest

from inspection.accounts.models import Notification, Role
from referrals import services

pytestmark = pytest.mark.django_db


def test_disposition_and_result_tell_the_office_without_names(
    make_lead, refer, discipline_body, discipline_user, office_user, make_user, other_jurisdiction
):
    second_office = make_user(Role.OFFICE)
    make_user(Role.OFFICE, jurisdiction=other_jurisdiction)
    make_user(Role.LEADING_GROUP)
    lead = make_lead(subject_name="张三丰", subject_post="局长")
    batch = refer(discipline_body, lead, sign_by=discipline_user)
    lead.refresh_from_db()

    since = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    services.lead_dispose(lead=lead, actor=discipline_user, kind="case_opened", note="立案审查张三丰")
    rows = list(Notification.objects.filter(pk__gt=since))
    assert {row.user_id for row in rows} == {office_user.pk, second_office.pk}
    assert rows[0].title == f"线索{lead.pk}已处置：立案审查调查"
    assert batch.letter_number in rows[0].body
    assert rows[0].url == f"/referrals/leads/{lead.pk}/"

    since = rows[-1].pk
    services.lead_record_results(lead=lead, actor=discipline_user, results=[
        {"kind": "party_discipline", "people_count": 1},
    ])
    rows = list(Notification.objects.filter(pk__gt=since))
    assert {row.user_id for row in rows} == {office_user.pk, second_office.pk}
    assert rows[0].title.startswith(f"线索{lead.pk}已办结：")
    for row in Notification.objects.all():
        assert "张三丰" not in row.title + row.body and "张" not in row.title
