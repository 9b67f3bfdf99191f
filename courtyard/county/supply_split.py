"""County pages for splitting a campaign's demand between its supplying villages, and allocating them all."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from courtyard.county import bp
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Campaign
from courtyard.models.types import utcnow
from courtyard.services.allocation import county_allocation, demand_split
from courtyard.services.supply.supply import round_items
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page


class ConfirmForm(FlaskForm):
    """An empty form: just the CSRF token for a button that changes something."""


def _split_form(shares, villages):
    """One village choice per pledge, named ``village_<pledge id>``, preset to the current split."""

    class SplitForm(FlaskForm):
        pass

    choices = options((v.id, v.full_name) for v in villages)
    for share in shares:
        setattr(SplitForm, f"village_{share.pledge.id}", SelectField(
            _("Village for %(reference)s", reference=share.pledge.reference), coerce=int, choices=choices,
            default=share.village_id, validators=[DataRequired(_("Choose a village."))]))
    return SplitForm()


@bp.route("/campaigns/<int:campaign_id>/split", methods=["GET", "POST"])
def campaign_split(campaign_id):
    """Which village serves which pledge: the proposal, changed per pledge by the county."""
    campaign = db.get_or_404(Campaign, campaign_id)
    shares, villages = demand_split.shares(campaign.id), demand_split.supplying_villages(campaign.id)
    form = _split_form(shares, villages)

    def save():
        demand_split.assign(current_user, campaign.id,
                            {s.pledge.id: form[f"village_{s.pledge.id}"].data for s in shares}, utcnow())

    served = {v.id: 0 for v in villages}
    for share in shares:
        if share.village_id in served:
            served[share.village_id] += share.pledge.quantity
    capacity = demand_split.village_capacity(campaign.id)
    return form_page(form, save, "county/campaign_split.html", url_for("county.campaign_split", campaign_id=campaign.id),
                     message=_("The split is saved."), campaign=campaign, shares=shares, villages=villages,
                     served=served, capacity=capacity, items=round_items(campaign.id),
                     runs=county_allocation.latest_runs(campaign.id),
                     published=demand_split.published_pledge_ids(campaign.id))


@bp.route("/campaigns/<int:campaign_id>/split/reset", methods=["POST"])
def campaign_split_reset(campaign_id):
    campaign = db.get_or_404(Campaign, campaign_id)
    if ConfirmForm().validate_on_submit():
        demand_split.reset(current_user, campaign.id)
        flash(_("Every pledge follows the proposal again."), "success")
    return redirect(url_for("county.campaign_split", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/allocate", methods=["POST"])
def campaign_allocate_all(campaign_id):
    campaign = db.get_or_404(Campaign, campaign_id)
    if ConfirmForm().validate_on_submit():
        try:
            counts = county_allocation.allocate_all(current_user, campaign.id, utcnow())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Allocations computed: %(created)s new, %(recomputed)s again, %(published)s already published.",
                    **counts), "success")
    return redirect(url_for("county.campaign_split", campaign_id=campaign.id))
