from flask import render_template
from flask_login import current_user

from courtyard.access import household_in_scope
from courtyard.household import bp


@bp.route("/")
def home():
    household = household_in_scope(current_user.household_id)
    return render_template("household/home.html", household=household, team=household.village.team)
