"""Create the three administrators of a new installation (三员分立) and print their temporary passwords once.

    python manage.py bootstrap_admins \
        --system xtgly,何志远,13807310001 --security aqgly,林静,13807310002 --audit sjy,宋佳,13807310003

Without arguments it asks for each. A second run is refused: after the first, accounts are made in the app
(账号管理) and their roles approved by the security administrator."""

from django.core.management.base import BaseCommand, CommandError

from inspection.accounts import services
from inspection.accounts.models import Role
from inspection.core.exceptions import DomainError

OPTIONS = (("system", Role.SYSTEM_ADMIN), ("security", Role.SECURITY_ADMIN), ("audit", Role.AUDIT_ADMIN))


class Command(BaseCommand):
    help = "新安装初始化：创建系统管理员、安全管理员、安全审计员三个账号（三员分立），临时密码只显示一次"

    def add_arguments(self, parser):
        for name, role in OPTIONS:
            parser.add_argument(f"--{name}", metavar="用户名,姓名,电话", help=f"{Role(role).label}：用户名,姓名,电话")

    def handle(self, *args, **options):
        people = {}
        for name, role in OPTIONS:
            value = options.get(name) or self._ask(Role(role).label)
            parts = [part.strip() for part in value.replace("，", ",").split(",")]
            if len(parts) != 3:
                raise CommandError(f"{Role(role).label}须写成“用户名,姓名,电话”：{value}")
            people[role] = dict(zip(("username", "display_name", "phone"), parts, strict=True))
        try:
            created = services.administrators_bootstrap(people=people)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS("已创建三名管理员（临时密码只显示这一次，请分别当面交给本人）："))
        for user, password in created:
            self.stdout.write(f"  {user.role_label:<6} {user.username:<12} {user.display_name:<6} 临时密码：{password}")
        self.stdout.write("首次登录须绑定身份验证器（二次验证）。此后的账号在系统“账号管理”中创建，角色经安全管理员审批后生效。")

    def _ask(self, label):
        return input(f"{label}（用户名,姓名,电话）：")
