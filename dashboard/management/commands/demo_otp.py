from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspection.accounts.demo_otp import current_code


class Command(BaseCommand):
    help = "打印演示账号当前的动态口令（仅演示数据的身份验证器）"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        device = TOTPDevice.objects.filter(user=user, name="演示身份验证器", confirmed=True).first() if user else None
        if device is None:
            raise CommandError(f"{username} 没有演示身份验证器")
        self.stdout.write(current_code(device))
