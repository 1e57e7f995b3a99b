"""The OpenAPI schema of the units endpoints is valid and generates without a single warning."""

from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_units_schema_is_valid_without_warnings():
    patterns = [path("api/", include("inspection.units.api.urls"))]
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache) | dict(GENERATOR_STATS._error_cache)
    validate_schema(schema)
    paths = schema["paths"]
    assert {"/api/units/", "/api/units/{id}/", "/api/cadres/", "/api/recusal-factors/{id}/"} <= set(paths)
    assert "delete" not in paths["/api/units/{id}/"]
    assert set(paths["/api/cadres/{id}/"]) == {"get", "put", "patch"}
    kinds = schema["components"]["schemas"]["UnitKindEnum"]["enum"]
    assert "township" in kinds
