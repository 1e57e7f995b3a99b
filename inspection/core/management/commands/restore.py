from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspection.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "把 backup 生成的目录恢复到一个空实例，并校验每张表的行数与每个文件的哈希"

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="备份目录")

    def handle(self, *args, source, **options):
        try:
            manifest = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"恢复完成并已校验：{sum(manifest['rows'].values())} 条记录，{len(manifest['files'])} 个文件")
        )
