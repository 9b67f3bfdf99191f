"""The OpenAPI 3.1 document, built as data from the declared operations and the shared schemas."""

import re

from courtyard.api.paging import PAGE_PARAMETERS
from courtyard.api.routes import OPERATIONS
from courtyard.api.schemas import SCHEMAS, ref

ERROR_TEXT = {400: "The request is not well formed.", 401: "No valid token.", 403: "Your role may not do this.",
              404: "No such record in your scope.", 422: "Invalid input; see error.fields.",
              429: "Too many requests for this token."}
RULE_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def openapi_path(rule):
    """``/campaigns/<int:campaign_id>`` → ``/campaigns/{campaign_id}``."""
    return RULE_PARAMETER.sub(lambda m: "{" + m.group(2) + "}", rule)


def _parameters(operation):
    path = [{"name": name, "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1} if kind == "int" else {"type": "string"}}
            for kind, name in RULE_PARAMETER.findall(operation.rule)]
    listing = PAGE_PARAMETERS if "allOf" in operation.returns else ()
    query = [{"name": name, "in": "query", "required": False, "schema": schema, "description": text}
             for name, schema, text in listing + operation.query]
    return path + query


def _operation(operation):
    responses = {str(operation.status): {"description": "OK",
                                         "content": {"application/json": {"schema": operation.returns}}}}
    for status in operation.errors:
        responses[str(status)] = {"$ref": f"#/components/responses/E{status}"}
    described = {"operationId": operation.endpoint.removeprefix("api."), "summary": operation.summary,
                 "tags": [operation.tag], "description": "Roles: " + ", ".join(operation.roles) + ".",
                 "parameters": _parameters(operation), "responses": responses}
    if operation.body:
        described["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(operation.body)}}}
    if operation.errors and 401 in operation.errors:
        described["security"] = [{"bearer": []}]
    else:
        described["security"] = []
    return described


def document(server_url="/api/v1"):
    paths = {}
    for operation in OPERATIONS:
        paths.setdefault(openapi_path(operation.rule), {})[operation.method.lower()] = _operation(operation)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Courtyard 庭院 API", "version": "1",
                 "description": "Per-user bearer tokens (make one on the API tokens page). Money is integer fen; "
                                "times are ISO 8601 UTC. Lists take ?page=&per_page= (at most 100). Every error "
                                "answers {\"error\": {\"code\", \"message\", \"fields\"}}."},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "responses": {f"E{status}": {"description": text, "content": {"application/json": {"schema": ref("Error")}}}
                          for status, text in ERROR_TEXT.items()},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A personal token: cyt_…"}},
        },
    }
