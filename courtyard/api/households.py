"""Households: a work team its own village's, the county every one. ID and bank numbers: last 4 only."""

from flask_login import current_user

from courtyard.access import household_in_scope, households_visible_to
from courtyard.api.paging import paged
from courtyard.api.routes import api_route, page_of, ref
from courtyard.api.shapes import household_json
from courtyard.models import Household


@api_route("/households", summary="Households of your village (the county: all)", returns=page_of("Household"),
           tag="households", roles=("county", "team"))
def household_list():
    return paged(households_visible_to(current_user).order_by(Household.village_id, Household.id), household_json)


@api_route("/households/<int:household_id>", summary="One household", returns=ref("Household"), tag="households",
           roles=("county", "team"))
def household_detail(household_id):
    return household_json(household_in_scope(household_id))
