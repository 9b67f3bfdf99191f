"""The cooperative's pages: its members, declaring for them, their allocations and statements."""

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courtyard.access import cooperative_campaign_in_scope, cooperative_of_user, household_in_scope
from courtyard.cooperative import bp
from courtyard.cooperative.forms import DeclarationForm
from courtyard.extensions import db
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page
from courtyard.models import Campaign, CampaignPackage, Household, PackageItem, ProduceItem, Village
from courtyard.models.types import utcnow
from courtyard.web.paging import page_of_list
from courtyard.services.operations import audit
from courtyard.services.contracts.wording import plain_words
from courtyard.services.cooperatives import declarations, queries
from courtyard.services.integrity.sanctions import in_force_for
from courtyard.services.money.statements import statement_data, statements_for
from courtyard.shared_pages.statements import chosen_period, export, export_period

DECLARING_STATES = ("open", "funded", "fulfilling")


@bp.route("/")
def home():
    cooperative = cooperative_of_user()
    county = current_app.config["COUNTY_NAME"]
    return render_template("cooperative/home.html", cooperative=cooperative,
                           members=queries.members_of(cooperative.id),
                           declared=queries.declarations_of(cooperative.id),
                           contracts=[(c, plain_words(c, county)) for c in queries.contracts_of(cooperative.id)],
                           sanctions=in_force_for(cooperative_ids=[cooperative.id]))


@bp.route("/members/<int:household_id>/statement")
def member_statement(household_id):
    household = household_in_scope(household_id)
    period, form = chosen_period(utcnow())
    statement = statement_data(household, period)
    return render_template("cooperative/statement.html", household=household, form=form, statement=statement,
                           lines_page=page_of_list(statement.lines), query=request.query_string.decode())


@bp.route("/members/<int:household_id>/statement.pdf")
def member_statement_pdf(household_id):
    household = household_in_scope(household_id)
    now = utcnow()
    period = export_period(now)
    return export([statement_data(household, period)], period, "pdf", "statement", current_app.config["COUNTY_NAME"], now)


@bp.route("/statements.pdf")
def member_statements_pdf():
    """Every member's statement, a page each, to print for them."""
    cooperative, now = cooperative_of_user(), utcnow()
    period = export_period(now)
    households = db.session.scalars(select(Household).where(Household.id.in_(queries.member_ids(cooperative.id)))
                                    .options(joinedload(Household.village).joinedload(Village.township))
                                    .order_by(Household.head_name, Household.id)).all()
    audit.record(current_user, "statements_exported", "cooperative", cooperative.id, format="pdf",
                 start=str(period.start), end=str(period.end))
    db.session.commit()
    return export(statements_for(households, period), period, "pdf", "statements", current_app.config["COUNTY_NAME"], now)


@bp.route("/declare", methods=["GET", "POST"])
def declare():
    cooperative = cooperative_of_user()
    form = DeclarationForm()
    campaigns = db.session.scalars(select(Campaign).where(Campaign.state.in_(DECLARING_STATES))
                                   .order_by(Campaign.id.desc())).all()
    form.campaign.choices = options((c.id, c.title) for c in campaigns)
    form.item.choices = options((i.id, i.name) for i in db.session.scalars(
        select(ProduceItem).where(ProduceItem.id.in_(
            select(PackageItem.item_id).join(CampaignPackage, CampaignPackage.package_id == PackageItem.package_id)
            .where(CampaignPackage.campaign_id.in_([c.id for c in campaigns])))).order_by(ProduceItem.name)))
    form.contract.choices = options([(0, _("No contract"))] + [
        (c.id, f"{c.number} · {c.item.name}") for c in queries.contracts_of(cooperative.id) if c.state == "active"])

    def save():
        declared = declarations.declare(current_user, cooperative, form.campaign.data, form.item.data, form.units.data,
                                        utcnow(), contract_id=form.contract.data or None, note=form.note.data)
        db.session.commit()
        return declared

    return form_page(form, save, "cooperative/declare.html",
                     lambda d: url_for("cooperative.allocations", campaign_id=d.campaign_id),
                     message=_("Declared. Each member's part is recorded for the work teams' allocation."),
                     cooperative=cooperative)


@bp.route("/campaigns/<int:campaign_id>")
def allocations(campaign_id):
    """The members' parts and, once the work teams publish, their allocated units; contracted lines first."""
    cooperative = cooperative_of_user()
    campaign = cooperative_campaign_in_scope(campaign_id)
    parts = declarations.members_parts(cooperative.id, campaign.id)
    contracted = queries.contracted_parts(cooperative.id, campaign.id)
    members = {h.id: h for _m, h in queries.members_of(cooperative.id)}
    lines = sorted(queries.allocation_lines(cooperative.id, campaign.id),
                   key=lambda row: ((row[1].household_id, row[1].item_id) not in contracted, row[1].household.head_name))
    return render_template("cooperative/allocations.html", cooperative=cooperative, campaign=campaign, parts=parts,
                           members=members, lines=lines, contracted=contracted,
                           declared=[d for d in queries.declarations_of(cooperative.id) if d.campaign_id == campaign.id])
