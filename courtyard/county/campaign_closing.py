"""County pages for closing a campaign early: what the close will do, then "close now" once confirmed."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.county import bp
from courtyard.extensions import db
from courtyard.models import Campaign
from courtyard.models.types import utcnow
from courtyard.services.campaigns import close_preview
from courtyard.web.form_pages import flash_outcome


@bp.route("/campaigns/<int:campaign_id>/close-early", methods=["GET", "POST"])
def campaign_close_early(campaign_id):
    """GET: the confirmation, saying what closing now will do; POST: close now and settle."""
    campaign = db.get_or_404(Campaign, campaign_id)
    now = utcnow()
    if request.method == "POST":
        flash_outcome(lambda: close_preview.close_now(current_user, campaign, now), lambda counts: _(
            "Closed: %(captured)s captured, %(released)s released, %(refunded)s refunded, %(errors)s to retry.", **counts))
        return redirect(url_for("county.campaign_detail", campaign_id=campaign.id))
    return render_template("county/campaign_close_early.html", campaign=campaign,
                           preview=close_preview.close_preview(campaign, now))
