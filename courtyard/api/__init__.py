"""The JSON API at ``/api/v1``: personal bearer tokens, one error shape, page-numbered lists.

Every view is declared with :func:`courtyard.api.routes.api_route`, which registers it on the
blueprint *and* in the OpenAPI document (:mod:`courtyard.api.openapi`), so the two cannot drift.
Scope comes from :mod:`courtyard.access` as on the web pages: the token's user is the current user.

Adding an endpoint is one decorated function in a module imported below (see ``statements.py``:
the route, its roles and its response schema in one decorator), plus its schema in
:mod:`courtyard.api.schemas`.
"""

from flask import Blueprint

from courtyard.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: a bearer token authenticates every request

from courtyard.api import auth, errors_views  # noqa: E402,F401
from courtyard.api import (  # noqa: E402,F401
    allocation_runs, campaigns, deliveries, households, me, openapi_view, pledges, statements,
)
