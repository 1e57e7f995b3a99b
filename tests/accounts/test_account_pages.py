"""账号管理 for the system administrator: list, create, edit, enable/disable, unlock, reset the second factor
and the password. Chinese form errors, never a 500; business roles are refused the pages."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspection.accounts import twofactor
from inspection.accounts.models import ReceivingBody, Role, RoleGrant, User
from tests.factories import CadreFactory, ReceivingBodyFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(db):
    return UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, jurisdiction=None,
                       display_name="何志远", phone="13807310001")


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def test_the_list_filters_and_runs_constant_queries(admin_client, make_user, jurisdiction, other_jurisdiction,
                                                    django_assert_max_num_queries):
    make_user(Role.OFFICE, username="office", display_name="刘晓红")
    make_user(Role.UNIT_LIAISON, username="liaison", display_name="孙海燕")
    make_user(Role.DISCIPLINE, username="jiwei", display_name="郑国强")
    UserFactory(username="liulin", role=Role.OFFICE, jurisdiction=other_jurisdiction, display_name="柳林办", is_active=False)
    with django_assert_max_num_queries(8):
        few = admin_client.get(reverse("accounts:user_list"))
    for n in range(30):
        make_user(Role.UNIT_LIAISON, username=f"liaison{n}")
    with django_assert_max_num_queries(8):
        many = admin_client.get(reverse("accounts:user_list"))
    assert few.status_code == many.status_code == 200
    assert len(many.context["object_list"]) == 30

    def usernames(**query):
        return {u.username for u in admin_client.get(reverse("accounts:user_list"), query).context["object_list"]}

    assert usernames(role=Role.OFFICE) == {"office", "liulin"}
    assert usernames(jurisdiction=other_jurisdiction.pk) == {"liulin"}
    assert usernames(is_active="false") == {"liulin"}
    assert usernames(q="郑国") == {"jiwei"}
    assert usernames(role="system_admin") == {"sysadmin"}


def test_business_roles_and_other_administrators_are_refused_account_pages(client, make_user):
    for role in (Role.OFFICE, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        user = make_user(role, username=f"u-{role}", phone=f"1380000{len(role):04d}")
        client.force_login(user)
        assert client.get(reverse("accounts:user_list")).status_code == 403
        assert client.get(reverse("accounts:user_create")).status_code == 403
        assert client.get(reverse("accounts:user_detail", args=[user.pk])).status_code == 404


def test_create_an_account_with_a_pending_grant_and_a_temporary_password(admin_client, jurisdiction):
    unit = UnitFactory(jurisdiction=jurisdiction, name="城关镇")
    response = admin_client.post(reverse("accounts:user_create"), {
        "username": "chengguan", "display_name": "孙海燕", "phone": "13807318888", "role": Role.UNIT_LIAISON,
        "jurisdiction": jurisdiction.pk, "unit": unit.pk, "reason": "城关镇整改联络员",
    })
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    password = response.context["password"]
    body = response.content.decode()
    assert password in body and "临时密码（仅显示这一次" in body
    user = User.objects.get(username="chengguan")
    assert (user.role, user.unit, user.display_name, user.check_password(password)) == ("", unit, "孙海燕", True)
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.status, grant.reason) == (Role.UNIT_LIAISON, RoleGrant.Status.PENDING, "城关镇整改联络员")
    assert f"已提交{grant}（被巡察单位联络员），经安全管理员审批后生效" in body


def test_a_liaison_without_a_unit_is_a_form_error(admin_client, jurisdiction):
    response = admin_client.post(reverse("accounts:user_create"), {
        "username": "nounit", "display_name": "王敏", "role": Role.UNIT_LIAISON, "jurisdiction": jurisdiction.pk,
        "reason": "联络员",
    })
    assert response.status_code == 200
    assert response.context["form"].errors == {"unit": ["被巡察单位联络员须填写所在被巡察单位"]}
    assert not User.objects.filter(username="nounit").exists()


def test_create_form_errors_are_chinese(admin_client, make_user):
    make_user(Role.OFFICE, username="office")
    response = admin_client.post(reverse("accounts:user_create"), {
        "username": "office", "display_name": "", "email": "not-an-address", "role": Role.OFFICE,
    })
    assert response.context["form"].errors == {
        "username": ["用户名“office”已被使用"],
        "display_name": ["请填写姓名"],
        "email": ["请输入有效的电子邮箱地址"],
        "reason": ["申请角色须填写申请理由"],
    }


def test_a_discipline_account_needs_a_discipline_body(admin_client, jurisdiction):
    other = ReceivingBodyFactory(jurisdiction=jurisdiction, name="县审计局", kind=ReceivingBody.Kind.OTHER)
    response = admin_client.post(reverse("accounts:user_create"), {
        "username": "jiwei2", "display_name": "郑国强", "role": Role.DISCIPLINE, "jurisdiction": jurisdiction.pk,
        "receiving_body": other.pk, "reason": "纪委监委案管室",
    })
    assert response.context["form"].errors == {
        "receiving_body": ["纪委监委账号须选择类别为“纪委监委”的所属接收单位"]
    }


def test_edit_keeps_a_liaison_with_a_unit_and_links_a_cadre(admin_client, make_user, jurisdiction):
    liaison = make_user(Role.UNIT_LIAISON, username="liaison", display_name="孙海燕")
    url = reverse("accounts:user_edit", args=[liaison.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"display_name": "孙海燕", "jurisdiction": jurisdiction.pk, "unit": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"unit": ["被巡察单位联络员须填写所在被巡察单位"]}

    member = make_user(Role.TEAM_MEMBER, username="zuyuan", display_name="吴丽娟")
    cadre = CadreFactory(jurisdiction=jurisdiction, name="吴丽娟")
    response = admin_client.post(reverse("accounts:user_edit", args=[member.pk]), {
        "display_name": "吴丽娟", "phone": "13807311234", "jurisdiction": jurisdiction.pk, "cadre": cadre.pk,
    })
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.user == member
    assert User.objects.get(pk=member.pk).phone == "13807311234"


def test_disable_and_enable(admin_client, sysadmin, make_user):
    office = make_user(Role.OFFICE, username="office")
    response = admin_client.post(reverse("accounts:user_set_active", args=[office.pk]), {"active": "0"}, follow=True)
    assert "账号已停用，不能再登录" in response.content.decode()
    assert User.objects.get(pk=office.pk).is_active is False
    admin_client.post(reverse("accounts:user_set_active", args=[office.pk]), {"active": "1"})
    assert User.objects.get(pk=office.pk).is_active is True
    own = admin_client.post(reverse("accounts:user_set_active", args=[sysadmin.pk]), {"active": "0"}, follow=True)
    assert "不能停用本人账号" in own.content.decode()
    assert User.objects.get(pk=sysadmin.pk).is_active is True


def test_unlock_clears_the_lock_out(admin_client, client, make_user):
    office = make_user(Role.OFFICE, username="office")
    AccessAttempt.objects.create(username="office", ip_address="10.0.0.8", failures_since_start=5,
                                 user_agent="", get_data="", post_data="", http_accept="", path_info="/accounts/login/")
    response = admin_client.post(reverse("accounts:user_unlock", args=[office.pk]), follow=True)
    assert "已解除锁定（清除登录失败记录 1 条）" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="office").exists()


def test_reset_the_second_factor_removes_the_devices(admin_client, make_user):
    office = make_user(Role.OFFICE, username="office")
    device = twofactor.totp_device_pending(office)
    device.confirmed = True
    device.save()
    twofactor.recovery_codes_regenerate(user=office)
    response = admin_client.post(reverse("accounts:user_reset_2fa", args=[office.pk]), follow=True)
    assert "已重置二次验证：该用户下次登录时须重新绑定身份验证器" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=office).exists()
    assert not StaticDevice.objects.filter(user=office).exists()


def test_reset_the_password_shows_a_temporary_one_once(admin_client, make_user):
    office = make_user(Role.OFFICE, username="office")
    response = admin_client.post(reverse("accounts:user_reset_password", args=[office.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
    password = response.context["password"]
    assert len(password) == 12
    assert User.objects.get(pk=office.pk).check_password(password)
    detail = admin_client.get(reverse("accounts:user_detail", args=[office.pk])).content.decode()
    assert password not in detail


def test_request_a_grant_from_the_account_page(admin_client, make_user):
    office = make_user(Role.OFFICE, username="office")
    url = reverse("accounts:grant_request", args=[office.pk])
    empty = admin_client.post(url, {"role": Role.LEADING_GROUP, "reason": ""})
    assert empty.context["form"].errors == {"reason": ["请填写申请理由"]}
    admin_client.post(url, {"role": Role.LEADING_GROUP, "reason": "任领导小组成员"})
    detail = admin_client.get(reverse("accounts:user_detail", args=[office.pk])).content.decode()
    assert "巡察办工作人员 → 巡察工作领导小组成员" in detail
    assert User.objects.get(pk=office.pk).role == Role.OFFICE
    same = admin_client.post(url, {"role": Role.OFFICE, "reason": "重复"})
    assert same.context["form"].errors["role"][0].startswith("该账号已有待审批的授权申请 #")


def test_unit_autocomplete_for_the_system_administrator(admin_client, client, jurisdiction, make_user):
    UnitFactory(jurisdiction=jurisdiction, name="城关镇")
    response = admin_client.get(reverse("accounts:unit_autocomplete"), {"q": "城关"})
    assert [row["label"] for row in response.json()["results"]] == ["城关镇（清河县）"]
    client.force_login(make_user(Role.OFFICE, username="office"))
    assert client.get(reverse("accounts:unit_autocomplete"), {"q": "城关"}).status_code == 403
