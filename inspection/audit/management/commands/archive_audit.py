from django.core.management.base import BaseCommand

from inspection.audit.tasks import archive_audit_events


class Command(BaseCommand):
    help = "将超过 180 天的安全审计记录归档到带校验和的文件（与每日定时任务相同）"

    def handle(self, *args, **options):
        rows = archive_audit_events()
        self.stdout.write(f"已归档 {rows} 条审计记录" if rows else "没有超过保留期的审计记录")
