from flask import current_app, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from courtyard.localtime import local_today, period_of
from courtyard.county import bp
from courtyard.county.forms import TierWeightsForm
from courtyard.extensions import db
from courtyard.models import TIERS, Household, Package, PartnerUnit, ProduceItem, Village, WorkTeam
from courtyard.models.types import utcnow
from courtyard.services.allocation import tiers
from courtyard.services.money.income import income_summary
from courtyard.text.display_names import TIER_LABELS
from courtyard.web.form_pages import form_page
from courtyard.web.short_cache import remembered


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
    now = utcnow()
    year = period_of("year", local_today(now))
    income = remembered(  # kept like the dashboard's figures, drawn: 300 villages' worth of a year
        "county_home_income", (year, str(get_locale())), current_app.config["DASHBOARD_CACHE_SECONDS"],
        lambda: Markup(render_template("statements/_income.html", year=year, income_drawn_at=now,
                                       income=income_summary(year, tier_labels=TIER_LABELS))))
    return render_template("county/home.html", counts=counts, by_tier=[(t, by_tier.get(t, 0)) for t in TIERS],
                           income=income)


@bp.route("/tiers", methods=["GET", "POST"])
def tier_weights():
    form = TierWeightsForm(data=tiers.current_weights())
    save = lambda: tiers.set_weights(current_user, {t: int(round(getattr(form, t).data * 1000)) for t in TIERS})  # noqa: E731
    return form_page(form, save, "county/tiers.html", url_for("county.tier_weights"))
