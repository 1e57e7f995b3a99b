"""The data migrations that take subjects' names out of read-log rows and notifications written before leads
were named by their number (issue 13 item 4)."""

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


def test_old_overdue_notifications_lose_the_names():
    from inspection.accounts.models import Notification

    notifications = import_module("inspection.accounts.migrations.0003_notifications_without_subject_names")
    user = UserFactory()
    old_receiver = Notification.objects.create(user=user, title="问题线索处置逾期：2件", url="/referrals/workspace/",
                                               body="以下线索已超过处置报告期限：欧阳秀珍、司马建国，请尽快处置并反馈。")
    old_office = Notification.objects.create(user=user, title="清河县纪委监委有2件问题线索处置逾期",
                                             body="涉及：欧阳秀珍、司马建国。")
    new = Notification.objects.create(user=user, title="问题线索处置逾期：1件",
                                      body="以下线索已超过处置报告期限：线索12，请尽快处置并反馈。")
    other = Notification.objects.create(user=user, title="整改提醒：1 项整改事项需要关注", body="涉及：某项任务。")
    notifications.drop_subject_names(apps, None)
    bodies = dict(Notification.objects.values_list("pk", "body"))
    assert bodies == {
        old_receiver.pk: "有问题线索已超过处置报告期限，请打开链接查看，尽快处置并反馈。",
        old_office.pk: "涉及的线索请打开链接查看。",
        new.pk: "以下线索已超过处置报告期限：线索12，请尽快处置并反馈。",
        other.pk: "涉及：某项任务。",
    }
    assert Notification.objects.get(pk=old_receiver.pk).url == "/referrals/workspace/"
