"""Issue 16: the demo users find believable to-dos and notices in Chinese when they log in."""

import pytest
from django.core.management import call_command

from dashboard import todo
from inspection.accounts.models import User

pytestmark = pytest.mark.django_db

EXPECTED = {
    "office": {"findings_leader_approved", "plans_submitted", "tasks_submitted", "leads_to_refer"},
    "leader": {"findings_office_reviewed"},
    "zuzhang": {"findings_submitted"},
    "zuyuan": {"findings_returned"},
    "liaison": {"liaison_tasks"},
    "jiwei": {"receiver_dispose"},
}


def test_demo_users_have_todos_and_notices(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # as `./dev demo` runs it
    call_command("seed_demo")
    printed = capsys.readouterr().out
    assert "Subject:" not in printed  # the handoff and reminder e-mails stay in memory
    assert "演示账号" in printed
    report = {}
    for username, kinds in EXPECTED.items():
        user = User.objects.get(username=username)
        groups = todo.todo_for(user)
        notices = list(user.notifications.filter(read_at__isnull=True).values_list("title", flat=True))
        report[username] = ({g.key: g.count for g in groups}, notices[:3])
        assert kinds <= {g.key for g in groups}, (username, report[username])
        assert notices, (username, report[username])
