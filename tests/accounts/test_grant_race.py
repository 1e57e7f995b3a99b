"""Two real transactions on PostgreSQL: the row lock on a grant (two approvals of one grant: one wins, the
other is told who decided it) and the one-administrator-account-per-person index (two accounts of one person
approved at the same moment: one wins)."""

from inspection.accounts import services
from inspection.accounts.models import Role, RoleGrant, User
from inspection.core.exceptions import DomainError
from tests.factories import JurisdictionFactory, UserFactory
from tests.rounds.concurrency import Race, two_transactions


def _admins():
    sysadmin = UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, jurisdiction=None,
                           display_name="何志远", phone="13807310001")
    lin = UserFactory(username="linjing", role=Role.SECURITY_ADMIN, jurisdiction=None,
                      display_name="林静", phone="13807310002")
    fang = UserFactory(username="fangmin", role=Role.SECURITY_ADMIN, jurisdiction=None,
                       display_name="方敏", phone="13807310009")
    return sysadmin, lin, fang


def _approve(grant, actor):
    def work():
        try:
            return services.grant_approve(grant=grant, actor=actor)
        except DomainError as error:
            return error.message
    return work


@two_transactions
def test_two_approvals_of_one_grant_at_once(monkeypatch):
    sysadmin, lin, fang = _admins()
    office = UserFactory(username="office", role=Role.OFFICE, jurisdiction=JurisdictionFactory(name="清河县"))
    grant = services.grant_request(actor=sysadmin, user=office, role=Role.LEADING_GROUP, reason="任领导小组成员")
    race = Race()
    monkeypatch.setattr(services, "_lock_grant", race.hold(services._lock_grant))

    first, second = race.run(_approve(grant, lin), _approve(grant, fang))

    assert race.second_was == "blocked"  # the second waited on the grant's row lock until the first committed
    assert first.error is None and isinstance(first.result, RoleGrant)
    assert second.error is None
    assert second.result.startswith("该授权申请已由林静于") and second.result.endswith("批准，请勿重复操作")
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by_id) == (RoleGrant.Status.APPROVED, lin.pk)
    assert User.objects.get(pk=office.pk).role == Role.LEADING_GROUP


@two_transactions
def test_two_administrator_accounts_of_one_person_approved_at_once(monkeypatch):
    sysadmin, lin, fang = _admins()
    song = UserFactory(username="songjia", role="", jurisdiction=None, display_name="宋佳", phone="13807310003")
    twin = UserFactory(username="songjia2", role="", jurisdiction=None, display_name="宋佳", phone="13807310003")
    audit = services.grant_request(actor=sysadmin, user=song, role=Role.AUDIT_ADMIN, reason="新任审计员")
    security = services.grant_request(actor=sysadmin, user=twin, role=Role.SECURITY_ADMIN, reason="新任安全管理员")
    race = Race()
    # Both pass the rule check (different grants, different accounts: no common row to lock) before either
    # writes; the partial unique index is what refuses the second.
    monkeypatch.setattr(services, "grant_refusal", race.hold(services.grant_refusal))

    first, second = race.run(_approve(audit, lin), _approve(security, fang))

    assert race.second_was in {"arrived", "blocked"}
    assert first.error is None and isinstance(first.result, RoleGrant)
    assert second.error is None
    assert second.result == "不能批准：该人员（姓名、电话相同）已持有管理员账号，同一人不得兼任两个管理员角色（三员分立）"
    assert sorted(User.objects.filter(display_name="宋佳").values_list("username", "role")) == [
        ("songjia", Role.AUDIT_ADMIN), ("songjia2", ""),
    ]
    assert RoleGrant.objects.get(pk=security.pk).status == RoleGrant.Status.PENDING
