"""三员分立 rules and role grants: a person never holds two of the three administrator roles nor an
administrator role beside a business one; a grant changes nothing until the security administrator approves
it; nobody approves their own request; a decided grant is not decided twice."""

import pytest
from django.urls import reverse

from inspection.accounts import services
from inspection.accounts.models import Role, RoleGrant, User
from inspection.core.exceptions import DomainError
from tests.factories import UnitFactory, UserFactory
from tests.referrals.factories import LeadFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(db):
    return UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, jurisdiction=None,
                       display_name="何志远", phone="13807310001")


@pytest.fixture
def secadmin(db):
    return UserFactory(username="secadmin", role=Role.SECURITY_ADMIN, jurisdiction=None,
                       display_name="林静", phone="13807310002")


def _fresh(user):
    return User.objects.get(pk=user.pk)


def _granted(user, role, *, sysadmin, secadmin, reason="岗位调整"):
    grant = services.grant_request(actor=sysadmin, user=user, role=role, reason=reason)
    return services.grant_approve(grant=grant, actor=secadmin)


# --- separation rules ---------------------------------------------------------------------------------

def test_same_person_cannot_hold_a_second_administrator_role(sysadmin, secadmin):
    """何志远 (13807310001) is the system administrator; a second account of his is refused the audit role."""
    twin = UserFactory(username="hezy2", role="", jurisdiction=None, display_name="何志远", phone="13807310001")
    with pytest.raises(DomainError) as refused:
        services.grant_request(actor=sysadmin, user=twin, role=Role.AUDIT_ADMIN, reason="兼任审计员")
    assert refused.value.message == (
        "何志远（13807310001）已持有管理员账号“sysadmin”（系统管理员），同一人不得兼任两个管理员角色（三员分立）"
    )
    assert not RoleGrant.objects.filter(user=twin).exists()


def test_the_database_refuses_two_administrator_accounts_of_one_person(sysadmin):
    """The partial unique index is the backstop of the service check (two approvals at once)."""
    from django.db import IntegrityError, transaction

    twin = UserFactory(username="hezy2", role="", jurisdiction=None, display_name="何志远", phone="13807310001")
    twin.role = Role.AUDIT_ADMIN
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save(update_fields=["role"])


def test_an_administrator_account_cannot_be_given_a_business_role(sysadmin, secadmin, jurisdiction):
    auditor = UserFactory(username="auditor", role=Role.AUDIT_ADMIN, jurisdiction=jurisdiction,
                          display_name="宋佳", phone="13807310003")
    with pytest.raises(DomainError) as refused:
        services.grant_request(actor=sysadmin, user=auditor, role=Role.OFFICE, reason="借调巡察办")
    assert refused.value.message == "管理员账号不能授予业务角色（三员分立）"


def test_a_business_account_cannot_be_made_an_administrator(sysadmin, make_user):
    office = make_user(Role.OFFICE, username="office", display_name="刘晓红", phone="13807319999")
    with pytest.raises(DomainError) as refused:
        services.grant_request(actor=sysadmin, user=office, role=Role.SECURITY_ADMIN, reason="兼任")
    assert refused.value.message == "业务账号不能授予管理员角色：管理员须使用专用账号（三员分立）"


def test_a_person_with_a_business_account_cannot_get_an_administrator_account(sysadmin, make_user):
    make_user(Role.OFFICE, username="office", display_name="刘晓红", phone="13807319999")
    fresh = UserFactory(username="liuxh-admin", role="", jurisdiction=None, display_name="刘晓红", phone="13807319999")
    with pytest.raises(DomainError) as refused:
        services.grant_request(actor=sysadmin, user=fresh, role=Role.AUDIT_ADMIN, reason="新任审计员")
    assert refused.value.message == (
        "刘晓红（13807319999）已持有业务账号“office”（巡察办工作人员），管理员不得兼任业务角色（三员分立）"
    )


def test_a_person_with_an_administrator_account_cannot_get_a_business_role(sysadmin, jurisdiction):
    fresh = UserFactory(username="hezy-office", role="", jurisdiction=jurisdiction,
                        display_name="何志远", phone="13807310001")
    with pytest.raises(DomainError) as refused:
        services.grant_request(actor=sysadmin, user=fresh, role=Role.OFFICE, reason="借调")
    assert refused.value.message == (
        "何志远（13807310001）已持有管理员账号“sysadmin”（系统管理员），不得再授予业务角色（三员分立）"
    )


