"""The JSON API at ``/api/v1``: personal bearer tokens, one error shape, page-numbered lists.

Every view is declared with :func:`courtyard.api.routes.api_route`, which registers it on the
blueprint *and* in the OpenAPI document (:mod:`courtyard.api.openapi`), so the two cannot drift.
Scope comes from :mod:`courtyard.access` as on the web pages: the token's user is the current user.

Adding an endpoint is one decorated function in a module imported below. The household statements
endpoint (after the money ledger is merged) goes in ``courtyard/api/statements.py``::

    @api_route("/statements", summary="A household's own statements", returns=page_of("Statement"),
               tag="statements", roles=("household",))
    def statement_list():
        return paged(statements_visible_to(current_user).order_by(...), statement_json)

plus a ``Statement`` schema in :mod:`courtyard.api.schemas` and ``statements`` in the import line.
"""

from flask import Blueprint

from courtyard.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: a bearer token authenticates every request

from courtyard.api import auth, errors_views  # noqa: E402,F401
from courtyard.api import (  # noqa: E402,F401
    allocation_runs, campaigns, deliveries, households, me, openapi_view, pledges,
)
