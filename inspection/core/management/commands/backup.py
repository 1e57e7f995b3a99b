from pathlib import Path

from django.core.management.base import BaseCommand

from inspection.core.backup import backup


class Command(BaseCommand):
    help = "备份数据库全部记录与上传文件到一个目录（data.xml.gz、media.tar、manifest.json）"

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="备份目录")

    def handle(self, *args, output, **options):
        manifest = backup(output)
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{sum(manifest['rows'].values())} 条记录，{len(manifest['files'])} 个文件 → {output}"
            )
        )
