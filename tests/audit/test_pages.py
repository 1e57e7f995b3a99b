"""The audit administrator's page: refused to everyone else, filters, constant queries, 校验 pointing at the
break, the Excel export."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspection.accounts.models import Role
from inspection.audit import services
from inspection.audit.models import AuditEvent
from tests.factories import UserFactory

from .test_database import edit_behind_the_back

Kind = AuditEvent.Kind


@pytest.fixture
def auditor(db):
    return UserFactory(role=Role.AUDIT_ADMIN, username="shenji", display_name="审计员", jurisdiction=None)


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


OTHER_ROLES = [role for role in Role.values if role != Role.AUDIT_ADMIN]


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("name", ["audit:event_list", "audit:export"])
def test_every_other_role_is_refused_the_audit(client, make_user, role, name):
    client.force_login(make_user(role))
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("audit:verify")).status_code == 403


def test_a_superuser_is_refused_the_audit_too(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, role=""))
    assert client.get(reverse("audit:event_list")).status_code == 403


def test_anonymous_is_sent_to_the_login(client, db):
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_audit_is_in_the_navigation_of_the_auditor_only(auditor_client, client, make_user):
    assert 'href="/audit/"' in auditor_client.get(reverse("audit:event_list")).content.decode()
    other = make_user(Role.OFFICE)
    client.force_login(other)
    from inspection.core.navigation import entries_for

    assert "audit:event_list" not in [e["url_name"] for e in entries_for(other)]


def _fill(count, user):
    for i in range(count):
        services.record(kind=Kind.LOGIN if i % 2 else Kind.EXPORT, user=user, object_label=f"第{i}条")


def test_the_list_runs_a_constant_number_of_queries(auditor_client, auditor, make_user, django_assert_max_num_queries):
    user = make_user(Role.OFFICE)
    _fill(3, user)
    with django_assert_max_num_queries(12) as few:
        assert auditor_client.get(reverse("audit:event_list")).status_code == 200
    _fill(57, user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = auditor_client.get(reverse("audit:event_list"))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 50


def test_filters_by_kind_outcome_user_and_time(auditor_client, make_user):
    user = make_user(Role.OFFICE, username="zhaoliu")
    login = services.record(kind=Kind.LOGIN, user=user)
    services.record(kind=Kind.LOGIN_FAILED, username="zhaoliu", outcome=AuditEvent.Outcome.FAILURE)
    services.record(kind=Kind.LOGIN, username="other")
    today = login.at.astimezone().date().isoformat()
    response = auditor_client.get(
        reverse("audit:event_list"), {"kind": "login", "username": "zhaoliu", "since": today, "until": today}
    )
    assert [e.pk for e in response.context["object_list"]] == [login.pk]
    failed = auditor_client.get(reverse("audit:event_list"), {"outcome": "failure"})
    assert [e.kind for e in failed.context["object_list"]] == ["login_failed"]
    empty = auditor_client.get(reverse("audit:event_list"), {"since": "1999-01-01", "until": "1999-01-02"})
    assert list(empty.context["object_list"]) == []


def test_verify_passes_then_points_at_the_edited_row(auditor_client, make_user):
    user = make_user(Role.OFFICE)
    rows = [services.record(kind=Kind.LOGIN, user=user) for _ in range(3)]
    total = AuditEvent.objects.count()  # these three and the auditor's own login
    response = auditor_client.post(reverse("audit:verify"), follow=True)
    assert f"校验通过：{total} 条审计记录的哈希链完整" in response.content.decode()

    edit_behind_the_back(rows[1], object_label="被改过")
    response = auditor_client.post(reverse("audit:verify"))
    assert response.url == f"/audit/?up_to={rows[1].pk}&broken={rows[1].pk}#event-{rows[1].pk}"
    page = auditor_client.get(response.url)
    body = page.content.decode()
    assert f"校验未通过：第 {rows[1].pk} 条记录" in body and "断裂处" in body
    assert page.context["object_list"][0].pk == rows[1].pk
    verifications = AuditEvent.objects.filter(kind=Kind.AUDIT_VERIFY).order_by("id")
    assert [(v.outcome, v.detail) for v in verifications] == [
        ("success", f"校验 {total} 条，完整"), ("failure", f"第 {rows[1].pk} 条起断裂")
    ]


def test_the_excel_export_lists_the_filtered_rows_and_is_itself_audited(auditor_client, auditor, make_user):
    user = make_user(Role.TEAM_LEADER, username="zuzhang")
    login = services.record(kind=Kind.LOGIN, user=user)
    services.record(kind=Kind.LOGOUT, user=user)
    response = auditor_client.get(reverse("audit:export"), {"kind": "login", "username": "zuzhang"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("编号", "时间", "用户名", "角色", "来源地址", "事件类型")
    assert [(r[0], r[2], r[3], r[5], r[9]) for r in rows[1:]] == [(login.pk, "zuzhang", "巡察组组长/副组长", "登录", "成功")]
    [export] = AuditEvent.objects.filter(kind=Kind.EXPORT)
    assert (export.user_id, export.role, export.object_label) == (auditor.pk, "audit_admin", "安全审计记录.xlsx")


def test_rows_are_forwarded_to_syslog_when_configured(make_user, settings, django_capture_on_commit_callbacks, caplog):
    settings.AUDIT_SYSLOG_ADDRESS = "127.0.0.1:514"
    user = make_user(Role.OFFICE, username="syslog-user")
    with caplog.at_level("INFO", logger="xuncha.audit"), django_capture_on_commit_callbacks(execute=True):
        services.record(kind=Kind.LOGIN, user=user)
    [message] = [r.getMessage() for r in caplog.records if r.name == "xuncha.audit"]
    assert '"user": "syslog-user"' in message and '"kind": "登录"' in message
