from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select

from courtyard.access import team_village_id
from courtyard.extensions import db
from courtyard.localtime import local_today, period_of
from courtyard.models import TIERS, Household, User
from courtyard.models.types import utcnow
from courtyard.services.money.income import income_summary
from courtyard.text.display_names import TIER_LABELS
from courtyard.team import bp


@bp.route("/")
def home():
    village = current_user.work_team.village
    year = period_of("year", local_today(utcnow()))
    counts = dict(
        db.session.execute(
            select(Household.tier, func.count(Household.id))
            .where(Household.village_id == team_village_id(), Household.active.is_(True))
            .group_by(Household.tier)
        ).all()
    )
    with_login = db.session.scalar(
        select(func.count(User.id)).join(Household, User.household_id == Household.id)
        .where(Household.village_id == team_village_id(), User.active.is_(True))
    )
    return render_template("team/home.html", village=village, by_tier=[(t, counts.get(t, 0)) for t in TIERS],
                           total=sum(counts.values()), with_login=with_login, year=year,
                           income=income_summary(year, village_id=team_village_id(), tier_labels=TIER_LABELS))
