from flask import render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from courtyard.county import bp
from courtyard.county.forms import TierWeightsForm
from courtyard.extensions import db
from courtyard.form_pages import form_page
from courtyard.models import TIERS, Household, Package, PartnerUnit, ProduceItem, Village, WorkTeam
from courtyard.labels import TIER_LABELS
from courtyard.models.types import utcnow
from courtyard.services import tiers
from courtyard.services.income import income_summary
from courtyard.services.statements import local_today, period_of


@bp.route("/")
def home():
    counts = {
        "villages": db.session.scalar(select(func.count(Village.id))),
        "teams": db.session.scalar(select(func.count(WorkTeam.id))),
        "units": db.session.scalar(select(func.count(PartnerUnit.id))),
        "produce": db.session.scalar(select(func.count(ProduceItem.id))),
        "packages": db.session.scalar(select(func.count(Package.id))),
    }
    by_tier = dict(
        db.session.execute(
            select(Household.tier, func.count(Household.id)).where(Household.active.is_(True)).group_by(Household.tier)
        ).all()
    )
    year = period_of("year", local_today(utcnow()))
    return render_template("county/home.html", counts=counts, by_tier=[(t, by_tier.get(t, 0)) for t in TIERS],
                           income=income_summary(year, tier_labels=TIER_LABELS), year=year)


@bp.route("/tiers", methods=["GET", "POST"])
def tier_weights():
    form = TierWeightsForm(data=tiers.current_weights())
    save = lambda: tiers.set_weights(current_user, {t: int(round(getattr(form, t).data * 1000)) for t in TIERS})  # noqa: E731
    return form_page(form, save, "county/tiers.html", url_for("county.tier_weights"))
