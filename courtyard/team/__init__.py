"""The village work team (驻村工作队): its own village's households."""

from flask import Blueprint

from courtyard.access import role_required

bp = Blueprint("team", __name__, url_prefix="/team")


@bp.before_request
@role_required("team")
def _team_only():
    """Every page of this blueprint is for work-team members only."""


from courtyard.shared_pages import visits  # noqa: E402
from courtyard.team import (  # noqa: E402,F401
    adoption_shortfall, allocation, collection, dashboard, field_offline, field_sync, households, imports, integrity, money,
    supply, trace, views,
)

visits.add_routes(bp)  # the visit organiser's pages, shared with the county
