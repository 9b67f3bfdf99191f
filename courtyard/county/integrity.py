"""County pages for the integrity record: every cooperative's and village's figures, a household's, and
the sanctions the county decides and lifts (each with a reason)."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courtyard.county import bp
from courtyard.county.cooperative_forms import PauseForm, ReasonForm
from courtyard.extensions import db
from courtyard.web.form_fields import options
from courtyard.web.form_pages import form_page
from courtyard.models import Cooperative, Household, ProduceItem, Sanction, Village
from courtyard.models.types import utcnow
from courtyard.web.paging import page_of
from courtyard.services.cooperatives.queries import member_ids
from courtyard.services.integrity import record, sanctions


@bp.route("/integrity")
def integrity_overview():
    page = page_of(select(Village).order_by(Village.name, Village.id))
    villages = [(v, record.figures(select(Household.id).where(Household.village_id == v.id))) for v in page.items]
    cooperatives = [(c, record.figures(member_ids(c.id)))
                    for c in db.session.scalars(select(Cooperative).order_by(Cooperative.name).limit(50))]
    in_force = db.session.scalars(sanctions.in_force().order_by(Sanction.decided_at.desc()).limit(50)).all()
    return render_template("county/integrity.html", villages=villages, page=page, cooperatives=cooperatives,
                           sanctions=in_force)


@bp.route("/integrity/cooperatives/<int:cooperative_id>", methods=["GET", "POST"])
def integrity_cooperative(cooperative_id):
    cooperative = db.get_or_404(Cooperative, cooperative_id)
    form = ReasonForm(prefix="suspend")

    def save():
        decided = sanctions.suspend_cooperative(current_user, cooperative, form.reason.data, utcnow())
        db.session.commit()
        return decided

    trend = record.trend(member_ids(cooperative.id))
    return form_page(form, save, "county/integrity_subject.html",
                     url_for("county.integrity_cooperative", cooperative_id=cooperative.id),
                     message=_("Decision recorded."), title=cooperative.name, figures=trend.get("all", record.Figures()),
                     months=record.months_of(trend), sanctions=sanctions.in_force_for(cooperative_ids=[cooperative.id]),
                     lift_form=ReasonForm(prefix="lift"), action=_("Suspend from new campaigns"))


@bp.route("/integrity/households/<int:household_id>", methods=["GET", "POST"])
def integrity_household(household_id):
    household = db.get_or_404(Household, household_id)
    form = PauseForm(prefix="pause")
    form.item.choices = options((i.id, i.name) for i in db.session.scalars(select(ProduceItem).order_by(ProduceItem.name)))

    def save():
        decided = sanctions.pause_household(current_user, household, form.item.data, form.reason.data, utcnow())
        db.session.commit()
        return decided

    trend = record.trend([household.id])
    return form_page(form, save, "county/integrity_subject.html",
                     url_for("county.integrity_household", household_id=household.id),
                     message=_("Decision recorded."), title=f"{household.head_name} · {household.village.full_name}",
                     figures=trend.get("all", record.Figures()), months=record.months_of(trend),
                     sanctions=sanctions.in_force_for(household_ids=[household.id]),
                     lift_form=ReasonForm(prefix="lift"), action=_("Pause from an item"))


@bp.route("/sanctions/<int:sanction_id>/lift", methods=["POST"])
def sanction_lift(sanction_id):
    sanction = db.get_or_404(Sanction, sanction_id)
    form = ReasonForm(prefix="lift")
    back = url_for("county.integrity_cooperative", cooperative_id=sanction.cooperative_id) if sanction.cooperative_id \
        else url_for("county.integrity_household", household_id=sanction.household_id)

    def save():
        sanctions.lift(current_user, sanction, form.reason.data, utcnow())
        db.session.commit()
        return sanction

    if form.validate_on_submit():
        return form_page(form, save, "county/form.html", back, message=_("Decision lifted."), title=_("Lift"), back=back)
    return redirect(back)
