from flask import render_template
from flask_login import current_user

from courtyard.access import unit_in_scope
from courtyard.extensions import db
from courtyard.models.types import utcnow
from courtyard.partner import bp
from courtyard.services.campaigns.campaigns import accepts_pledges, progress_of_each
from courtyard.services.money.budgets import budget_of
from courtyard.services.campaigns.campaigns import open_campaigns
from courtyard.services.pledges import pledges


@bp.route("/")
def home():
    unit = unit_in_scope(current_user.partner_unit_id)
    now = utcnow()
    rows = [c for c in open_campaigns() if accepts_pledges(c, now)]
    progress = progress_of_each(rows, now)
    showing = [(c, progress[c.id]) for c in rows]
    recent = db.session.scalars(pledges.of_unit(unit.id).limit(5)).all()
    return render_template("partner/home.html", unit=unit, budget=budget_of(unit, now), campaigns=showing, pledges=recent)
