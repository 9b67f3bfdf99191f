"""County pages for splitting a campaign's demand between its supplying villages, and allocating them all."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import DataRequired

from courtyard.county import bp
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Campaign, SupplyShare
from courtyard.models.types import utcnow
from courtyard.services.allocation import county_allocation, demand_split
from courtyard.services.supply.supply import round_items
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page
from courtyard.web.paging import page_of


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
    """Which village serves which pledge: the proposal, changed per pledge by the county, fifty pledges a page
    (saving a page sets the village of its pledges only)."""
    campaign = db.get_or_404(Campaign, campaign_id)
    villages = demand_split.supplying_villages(campaign.id)
    serving = demand_split.split(campaign.id)
    set_by_county = set(db.session.scalars(select(SupplyShare.pledge_id).where(SupplyShare.campaign_id == campaign.id)))
    page = page_of(demand_split.counted_pledges_query(campaign.id))
    shares = [demand_split.Share(p, serving.get(p.id), p.id in set_by_county) for p in page.items]
    form = _split_form(shares, villages)

    def save():
        demand_split.assign(current_user, campaign.id,
                            {s.pledge.id: form[f"village_{s.pledge.id}"].data for s in shares}, utcnow())

    packages = demand_split.packages_by_village(campaign.id, serving)
    served = {v.id: packages.get(v.id, 0) for v in villages}
    published = demand_split.published_pledge_ids(campaign.id)
    return form_page(form, save, "county/campaign_split.html",
                     url_for("county.campaign_split", campaign_id=campaign.id, page=page.page if page.page > 1 else None),
                     message=_("The split is saved."), campaign=campaign, shares=shares, villages=villages,
                     served=served, capacity=demand_split.village_capacity(campaign.id), items=round_items(campaign.id),
                     runs=county_allocation.latest_runs(campaign.id), published=published, page=page,
                     resettable=any(pledge_id not in published for pledge_id in set_by_county))


@bp.route("/campaigns/<int:campaign_id>/split/reset", methods=["POST"])
def campaign_split_reset(campaign_id):
    campaign = db.get_or_404(Campaign, campaign_id)
    if ConfirmForm().validate_on_submit():
        demand_split.reset(current_user, campaign.id)
        db.session.commit()
        flash(_("Every pledge follows the proposal again."), "success")
    return redirect(url_for("county.campaign_split", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/allocate", methods=["POST"])
def campaign_allocate_all(campaign_id):
    campaign = db.get_or_404(Campaign, campaign_id)
    if ConfirmForm().validate_on_submit():
        try:
            counts = county_allocation.allocate_all(current_user, campaign.id, utcnow())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Allocations computed: %(created)s new, %(recomputed)s again, %(published)s already published.",
                    **counts), "success")
    return redirect(url_for("county.campaign_split", campaign_id=campaign.id))
