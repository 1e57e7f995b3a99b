"""Every scheduled job comes from a data migration (inspection.core.beat): the exact list, each a task the Celery
app knows, at its Asia/Shanghai time."""

from django_celery_beat.models import PeriodicTask

from inspection.celery import app


def test_the_migrations_register_exactly_these_scheduled_jobs(db):
    entries = {
        entry.task: (entry.name, f"{entry.crontab.hour}:{entry.crontab.minute}" if entry.crontab else
                     f"every {entry.interval.every} {entry.interval.period}")
        for entry in PeriodicTask.objects.select_related("crontab", "interval").exclude(task="celery.backend_cleanup")
    }
    assert entries == {
        "core.heartbeat": ("Celery worker 心跳（每分钟，供健康检查）", "every 60 seconds"),
        "audit.archive": ("安全审计记录归档（每日）", "2:30"),
        "accounts.disable_dormant_accounts": ("停用长期未登录账号（每日）", "2:30"),
        "exports.purge_expired": ("清除超过保存期限的生成文件（每日）", "3:0"),
        "rectification.send_reminders": ("整改到期提醒与逾期升级（每日）", "7:0"),
        "referrals.remind_unsigned": ("移交批次催签（每日）", "8:30"),
        "referrals.remind_overdue": ("线索处置逾期提醒（每日）", "8:40"),
        "dashboard.refresh_rollup": ("上级汇总统计刷新（每小时）", "*:10"),
    }
    app.loader.import_default_modules()
    assert set(entries) <= set(app.tasks)
    assert {str(e.crontab.timezone) for e in PeriodicTask.objects.exclude(crontab=None)} == {"Asia/Shanghai"}
    assert all(e.enabled for e in PeriodicTask.objects.all())
