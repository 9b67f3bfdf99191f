from flask import render_template
from flask_login import current_user

from courtyard.access import team_village_id
from courtyard.localtime import local_today, period_of
from courtyard.models import TIERS
from courtyard.models.types import utcnow
from courtyard.services.money.income import income_summary
from courtyard.text.display_names import TIER_LABELS
from courtyard.team import bp
from courtyard.services.places import households


@bp.route("/")
def home():
    village = current_user.work_team.village
    year = period_of("year", local_today(utcnow()))
    counts = households.active_by_tier(team_village_id())
    with_login = households.with_login(team_village_id())
    return render_template("team/home.html", village=village, by_tier=[(t, counts.get(t, 0)) for t in TIERS],
                           total=sum(counts.values()), with_login=with_login, year=year,
                           income=income_summary(year, village_id=team_village_id(), tier_labels=TIER_LABELS))
