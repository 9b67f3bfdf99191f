"""Public campaign pages: what is on offer and how far the campaign has come."""

from flask import abort, render_template
from sqlalchemy import select

from courtyard.access import PUBLIC_CAMPAIGN_STATES
from courtyard.extensions import db
from courtyard.models import Campaign
from courtyard.models.types import utcnow
from courtyard.public import bp
from courtyard.services.campaigns.campaigns import progress, progress_of_each, supply_by_offer
from courtyard.web.short_cache import anonymous_page

PUBLIC_STATES = PUBLIC_CAMPAIGN_STATES


@bp.route("/campaigns")
@anonymous_page
def campaigns():
    now = utcnow()
    rows = db.session.scalars(select(Campaign).where(Campaign.state.in_(PUBLIC_STATES)).order_by(Campaign.closes_at.desc())).all()
    progress = progress_of_each(rows, now)
    return render_template("public/campaigns.html", campaigns=[(c, progress[c.id]) for c in rows])


@bp.route("/campaigns/<int:campaign_id>")
@anonymous_page
def campaign(campaign_id):
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.state not in PUBLIC_STATES:
        abort(404)
    return render_template("public/campaign.html", campaign=campaign, progress=progress(campaign, utcnow()),
                           supply=supply_by_offer(campaign))
