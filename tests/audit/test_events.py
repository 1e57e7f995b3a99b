"""An audit row for each event kind, with its fields (安全审计, issue 15 item 3)."""

import pytest
from django.db import transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspection.accounts.demo_otp import current_code
from inspection.accounts.models import Role
from inspection.audit import chain, services
from inspection.audit.models import AuditEvent, ReadLog
from inspection.units.models import Unit
from tests.factories import TEST_PASSWORD, UnitFactory
from tests.rounds.factories import PetitionFactory

from .helpers import events

Kind = AuditEvent.Kind
SUCCESS, FAILURE = AuditEvent.Outcome.SUCCESS, AuditEvent.Outcome.FAILURE


def login(client, username, password=TEST_PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_login_and_logout_name_the_user_role_address_and_request(client, make_user):
    user = make_user(Role.TEAM_MEMBER, username="zhangsan")
    response = login(client, "zhangsan", HTTP_X_REQUEST_ID="req-login-1", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-login-1"
    [row] = events(Kind.LOGIN)
    assert (row.user_id, row.username, row.role, row.ip_address, row.outcome, row.request_id) == (
        user.pk, "zhangsan", "team_member", "10.1.2.3", SUCCESS, "req-login-1"
    )
    assert (row.object_type, row.object_id) == ("accounts.user", str(user.pk))
    assert row.get_kind_display() == "登录"

    client.post("/accounts/logout/", REMOTE_ADDR="10.1.2.3")
    [out] = events(Kind.LOGOUT)
    assert (out.user_id, out.role, out.get_kind_display(), out.outcome) == (user.pk, "team_member", "登出", SUCCESS)
    assert len(out.request_id) == 32  # no X-Request-ID given: a fresh uuid


def test_failed_login_keeps_the_attempted_name_and_lock_out_is_audited(client, make_user):
    make_user(Role.TEAM_MEMBER, username="lisi")
    for _ in range(5):
        login(client, "lisi", "wrong-password", REMOTE_ADDR="10.9.9.9")
    failed = events(Kind.LOGIN_FAILED)
    assert len(failed) == 5
    assert {(r.user_id, r.username, r.ip_address, r.outcome) for r in failed} == {(None, "lisi", "10.9.9.9", FAILURE)}
    [locked] = events(Kind.LOCKED_OUT)
    assert (locked.user_id, locked.username, locked.outcome, locked.get_kind_display()) == (
        None, "lisi", FAILURE, "账号锁定"
    )
    assert locked.detail == "连续登录失败，账号已锁定"


def test_the_client_address_comes_from_x_forwarded_for_only_behind_the_trusted_proxy(client, make_user, settings):
    settings.AUDIT_TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    make_user(Role.TEAM_MEMBER, username="wangwu")
    login(client, "wangwu", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 127.0.0.1")
    client.post("/accounts/logout/")
    login(client, "wangwu", REMOTE_ADDR="198.51.100.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert [r.ip_address for r in events(Kind.LOGIN)] == ["203.0.113.7", "198.51.100.2"]


def test_a_request_id_that_is_not_a_plain_token_is_replaced(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline" and len(response["X-Request-ID"]) == 32


def test_second_factor_setup_and_verification_are_audited(client, make_user, settings):
    settings.OTP_ENFORCED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    user = make_user(Role.OFFICE, username="office2")
    login(client, "office2")
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/accounts/2fa/setup/", {"token": "000000" if current_code(device) != "000000" else "111111"})
    codes = client.post("/accounts/2fa/setup/", {"token": current_code(device)}).context["codes"]
    client.post("/accounts/logout/")
    login(client, "office2")
    client.post("/accounts/2fa/verify/", {"token": "12345678"})
    assert client.post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 302
    rows = [(r.user_id, r.outcome, r.detail) for r in events(Kind.TWO_FACTOR)]
    assert rows == [
        (user.pk, FAILURE, "绑定身份验证器：动态口令不正确"),
        (user.pk, SUCCESS, "绑定身份验证器"),
        (user.pk, SUCCESS, "生成恢复码"),
        (user.pk, FAILURE, "验证：动态口令或恢复码不正确"),
        (user.pk, SUCCESS, "验证通过（恢复码）"),
    ]
    assert {r.role for r in events(Kind.TWO_FACTOR)} == {"office"}


def test_every_create_and_change_of_a_domain_record_is_audited_with_its_history_row(office_client, office_user):
    unit = UnitFactory(jurisdiction=office_user.jurisdiction, name="清河县水利局")
    unit.name = "清河县水务局"
    unit.save()
    created, changed = events(Kind.CREATE)[-1], events(Kind.CHANGE)[-1]
    history = list(unit.history.order_by("history_id"))
    assert (created.object_type, created.object_id, created.object_label) == ("units.unit", str(unit.pk), "清河县水利局")
    assert created.detail == f"历史记录 #{history[0].history_id}"
    assert (changed.object_label, changed.detail) == ("清河县水务局", f"历史记录 #{history[1].history_id}")
    assert created.user_id is None  # no request: a command or a task


def test_a_change_through_a_page_names_the_user_and_the_request(office_client, office_user):
    unit = UnitFactory(jurisdiction=office_user.jurisdiction)
    response = office_client.post(
        reverse("units:unit_update", args=[unit.pk]), {"name": "清河县审计局", "kind": unit.kind},
        HTTP_X_REQUEST_ID="req-edit",
    )
    assert response.status_code == 302
    row = AuditEvent.objects.filter(kind=Kind.CHANGE, object_type="units.unit", object_id=str(unit.pk)).get()
    assert (row.user_id, row.role, row.request_id, row.object_label) == (office_user.pk, "office", "req-edit", "清河县审计局")


def test_an_export_is_audited_with_the_file_name(office_client, office_user):
    UnitFactory(jurisdiction=office_user.jurisdiction)
    response = office_client.get(reverse("units:unit_export"), HTTP_X_REQUEST_ID="req-export")
    assert response.status_code == 200
    [row] = events(Kind.EXPORT)
    assert (row.user_id, row.role, row.object_label, row.detail, row.request_id, row.get_kind_display()) == (
        office_user.pk, "office", "被巡察单位.xlsx", "被巡察单位.xlsx", "req-export", "导出"
    )


def test_reading_a_secret_record_is_audited_beside_the_read_log(office_client, office_user, jurisdiction):
    petition = PetitionFactory(team__round__plan__jurisdiction=jurisdiction)
    response = office_client.get(reverse("rounds:petition_detail", args=[petition.pk]), REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 200
    read = ReadLog.objects.get(object_type="rounds.petition", object_id=str(petition.pk))
    [row] = events(Kind.SECRET_READ)
    assert (row.user_id, row.object_type, row.object_id, row.object_label, row.detail, row.ip_address) == (
        office_user.pk, "rounds.petition", str(petition.pk), read.object_repr, "查看", "10.0.0.8"
    )
    assert "反映" not in row.object_label  # named by number, never by its content or a person


def test_a_list_of_secret_records_is_one_audit_row_naming_their_numbers(office_user, jurisdiction):
    petitions = PetitionFactory.create_batch(3, team__round__plan__jurisdiction=jurisdiction)
    services.read_log_record_many(user=office_user, objects=petitions)
    [row] = events(Kind.SECRET_READ)
    numbers = "、".join(str(p.pk) for p in petitions)
    assert (row.object_type, row.object_label, row.detail) == ("rounds.petition", f"3 条：{numbers}", "列表查阅")
    assert ReadLog.objects.count() == 3


@pytest.mark.parametrize(
    ("kind", "label"),
    [(Kind.ROLE_GRANT, "角色授予"), (Kind.ROLE_REVOKE, "角色撤销"), (Kind.POLICY, "策略变更"), (Kind.ACCOUNT, "账号管理")],
)
def test_kinds_for_the_administrators_pages(make_user, kind, label):
    """`admins` (role grants) and `policy` (security policy) call record() with these kinds."""
    security = make_user(Role.SECURITY_ADMIN, username="anquan", jurisdiction=None)
    granted = make_user(Role.TEAM_MEMBER, username="zuyuan")
    row = services.record(kind=kind, user=security, obj=granted, detail="巡察组组员")
    assert (row.user_id, row.role, row.get_kind_display(), row.object_type, row.object_id, row.object_label) == (
        security.pk, "security_admin", label, "accounts.user", str(granted.pk), str(granted)
    )


def test_every_row_chains_to_the_one_before(make_user):
    user = make_user(Role.OFFICE)
    first = services.record(kind=Kind.LOGIN, user=user)
    second = services.record(kind=Kind.LOGOUT, user=user)
    assert second.prev_hash == first.hash
    assert len(first.hash) == 64 and first.hash != second.hash
    assert chain.verify().ok


def test_if_the_audit_row_cannot_be_written_the_operation_fails(office_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("审计写入失败")

    monkeypatch.setattr(chain, "row_hash", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        UnitFactory(jurisdiction=office_user.jurisdiction, name="不应保存的单位")
    assert not Unit.objects.filter(name="不应保存的单位").exists()
