"""The county e-commerce office (县电商办): places, teams, partner units, catalogue."""

from flask import Blueprint

from courtyard.access import role_required

bp = Blueprint("county", __name__, url_prefix="/county")


@bp.before_request
@role_required("county")
def _county_only():
    """Every page of this blueprint is for the county admin only."""


from courtyard.county import (  # noqa: E402,F401
    bank_statements, campaign_closing, campaigns, catalog, dashboard, deliveries, exports, invoices, jobs, money, places,
    shipping_labels, supply_split, teams, units, views,
)
from courtyard.county import contracts, cooperatives, integrity  # noqa: E402,F401
from courtyard.shared_pages import visits  # noqa: E402

visits.add_routes(bp)  # the county organises visits with the work teams' pages
