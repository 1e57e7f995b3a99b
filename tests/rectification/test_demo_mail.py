"""`seed_demo` ends with the logins: the reminders it sends go to memory, not to the console (issue 16: the
console backend printed five whole reminder e-mails, because the mail went out on commit, after the in-memory
override had already ended)."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seed_demo_prints_no_mail_and_ends_with_the_logins(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = capsys.readouterr().out + out.getvalue()
    assert "Subject:" not in printed and "Content-Type: text/plain" not in printed
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert lines[-1].strip().startswith("shiban")
    assert any(line.startswith("演示账号（密码均为") for line in lines)
