"""The data migration that takes subjects' names out of read-log rows written before leads were named by
their number (issue 13 item 4)."""

from importlib import import_module

import pytest
from django.apps import apps

from inspection.audit.models import ReadLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = import_module("inspection.audit.migrations.0002_read_log_names_leads_by_number")


def test_old_rows_keep_who_and_what_but_lose_the_name():
    user = UserFactory()
    rows = [
        ReadLog.objects.create(user=user, action="view", object_type="referrals.lead", object_id="12",
                               object_repr="线索12（欧阳秀珍）", ip_address="10.0.0.8"),
        ReadLog.objects.create(user=user, action="list", object_type="referrals.disposition", object_id="3",
                               object_repr="线索12（欧阳秀珍）：谈话函询"),
        ReadLog.objects.create(user=user, action="view", object_type="rounds.petition", object_id="5",
                               object_repr="信访件5（来信 2026-03-10）"),
    ]
    migration.name_leads_by_number(apps, None)
    after = {r.pk: r for r in ReadLog.objects.all()}
    assert [after[r.pk].object_repr for r in rows] == ["线索12", "线索12：谈话函询", "信访件5（来信 2026-03-10）"]
    assert (after[rows[0].pk].user_id, after[rows[0].pk].at, after[rows[0].pk].ip_address) == (
        user.pk, rows[0].at, "10.0.0.8")
