"""The work team's dashboard: the county's figures for its own village only."""

from flask import render_template

from courtyard.access import team_village_id
from courtyard.exports.dashboard_tables import county_tables
from courtyard.models.types import utcnow
from courtyard.services.dashboards.dashboard_county import county_dashboard
from courtyard.shared_pages.dashboards import county_filters, query_string, send_table, table_or_404
from courtyard.text.display_names import TIER_LABELS
from courtyard.team import bp

TEAM_TABLES = ("campaigns", "tiers")  # villages are the county's view


@bp.route("/dashboard")
def dashboard():
    now = utcnow()
    filters, form = county_filters(now, village_id=team_village_id())
    return render_template("team/dashboard.html", d=county_dashboard(filters, now, tier_labels=TIER_LABELS),
                           form=form, query=query_string(), export_endpoint="team.dashboard_table",
                           tables=TEAM_TABLES, show_money=False)


@bp.route("/dashboard/<table>.<any(csv, xlsx):ext>")
def dashboard_table(table, ext):
    now = utcnow()
    filters, _form = county_filters(now, village_id=team_village_id())
    tables = county_tables(county_dashboard(filters, now, tier_labels=TIER_LABELS))
    return send_table(table_or_404({name: tables[name] for name in TEAM_TABLES}, table), ext, "village", filters.period)
