"""``api_route``: one declaration gives a view its URL, its roles and its entry in the OpenAPI document."""

from dataclasses import dataclass, field

from courtyard.access import role_required
from courtyard.api import bp
from courtyard.api.schemas import ref
from courtyard.models import ROLES


@dataclass(frozen=True)
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    tag: str
    returns: dict  # a response schema (a $ref, or page_of(...))
    status: int = 200
    roles: tuple = ROLES
    query: tuple = ()  # extra query parameters: (name, schema, description)
    body: str | None = None  # the request body's schema name
    errors: tuple = field(default=(401, 403, 429))


OPERATIONS = []


def page_of(name):
    """A page of ``name`` records: the list shape every list endpoint answers."""
    return {"allOf": [ref("Page"), {"type": "object", "required": ["data"],
                                    "properties": {"data": {"type": "array", "items": ref(name)}}}]}


def api_route(rule, *, summary, returns, tag, method="GET", status=200, roles=ROLES, query=(), body=None,
              errors=None):
    """Register the view at ``rule`` for ``roles`` (None: anyone) and describe it for the OpenAPI document."""

    def decorator(view):
        guarded = view if roles is None else role_required(*roles)(view)
        bp.add_url_rule(rule, view.__name__, guarded, methods=[method])
        default_errors = (400, 401, 403, 429) + ((404,) if "<" in rule else ()) + ((422,) if body else ())
        OPERATIONS.append(Operation(rule=rule, method=method, endpoint=f"api.{view.__name__}", summary=summary,
                                    tag=tag, returns=returns, status=status, roles=tuple(roles or ()), query=tuple(query),
                                    body=body, errors=tuple(errors or default_errors)))
        return guarded

    return decorator
