"""The reference data an integrator's records name (issue 17 item 6): jurisdictions and receiving bodies scoped to
the user's office and those below it, accounts for the system administrator only, read only."""

import pytest
from rest_framework.test import APIClient

from inspection.accounts.models import Jurisdiction, ReceivingBody, Role
from tests.factories import JurisdictionFactory, ReceivingBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    city = JurisdictionFactory(name="清江市", level=Jurisdiction.Level.CITY)
    county = JurisdictionFactory(name="清河县", parent=city)
    other = JurisdictionFactory(name="柳林县")
    bodies = {
        name: ReceivingBodyFactory(jurisdiction=where, kind=ReceivingBody.Kind.DISCIPLINE, name=name)
        for name, where in (("清江市纪委监委", city), ("清河县纪委监委", county), ("柳林县纪委监委", other))
    }
    return {"city": city, "county": county, "other": other, "bodies": bodies}


def client_of(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_an_office_sees_its_jurisdiction_and_those_below_it(offices, make_user):
    city_office = client_of(make_user(Role.OFFICE, username="city", jurisdiction=offices["city"]))
    county_office = client_of(make_user(Role.OFFICE, username="county", jurisdiction=offices["county"]))
    assert ids(city_office.get("/api/jurisdictions/")) == sorted([offices["city"].pk, offices["county"].pk])
    assert ids(county_office.get("/api/jurisdictions/")) == [offices["county"].pk]
    assert county_office.get(f"/api/jurisdictions/{offices['other'].pk}/").status_code == 404
    bodies = offices["bodies"]
    assert ids(city_office.get("/api/receiving-bodies/")) == sorted([bodies["清江市纪委监委"].pk, bodies["清河县纪委监委"].pk])
    body = county_office.get(f"/api/receiving-bodies/{bodies['清河县纪委监委'].pk}/").json()
    assert (body["name"], body["kind_label"]) == ("清河县纪委监委", "纪委监委")


def test_accounts_are_listed_for_the_system_administrator_only(offices, make_user):
    liaison = make_user(Role.UNIT_LIAISON, username="liaison", jurisdiction=offices["county"])
    sysadmin = make_user(Role.SYSTEM_ADMIN, username="xitong", jurisdiction=None)
    listing = client_of(sysadmin).get("/api/users/", {"role": Role.UNIT_LIAISON})
    assert ids(listing) == [liaison.pk]
    row = listing.json()["results"][0]
    assert row["role_label"] == "被巡察单位联络员" and "phone" not in row and "password" not in row
    for role in (Role.OFFICE, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        assert client_of(make_user(role, username=f"u-{role}", jurisdiction=offices["county"] if role == Role.OFFICE
                                   else None)).get("/api/users/").status_code == 403


def test_the_reference_data_is_read_only(offices, make_user):
    admin_user = make_user(Role.SYSTEM_ADMIN, username="xitong", jurisdiction=None)
    sysadmin = client_of(admin_user)
    assert sysadmin.post("/api/jurisdictions/", {"name": "新县"}, format="json").status_code == 405
    assert sysadmin.patch(f"/api/users/{admin_user.pk}/", {"role": "office"}, format="json").status_code == 405


@pytest.mark.parametrize("n", [1, 12])
def test_the_lists_run_a_constant_number_of_queries(offices, make_user, django_assert_max_num_queries, n):
    for i in range(n):
        ReceivingBodyFactory(jurisdiction=offices["county"], kind=ReceivingBody.Kind.OTHER, name=f"县第{i}局")
        make_user(Role.TEAM_MEMBER, username=f"member{i}", jurisdiction=offices["county"])
    office = client_of(make_user(Role.OFFICE, username="county", jurisdiction=offices["county"]))
    sysadmin = client_of(make_user(Role.SYSTEM_ADMIN, username="xitong", jurisdiction=None))
    with django_assert_max_num_queries(6):
        assert office.get("/api/receiving-bodies/").status_code == 200
    with django_assert_max_num_queries(6):
        assert sysadmin.get("/api/users/").status_code == 200
