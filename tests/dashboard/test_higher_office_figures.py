"""A city office's statistics page adds up its counties' records (issue 16: it showed zeros, because the figure
scope counted the city's own jurisdiction only, and a city runs few rounds of its own)."""

import pytest

from dashboard import selectors
from dashboard.selectors import FigureScope
from inspection.accounts.models import Jurisdiction, Role
from tests.factories import JurisdictionFactory

from .factories import build_world


@pytest.fixture
def city_world():
    city = JurisdictionFactory(name="河阳市", level=Jurisdiction.Level.CITY)
    first = JurisdictionFactory(name="河阳市甲县", parent=city)
    second = JurisdictionFactory(name="河阳市乙县", parent=city)
    outside = JurisdictionFactory(name="外市丙县")
    return city, build_world(first, seed=5, units=8), build_world(second, seed=7, units=6), build_world(outside, seed=9, units=6)


def test_city_statistics_page_shows_the_exact_rollup_of_its_counties(client, make_user, city_world):
    city, first, second, _outside = city_world
    one = selectors.figures(FigureScope(jurisdiction_id=first.jurisdiction.pk), include_leads=True)
    two = selectors.figures(FigureScope(jurisdiction_id=second.jurisdiction.pk), include_leads=True)
    expected_findings = one.findings["total"] + two.findings["total"]
    expected_tasks = one.rectification["tasks"]["total"] + two.rectification["tasks"]["total"]
    assert expected_findings > 0 and expected_tasks > 0
    client.force_login(make_user(Role.OFFICE, jurisdiction=city))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    figs = response.context["figures"]
    assert figs.findings["total"] == expected_findings
    assert figs.findings["approved"] == one.findings["approved"] + two.findings["approved"]
    assert figs.rectification["tasks"]["total"] == expected_tasks
    assert figs.rectification["fed_back"] == one.rectification["fed_back"] + two.rectification["fed_back"]
    assert figs.petitions["received"] == one.petitions["received"] + two.petitions["received"]
    cards = {c["key"]: c["value"] for c in response.context["cards"]}
    assert cards["findings"] == expected_findings


def test_a_county_office_still_counts_its_own_records_only(client, make_user, city_world):
    _city, first, _second, _outside = city_world
    own = selectors.figures(FigureScope(jurisdiction_id=first.jurisdiction.pk), include_leads=True)
    client.force_login(make_user(Role.OFFICE, jurisdiction=first.jurisdiction))
    assert client.get("/dashboard/").context["figures"].findings["total"] == own.findings["total"]
