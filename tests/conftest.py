import pytest

from inspection.accounts.models import ReceivingBody, Role

from .factories import JurisdictionFactory, ReceivingBodyFactory, UnitFactory, UserFactory


@pytest.fixture
def jurisdiction(db):
    return JurisdictionFactory(name="清河县")


@pytest.fixture
def other_jurisdiction(db):
    return JurisdictionFactory(name="柳林县")


@pytest.fixture
def make_user(db, jurisdiction):
    """make_user(role, **fields): a user of `role` in the test jurisdiction (unit liaisons get a unit)."""

    def make(role=Role.OFFICE, **fields):
        fields.setdefault("jurisdiction", jurisdiction)
        if role == Role.UNIT_LIAISON and "unit" not in fields:
            fields["unit"] = UnitFactory(jurisdiction=fields["jurisdiction"])
        if role in (Role.DISCIPLINE, Role.ORGANIZATION) and "receiving_body" not in fields:
            fields["receiving_body"] = ReceivingBodyFactory(
                jurisdiction=fields["jurisdiction"], kind=ReceivingBody.Kind(role)
            )
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def office_user(make_user):
    return make_user(Role.OFFICE, username="office")


@pytest.fixture
def leading_user(make_user):
    return make_user(Role.LEADING_GROUP, username="leading")


@pytest.fixture
def office_client(client, office_user):
    client.force_login(office_user)
    return client