def test_an_administrator_needs_name_and_phone_to_be_identified(sysadmin):
    anonymous = UserFactory(username="nobody", role="", jurisdiction=None, display_name="王强", phone="")
    with pytest.raises(DomainError) as refused:
        services.grant_request(actor=sysadmin, user=anonymous, role=Role.AUDIT_ADMIN, reason="新任")
    assert (refused.value.field, refused.value.message) == (
        "phone", "管理员账号须填写姓名和电话，用于确认同一人不兼任两个管理员角色")


def test_a_liaison_grant_needs_a_unit(sysadmin, jurisdiction):
    account = UserFactory(username="lianluo", role="", jurisdiction=jurisdiction)
    with pytest.raises(DomainError) as refused:
        services.grant_request(actor=sysadmin, user=account, role=Role.UNIT_LIAISON, reason="单位联络员")
    assert (refused.value.field, refused.value.message) == ("unit", "被巡察单位联络员须填写所在被巡察单位")


# --- grants take effect on approval --------------------------------------------------------------------

def test_a_grant_changes_nothing_until_the_security_administrator_approves_it(client, sysadmin, secadmin,
                                                                             jurisdiction, make_user):
    """A new discipline-commission account: while the grant waits it lists no lead; approved, it does."""
    body_user = make_user(Role.DISCIPLINE, username="template")  # a receiving body of the county
    lead = LeadFactory(round=RoundFactory(plan__jurisdiction=jurisdiction))
    account = UserFactory(username="jiwei2", role="", jurisdiction=jurisdiction,
                          receiving_body=body_user.receiving_body)
    grant = services.grant_request(actor=sysadmin, user=account, role=Role.DISCIPLINE, reason="新任纪委监委联络人")
    assert (grant.status, grant.previous_role, _fresh(account).role) == (RoleGrant.Status.PENDING, "", "")
    client.force_login(account)
    assert client.get(reverse("referrals:lead_list")).status_code == 403

    services.grant_approve(grant=grant, actor=secadmin, note="同意")
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by, grant.decision_note) == (RoleGrant.Status.APPROVED, secadmin, "同意")
    assert _fresh(account).role == Role.DISCIPLINE
    assert client.get(reverse("referrals:lead_list")).status_code == 200
    assert lead.pk  # the lead exists; what the receiver sees of it is the referrals' rule


def test_a_revocation_takes_effect_only_on_approval(sysadmin, secadmin, make_user):
    office = make_user(Role.OFFICE, username="office2")
    grant = services.grant_request(actor=sysadmin, user=office, role="", reason="调离巡察办")
    assert _fresh(office).role == Role.OFFICE
    services.grant_approve(grant=grant, actor=secadmin)
    assert _fresh(office).role == ""


def test_a_rejected_grant_leaves_the_old_role(sysadmin, secadmin, make_user):
    office = make_user(Role.OFFICE, username="office3")
    grant = services.grant_request(actor=sysadmin, user=office, role=Role.LEADING_GROUP, reason="任领导小组成员")
    with pytest.raises(DomainError) as refused:
        services.grant_reject(grant=grant, actor=secadmin, note="")
    assert refused.value.message == "请填写驳回理由"
    services.grant_reject(grant=grant, actor=secadmin, note="未见任职文件")
    assert _fresh(office).role == Role.OFFICE
    assert RoleGrant.objects.get(pk=grant.pk).status == RoleGrant.Status.REJECTED


def test_one_pending_grant_per_account(sysadmin, make_user):
    office = make_user(Role.OFFICE, username="office4")
    first = services.grant_request(actor=sysadmin, user=office, role=Role.LEADING_GROUP, reason="任领导小组成员")
    with pytest.raises(DomainError) as refused:
        services.grant_request(actor=sysadmin, user=office, role="", reason="调离")
    assert refused.value.message == f"该账号已有待审批的授权申请 #{first.pk}，请等待安全管理员审批"


def test_self_approval_is_refused(jurisdiction, make_user):
    """A superuser (allowed outside production) may request and approve, but never its own request."""
    root = UserFactory(username="root", role="", is_superuser=True, jurisdiction=jurisdiction)
    office = make_user(Role.OFFICE, username="office5")
    grant = services.grant_request(actor=root, user=office, role=Role.LEADING_GROUP, reason="任领导小组成员")
    with pytest.raises(DomainError) as refused:
        services.grant_approve(grant=grant, actor=root)
    assert refused.value.message == "不能审批本人提出或涉及本人账号的授权申请（三员分立）"
    assert _fresh(office).role == Role.OFFICE


