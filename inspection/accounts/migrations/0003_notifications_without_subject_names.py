"""Overdue-disposition notifications sent before they named leads by number listed the subjects' names
(issue 13 item 4). They cannot be mapped back to lead numbers, so the list of names is replaced by a pointer to
the notification's link, which opens the (logged) list of overdue leads."""

from django.db import migrations

RECEIVER_BODY = "有问题线索已超过处置报告期限，请打开链接查看，尽快处置并反馈。"
OFFICE_BODY = "涉及的线索请打开链接查看。"


def drop_subject_names(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    Notification.objects.filter(
        title__startswith="问题线索处置逾期：", body__startswith="以下线索已超过处置报告期限："
    ).exclude(body__regex=r"^以下线索已超过处置报告期限：线索\d").update(body=RECEIVER_BODY)
    Notification.objects.filter(title__endswith="件问题线索处置逾期", body__startswith="涉及：").exclude(
        body__regex=r"^涉及：线索\d"
    ).update(body=OFFICE_BODY)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(drop_subject_names, migrations.RunPython.noop)]
