"""Create the demo county: units, cadres, users of every role, a term plan with rounds in every phase,
findings, leads and rectification tasks in every status; the city above it with a second, smaller county, and
the city office's roll-up counters. Runs once; a second run adds nothing (it only recounts the roll-up)."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from dashboard import demo as dashboard_demo
from dashboard import rollup
from inspection.accounts.demo_otp import demo_api_token, demo_device, demo_users_needing_codes
from inspection.accounts.models import Jurisdiction, User

# Lowest app first: each seed reads what the earlier ones put into the shared context.
SEEDS = [
    "inspection.units.demo",
    "inspection.accounts.demo",  # the three administrators (三员分立) and a grant awaiting approval
    "inspection.accounts.demo_policy",  # the default security policy; 吴丽娟's password expires in 6 days
    "rounds.demo",
    "findings.demo",
    "referrals.demo",
    "rectification.demo",
    "dashboard.demo",  # the city 河阳市 above 清河县, a second county, the city office's login
]
DEMO_JURISDICTION = "清河县"
DEMO_TOKEN_HOLDER = "jiwei"  # its 'API 令牌' page lists the case-management system's token
DEMO_PASSWORD = "Xuncha@2026"
DEMO_LOGINS = [
    ("admin", "超级用户（仅演示；生产环境不能登录）"),
    ("xitong", "系统管理员：账号管理"),
    ("anquan", "安全管理员：授权审批（有一项待审批）"),
    ("shenji", "安全审计员（查阅与校验全部操作的安全审计记录）"),
    ("office", "巡察办工作人员"),
    ("leader", "巡察工作领导小组成员"),
    ("zuzhang", "巡察组组长"),
    ("zuyuan", "巡察组组员"),
    ("jiwei", "纪委监委"),
    ("zuzhibu", "组织部"),
    ("liaison", "被巡察单位联络员"),
    ("shiban", "河阳市委巡察办工作人员（下级汇总：清河县、新河县）"),
]


class Command(BaseCommand):
    help = "创建演示数据（清河县）：单位、干部、各角色用户、轮次、问题、线索与整改任务"

    def handle(self, *args, **options):
        if Jurisdiction.objects.filter(name=DEMO_JURISDICTION).exists():
            self.stdout.write("演示数据已存在，跳过创建。")
            if not Jurisdiction.objects.filter(name=dashboard_demo.COUNTY).exists():
                # A database seeded before the roll-up existed: add the city and its second county.
                with transaction.atomic():
                    dashboard_demo.seed({})
                    for user in demo_users_needing_codes(User.objects.filter(username=dashboard_demo.CITY_LOGIN[0])):
                        demo_device(user)
                self.stdout.write("  已补充：dashboard.demo")
        else:
            context = {}
            # The seeded reminders and handoff notices really are sent; their e-mails are kept in memory rather than
            # flooding the console. They go on commit, so the backend is overridden outside the transaction.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
                for path in SEEDS:
                    importlib.import_module(path).seed(context)
                    self.stdout.write(f"  已创建：{path}")
                demo_users = User.objects.filter(username__in=[name for name, _ in DEMO_LOGINS])
                for user in demo_users_needing_codes(demo_users):
                    demo_device(user)
                demo_api_token(User.objects.get(username=DEMO_TOKEN_HOLDER))
            self.stdout.write(self.style.SUCCESS("演示数据创建完成。"))
        # The city office's roll-up reads counters, refreshed hourly by Celery: count them now.
        rows = rollup.refresh()
        self.stdout.write(f"已统计各巡察机构汇总数字（{rows}行）。")
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        needs_code = {u.username for u in demo_users_needing_codes(User.objects.filter(username__in=dict(DEMO_LOGINS)))}
        for username, label in DEMO_LOGINS:
            extra = f"（需二次验证：./dev otp {username} 打印当前动态口令）" if username in needs_code else ""
            self.stdout.write(f"  {username:<10} {label}{extra}")
