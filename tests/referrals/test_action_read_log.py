"""Issue 13 item 4: a lead page shown again after an invalid post shows the subject, so it is a logged read."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inspection.audit.models import ReadLog

pytestmark = pytest.mark.django_db


def test_invalid_post_on_a_lead_logs_the_read(client, discipline_user, make_lead, refer, discipline_body):
    lead = make_lead()
    refer(discipline_body, lead, sign_by=discipline_user)
    client.force_login(discipline_user)
    ReadLog.objects.all().delete()
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("referrals:lead_dispose", args=[lead.pk]), {"kind": "talk", "decided_on": future})
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()
    rows = ReadLog.objects.filter(object_type="referrals.lead", object_id=str(lead.pk))
    assert list(rows.values_list("user_id", "action")) == [(discipline_user.pk, "view")]
