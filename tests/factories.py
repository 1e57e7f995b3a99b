"""Foundation factories shared by every app's tests. App factories live in tests/<app>/factories.py."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from inspection.accounts.models import Jurisdiction, ReceivingBody, Role, User
from inspection.units.models import Cadre, RecusalFactor, Unit, UnitKind

TEST_PASSWORD = "Xuncha-test-2026"


class JurisdictionFactory(DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试县{n}")
    office_name = factory.LazyAttribute(lambda o: f"中共{o.name}委巡察工作领导小组办公室")


class ReceivingBodyFactory(DjangoModelFactory):
    class Meta:
        model = ReceivingBody
        django_get_or_create = ("jurisdiction", "name")

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    kind = ReceivingBody.Kind.DISCIPLINE
    name = factory.LazyAttribute(lambda o: f"{o.jurisdiction.name}{ReceivingBody.Kind(o.kind).label}")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.COUNTY_DEPARTMENT
    party_org_name = factory.LazyAttribute(lambda o: f"中共{o.name}党组")
    head_name = "张三"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.OFFICE
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    # A fresh password, no temporary one: the forced change (expired, first login) is tested on its own.
    password_changed_at = factory.LazyFunction(timezone.now)
    must_change_password = False
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CadreFactory(DjangoModelFactory):
    class Meta:
        model = Cadre

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    name = factory.Sequence(lambda n: f"干部{n}")
    pool = Cadre.Pool.TALENT
    joined_via = Cadre.JoinedVia.RECOMMENDED
    post = "科员"


class RecusalFactorFactory(DjangoModelFactory):
    class Meta:
        model = RecusalFactor

    cadre = factory.SubFactory(CadreFactory)
    unit = factory.SubFactory(UnitFactory)
    kind = RecusalFactor.Kind.WORKED_THERE


def issue_api_token(user, name="测试对接", days=None) -> str:
    """A token issued the only way the system issues one: by the user after passing the second factor (a
    confirmed authenticator, as django-otp marks a verified session). Returns the secret."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from inspection.accounts import tokens

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    user.otp_device = device or TOTPDevice.objects.create(user=user, name="测试身份验证器", confirmed=True)
    return tokens.api_token_issue(user=user, name=name, days=days).secret