def test_the_system_administrator_cannot_approve_and_cannot_grant_itself(client, sysadmin, make_user):
    office = make_user(Role.OFFICE, username="office6")
    grant = services.grant_request(actor=sysadmin, user=office, role=Role.LEADING_GROUP, reason="任领导小组成员")
    with pytest.raises(DomainError) as refused:
        services.grant_approve(grant=grant, actor=sysadmin)
    assert refused.value.message == "不能审批本人提出或涉及本人账号的授权申请（三员分立）"
    client.force_login(sysadmin)
    response = client.post(reverse("accounts:grant_approve", args=[grant.pk]))
    assert response.status_code == 403
    assert _fresh(office).role == Role.OFFICE
    with pytest.raises(DomainError) as own:
        services.grant_request(actor=sysadmin, user=sysadmin, role=Role.SECURITY_ADMIN, reason="兼任")
    assert own.value.message == "不能为本人账号申请授权（三员分立）"


def test_a_security_administrator_cannot_approve_a_grant_on_its_own_account(sysadmin, secadmin):
    grant = services.grant_request(actor=sysadmin, user=secadmin, role="", reason="离任")
    with pytest.raises(DomainError) as refused:
        services.grant_approve(grant=grant, actor=secadmin)
    assert refused.value.message == "不能审批本人提出或涉及本人账号的授权申请（三员分立）"


def test_a_decided_grant_is_not_decided_again(sysadmin, secadmin, make_user):
    other_sec = UserFactory(username="secadmin2", role=Role.SECURITY_ADMIN, jurisdiction=None,
                            display_name="方敏", phone="13807310009")
    office = make_user(Role.OFFICE, username="office7")
    grant = services.grant_request(actor=sysadmin, user=office, role=Role.LEADING_GROUP, reason="任领导小组成员")
    services.grant_approve(grant=grant, actor=secadmin)
    with pytest.raises(DomainError) as refused:
        services.grant_reject(grant=grant, actor=other_sec, note="不同意")
    assert refused.value.message.startswith("该授权申请已由林静于")
    assert refused.value.message.endswith("批准，请勿重复操作")


def test_approval_rechecks_the_rules(sysadmin, secadmin):
    """Two accounts of one person both asked for an administrator role: the second approval is refused."""
    first = UserFactory(username="songjia", role="", jurisdiction=None, display_name="宋佳", phone="13807310003")
    second = UserFactory(username="songjia2", role="", jurisdiction=None, display_name="宋佳", phone="13807310003")
    one = services.grant_request(actor=sysadmin, user=first, role=Role.AUDIT_ADMIN, reason="新任审计员")
    two = services.grant_request(actor=sysadmin, user=second, role=Role.SECURITY_ADMIN, reason="新任")
    services.grant_approve(grant=one, actor=secadmin)
    with pytest.raises(DomainError) as refused:
        services.grant_approve(grant=two, actor=secadmin)
    assert refused.value.message == (
        "不能批准：宋佳（13807310003）已持有管理员账号“songjia”（安全审计员），同一人不得兼任两个管理员角色（三员分立）"
    )
    assert _fresh(second).role == ""


# --- the approval page ----------------------------------------------------------------------------------

def test_the_security_administrator_approves_on_its_page(client, sysadmin, secadmin, jurisdiction):
    unit = UnitFactory(jurisdiction=jurisdiction, name="城关镇")
    account = UserFactory(username="chengguan", role="", jurisdiction=jurisdiction, unit=unit)
    grant = services.grant_request(actor=sysadmin, user=account, role=Role.UNIT_LIAISON, reason="城关镇联络员")
    client.force_login(secadmin)
    page = client.get(reverse("accounts:grant_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'id="grant-{grant.pk}"' in body and "无 → <strong>被巡察单位联络员</strong>" in body
    response = client.post(reverse("accounts:grant_approve", args=[grant.pk]), {"note": "同意"}, follow=True)
    assert f"授权申请 #{grant.pk}已批准：chengguan（被巡察单位联络员）" in response.content.decode()
    assert _fresh(account).role == Role.UNIT_LIAISON
    again = client.post(reverse("accounts:grant_approve", args=[grant.pk]), follow=True)
    assert "该授权申请已由林静于" in again.content.decode()


def test_the_grant_page_is_refused_to_business_roles(client, make_user):
    client.force_login(make_user(Role.OFFICE, username="office8"))
    assert client.get(reverse("accounts:grant_list")).status_code == 403
