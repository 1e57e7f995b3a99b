"""Every figures response is typed in the OpenAPI document (issue 17 item 6): a real answer, with data in every
part of it, has exactly the keys its schema lists, at every level, and each value has the schema's type. An
integrator generating a client from /api/schema/ gets every figure, and a figure added to an answer without its
serializer fails here."""

import pytest
from rest_framework.test import APIClient

from dashboard import rollup
from inspection.accounts.models import Jurisdiction, Role
from tests.dashboard.factories import build_world
from tests.factories import JurisdictionFactory

TYPES = {"integer": int, "number": (int, float), "string": str, "boolean": bool, "array": list, "object": dict}


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def assert_matches(schema, node, value, where="answer"):
    node = _resolve(schema, node)
    if value is None:
        assert node.get("nullable"), f"{where} is null but not nullable in the schema"
        return
    kind = node.get("type", "object")
    if kind == "integer":
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {value!r} is not an integer"
    else:
        assert isinstance(value, TYPES[kind]), f"{where}: {value!r} is not {kind}"
    if kind == "string" and node.get("format") == "decimal":
        float(value)
    if kind == "array":
        assert value, f"{where} is empty: the test data must fill it"
        for i, item in enumerate(value):
            assert_matches(schema, node["items"], item, f"{where}[{i}]")
    if kind == "object" and "properties" in node:
        properties = node["properties"]
        assert set(value) <= set(properties), f"{where}: keys not in the schema: {set(value) - set(properties)}"
        missing = set(node.get("required", [])) - set(value)
        assert not missing, f"{where}: required keys missing: {missing}"
        for key, item in value.items():
            assert_matches(schema, properties[key], item, f"{where}.{key}")
    elif kind == "object" and "additionalProperties" in node and isinstance(node["additionalProperties"], dict):
        for key, item in value.items():
            assert_matches(schema, node["additionalProperties"], item, f"{where}.{key}")
    else:
        assert kind != "object" or node.get("properties") is not None, f"{where} is an untyped object"


def answer_and_schema(user, path, params=None):
    client = APIClient()
    client.force_authenticate(user)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    operation = schema["paths"][path]["get"]
    return schema, operation["responses"]["200"]["content"]["application/json"]["schema"], response.json()


@pytest.fixture
def county_world(jurisdiction):
    return build_world(jurisdiction, seed=21, units=8)


def test_the_to_do_answer_is_typed(county_world, office_user):
    schema, node, answer = answer_and_schema(office_user, "/api/todo/")
    assert answer["groups"] and answer["groups"][0]["items"]
    assert_matches(schema, node, answer)
    assert set(_resolve(schema, node)["properties"]) == {"total", "groups"}


def test_the_rectification_figures_answer_is_typed(county_world, office_user):
    schema, node, answer = answer_and_schema(office_user, "/api/rectification/figures/")
    assert_matches(schema, node, answer)


def test_the_rollup_answer_is_typed(db, jurisdiction, other_jurisdiction, make_user):
    city = JurisdictionFactory(name="河阳市", level=Jurisdiction.Level.CITY)
    Jurisdiction.objects.filter(pk__in=[jurisdiction.pk, other_jurisdiction.pk]).update(parent=city)
    build_world(jurisdiction, seed=7, units=6, per_round=2)
    build_world(other_jurisdiction, seed=9, units=5, per_round=2)
    rollup.refresh()
    schema, node, answer = answer_and_schema(make_user(Role.OFFICE, jurisdiction=city), "/api/dashboard/rollup/")
    assert len(answer["rows"]) == 2 and answer["includes_lead_figures"] is True
    assert_matches(schema, node, answer)
    figures = _resolve(schema, _resolve(schema, node)["properties"]["total"])["properties"]
    assert figures["findings"]["description"] == "发现问题"
    assert set(answer["total"]) == set(figures)
