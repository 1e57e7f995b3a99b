from inspection.accounts.models import Role
from inspection.core import access
from inspection.units.models import Unit
from tests.factories import UnitFactory


def test_office_sees_only_units_of_its_own_jurisdiction(office_user, other_jurisdiction):
    own = UnitFactory(jurisdiction=office_user.jurisdiction)
    UnitFactory(jurisdiction=other_jurisdiction)
    assert list(access.visible(office_user, Unit)) == [own]


def test_unit_liaison_sees_only_its_own_unit(make_user):
    liaison = make_user(Role.UNIT_LIAISON)
    UnitFactory(jurisdiction=liaison.jurisdiction)
    assert list(access.visible(liaison, Unit)) == [liaison.unit]
    assert not access.can(liaison, "change", liaison.unit)
