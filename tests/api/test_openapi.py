"""The OpenAPI document describes exactly the API's routes, and the API keeps to it (schemathesis)."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from courtyard.api.openapi import openapi_path
from tests.support.route_world import build_world

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ("county", "team", "partner", "household")
EXAMPLES_PER_OPERATION = 6


def test_every_api_route_is_in_the_document_and_nothing_else(app, client):
    """Each /api/v1 rule and method of the app is a path and operation of the document, and vice versa."""
    document = client.get("/api/v1/openapi.json").get_json()
    routes = {(openapi_path(rule.rule.removeprefix("/api/v1")), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    described = {(path, method) for path, operations in document["paths"].items() for method in operations}
    assert routes == described
    assert document["openapi"].startswith("3.")


def test_the_api_keeps_to_its_document_for_every_role(app, make, token_for):
    """Generated requests for every operation with each role's token and with none: never a 500, every
    status code documented, every body matching its schema; also on the world's real records (not only 404s)."""
    world = build_world(app, make)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers_of = {role: {"Authorization": f"Bearer {token_for(world.visitors[role])}"} for role in ROLES}
    headers_of["anonymous"] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for headers in headers_of.values():
            _generated(operation, headers)
            path_parameters = {name: world.params[name] for name in world.params
                               if "{" + name + "}" in operation.path}
            if path_parameters and operation.method.upper() == "GET":
                case = operation.Case(path_parameters=path_parameters)
                case.call_and_validate(headers=headers, checks=CHECKS)


def _generated(operation, headers):
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
