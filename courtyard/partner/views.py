from flask import render_template
from flask_login import current_user

from courtyard.access import unit_in_scope
from courtyard.partner import bp


@bp.route("/")
def home():
    unit = unit_in_scope(current_user.partner_unit_id)
    return render_template("partner/home.html", unit=unit)
