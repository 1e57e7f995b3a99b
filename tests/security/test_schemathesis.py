"""Fuzzing the REST API from its own OpenAPI schema: no 5xx, and every documented response matches the schema.

A bounded number of generated cases per operation, as an office user (token auth) over a small county; the
cases run in-process through the WSGI application, in a transaction that is rolled back.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.renderers import JSONRenderer
from schemathesis.checks import not_a_server_error, response_schema_conformance

from inspection.accounts.models import Role
from tests.factories import CadreFactory, RecusalFactorFactory, UnitFactory, issue_api_token


@pytest.fixture
def keep_test_connection():
    """A plain WSGI handler closes the database connection after each request, which ends the test's
    transaction on PostgreSQL; Django's test client disconnects the same receivers."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, make_user, keep_test_connection):
    office = make_user(Role.OFFICE, username="fuzz_office")
    parent = UnitFactory(jurisdiction=office.jurisdiction, name="城关镇")
    UnitFactory(jurisdiction=office.jurisdiction, name="城关镇南关村", parent=parent)
    RecusalFactorFactory(cadre=CadreFactory(jurisdiction=office.jurisdiction), unit=parent)
    pytest.fuzz_token = issue_api_token(office)
    raw = json.loads(JSONRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    return schemathesis.from_dict(raw, app=get_wsgi_application(), base_url="/")


schema = schemathesis.from_pytest_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_answers_no_5xx_and_keeps_its_schema(case):
    response = case.call_wsgi(headers={"Authorization": f"Token {pytest.fuzz_token}"})
    case.validate_response(response, checks=(not_a_server_error, response_schema_conformance))
