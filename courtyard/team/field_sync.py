"""The phone's sync endpoint for collection day: changes recorded offline arrive here, oldest first.

``GET /team/field/token`` hands a fresh CSRF token to a page that was opened offline long ago;
``POST /team/collection/sync`` applies the changes once each (see :mod:`courtyard.services.supply.field_sync`).
Every round and household named must be the team's own village's, or nothing is applied (404).
"""

from flask import abort, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from courtyard.access import delivery_round_in_scope, household_in_scope, team_village_id
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import ProduceItem
from courtyard.models.types import utcnow
from courtyard.services.supply import field_sync
from courtyard.team import bp


@bp.route("/field/token")
def field_token():
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


def _check_scope(changes):
    for round_id in {c.round_id for c in changes}:
        delivery_round_in_scope(round_id)
    for household_id in {c.household_id for c in changes}:
        household_in_scope(household_id)
    for item_id in {c.item_id for c in changes}:
        if db.session.get(ProduceItem, item_id) is None:
            abort(404)


@bp.route("/collection/sync", methods=["POST"])
def collection_sync():
    try:
        changes = field_sync.parse_changes(request.get_json(silent=True))
    except DomainError as error:
        return jsonify(error=str(error.message)), 400
    _check_scope(changes)
    results = field_sync.apply_changes(current_user, team_village_id(), changes, utcnow())
    response = jsonify(results=[r._asdict() for r in results], synced_at=utcnow().isoformat())
    response.headers["Cache-Control"] = "no-store"
    return response
