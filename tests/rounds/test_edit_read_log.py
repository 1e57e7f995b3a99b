"""Issue 13 item 4: the petition edit form shows the petitioner, so opening it is a logged read."""

import pytest
from django.urls import reverse

from inspection.audit.models import ReadLog

pytestmark = pytest.mark.django_db


def test_petition_edit_form_logs_the_read(client, scene):
    user, petition = scene["users"]["member"], scene["petition"]
    client.force_login(user)
    response = client.get(reverse("rounds:record_edit", args=["petition", petition.pk]))
    assert response.status_code == 200
    rows = ReadLog.objects.filter(object_type="rounds.petition", object_id=str(petition.pk))
    assert list(rows.values_list("user_id", "action")) == [(user.pk, "view")]
