"""Work-team pages for capacity declarations: one table per round, households by items."""

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courtyard.access import household_in_scope, team_village_id
from courtyard.extensions import db
from courtyard.models import AllocationRun, Campaign, Household
from courtyard.models.types import utcnow
from courtyard.services.allocation import demand_split
from courtyard.services.catalog.photos import stored_photo
from courtyard.services.supply import supply, supply_caps
from courtyard.web.form_pages import form_page
from courtyard.team import bp
from courtyard.team.forms import DeclarationForm, capacity_table_form


def round_or_404(campaign_id):
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.state not in supply.OPEN_FOR_DECLARATIONS:
        abort(404)
    return campaign


@bp.route("/supply")
def supply_rounds():
    campaigns = db.session.scalars(select(Campaign).where(Campaign.state.in_(supply.OPEN_FOR_DECLARATIONS))
                                   .order_by(Campaign.closes_at.desc())).all()
    runs = db.session.scalars(select(AllocationRun).where(AllocationRun.village_id == team_village_id())
                              .options(joinedload(AllocationRun.campaign)).order_by(AllocationRun.id.desc())).all()
    pledged = demand_split.campaigns_with_demand([c.id for c in campaigns])
    served = {c.id: demand_split.village_packages(c.id, team_village_id()) if c.id in pledged else 0 for c in campaigns}
    return render_template("team/supply_rounds.html", campaigns=campaigns, runs=runs, served=served)


@bp.route("/supply/<int:campaign_id>", methods=["GET", "POST"])
def supply_table(campaign_id):
    campaign = round_or_404(campaign_id)
    items = supply.round_items(campaign.id)
    households = db.session.scalars(select(Household).where(
        Household.village_id == team_village_id(), Household.active.is_(True)).order_by(Household.head_name, Household.id)).all()
    declared = supply.declarations_of(campaign.id, [h.id for h in households])
    cells = [(supply.field_name(h.id, i.id), f"{h.head_name} · {i.name}") for h in households for i in items]
    form = capacity_table_form(cells, {supply.field_name(h, i): d.units for (h, i), d in declared.items()})

    def save():
        units = {(h.id, i.id): form[supply.field_name(h.id, i.id)].data for h in households for i in items}
        supply.record_table(current_user, team_village_id(), campaign.id, units, utcnow())

    return form_page(form, save, "team/supply_table.html", url_for("team.supply_table", campaign_id=campaign.id),
                     message=_("Capacity saved."), campaign=campaign, items=items, households=households,
                     field_name=supply.field_name, served=demand_split.village_packages(campaign.id, team_village_id()),
                     shortages=supply_caps.shortages(campaign.id))


@bp.route("/supply/<int:campaign_id>/households/<int:household_id>", methods=["GET", "POST"])
def supply_household(campaign_id, household_id):
    """One household's declarations for a round, with a note and a photo (e.g. of the flock)."""
    campaign, household = round_or_404(campaign_id), household_in_scope(household_id)
    items = supply.round_items(campaign.id)
    form = DeclarationForm()
    form.item.choices = [(item.id, item.name) for item in items]

    def save():
        with stored_photo(form.photo.data) as photo:
            supply.record(current_user, household, campaign.id, form.item.data, form.units.data, utcnow(),
                          note=form.note.data or "", photo=photo)
            db.session.commit()

    declared = supply.declarations_of(campaign.id, [household.id])
    return form_page(form, save, "team/supply_household.html",
                     url_for("team.supply_household", campaign_id=campaign.id, household_id=household.id),
                     message=_("Capacity saved."), campaign=campaign, household=household,
                     declarations=[declared[(household.id, item.id)] for item in items if (household.id, item.id) in declared])
