from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from courtyard.access import unit_in_scope
from courtyard.extensions import db
from courtyard.models import Campaign, Pledge
from courtyard.models.types import utcnow
from courtyard.partner import bp
from courtyard.services.campaigns.campaigns import accepts_pledges, progress_of_each
from courtyard.services.money.budgets import budget_of


@bp.route("/")
def home():
    unit = unit_in_scope(current_user.partner_unit_id)
    now = utcnow()
    rows = [c for c in db.session.scalars(select(Campaign).where(Campaign.state == "open").order_by(Campaign.closes_at))
            if accepts_pledges(c, now)]
    progress = progress_of_each(rows, now)
    open_campaigns = [(c, progress[c.id]) for c in rows]
    recent = db.session.scalars(select(Pledge).where(Pledge.unit_id == unit.id).order_by(Pledge.id.desc()).limit(5)
                                .options(selectinload(Pledge.lines), joinedload(Pledge.campaign))).all()
    return render_template("partner/home.html", unit=unit, budget=budget_of(unit, now), campaigns=open_campaigns, pledges=recent)
