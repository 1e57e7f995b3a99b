from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from inspection.core import crypto
from inspection.core.fields import encrypted_fields, reencrypt_stored, rewrite


class Command(BaseCommand):
    help = (
        "字段加密密钥轮换：用新主密钥（XUNCHA_FIELD_KEY）重新加密全部加密字段（含历史表）并重算盲索引；"
        "原密钥由 XUNCHA_FIELD_KEY_OLD 提供。分批进行，中断后可重复执行"
    )

    def handle(self, *args, **options):
        if not settings.FIELD_KEY_OLD:
            raise CommandError("请将原密钥设为 XUNCHA_FIELD_KEY_OLD、新密钥设为 XUNCHA_FIELD_KEY 后再执行密钥轮换")
        if crypto.parse_key(settings.FIELD_KEY_OLD) == crypto.parse_key(settings.FIELD_KEY):
            raise CommandError("新旧密钥相同：请为 XUNCHA_FIELD_KEY 生成新的主密钥")
        crypto.reset()
        total = 0
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed or not encrypted_fields(model):
                continue
            rows = rewrite(connection, model, reencrypt_stored)
            total += rows
            self.stdout.write(f"{model._meta.label}（{model._meta.db_table}）：{rows} 行")
        self.stdout.write(self.style.SUCCESS(f"密钥轮换完成：共处理 {total} 行。确认无误后可删除 XUNCHA_FIELD_KEY_OLD 与原密钥"))
