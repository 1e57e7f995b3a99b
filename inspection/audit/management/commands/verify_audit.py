from django.core.management.base import BaseCommand, CommandError

from inspection.audit import chain


class Command(BaseCommand):
    help = "校验安全审计记录的哈希链：全部相符时输出 OK，否则指出第一条不符的记录并以非零状态退出"

    def handle(self, *args, **options):
        result = chain.verify()
        if result.ok:
            self.stdout.write(f"OK：已校验 {result.checked} 条审计记录，哈希链完整")
            return
        broken = result.broken
        self.stdout.write(
            f"BROKEN id={broken.id} at={broken.at.isoformat()} expected={broken.expected} found={broken.found}"
        )
        raise CommandError(f"审计记录哈希链断裂：{broken.message}（此前 {result.checked} 条相符）")
