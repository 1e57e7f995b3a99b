"""List pages and list endpoints cost the same number of queries for 3 rows as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from inspection.units.models import Specialty, UnitKind
from tests.factories import CadreFactory, RecusalFactorFactory, UnitFactory

pytestmark = pytest.mark.django_db

# Session, user, notifications badge, count, rows, filter dropdowns: a fixed budget whatever the row count.
PAGE_BUDGET = 12
API_BUDGET = 4


def _grow_units(jurisdiction, count):
    parent = UnitFactory(jurisdiction=jurisdiction, kind=UnitKind.TOWNSHIP)
    UnitFactory.create_batch(count - 1, jurisdiction=jurisdiction, kind=UnitKind.VILLAGE, parent=parent)


def _grow_cadres(jurisdiction, count):
    specialties = list(Specialty.objects.all()[:3])
    employer = UnitFactory(jurisdiction=jurisdiction)
    for _ in range(count):
        cadre = CadreFactory(jurisdiction=jurisdiction, employer=employer)
        cadre.specialties.set(specialties)
        RecusalFactorFactory(cadre=cadre, unit=employer)


def _count(call):
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url_name,grow",
    [("units:unit_list", _grow_units), ("units:cadre_list", _grow_cadres)],
)
def test_list_pages_query_count_is_constant(office_client, jurisdiction, django_assert_max_num_queries, url_name, grow):
    url = reverse(url_name)
    grow(jurisdiction, 3)
    with django_assert_max_num_queries(PAGE_BUDGET):
        few = _count(lambda: office_client.get(url))
    grow(jurisdiction, 27)
    with django_assert_max_num_queries(PAGE_BUDGET):
        many = _count(lambda: office_client.get(url))
    assert few == many


@pytest.mark.parametrize(
    "url,grow",
    [("/api/units/", _grow_units), ("/api/cadres/", _grow_cadres), ("/api/recusal-factors/", _grow_cadres)],
)
def test_list_endpoints_query_count_is_constant(office_user, jurisdiction, django_assert_max_num_queries, url, grow):
    api = APIClient()
    api.force_authenticate(office_user)
    grow(jurisdiction, 3)
    with django_assert_max_num_queries(API_BUDGET):
        few = _count(lambda: api.get(url))
    grow(jurisdiction, 27)
    assert len(api.get(url).json()["results"]) >= 30
    with django_assert_max_num_queries(API_BUDGET):
        many = _count(lambda: api.get(url))
    assert few == many
