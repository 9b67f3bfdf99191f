"""The partner unit's dashboard: what we bought, which households we helped, what they earned from us."""

from flask import render_template
from flask_login import current_user

from courtyard.exports.dashboard_tables import partner_tables
from courtyard.models.types import utcnow
from courtyard.shared_pages.dashboards import query_string, send_table, table_or_404
from courtyard.partner import bp
from courtyard.services.dashboards.dashboard_partner import partner_dashboard
from courtyard.shared_pages.statements import chosen_period


@bp.route("/dashboard")
def dashboard():
    period, form = chosen_period(utcnow())
    return render_template("partner/dashboard.html", d=partner_dashboard(current_user.partner_unit_id, period),
                           form=form, query=query_string())


@bp.route("/dashboard/<table>.<any(csv, xlsx):ext>")
def dashboard_table(table, ext):
    period, _form = chosen_period(utcnow())
    tables = partner_tables(partner_dashboard(current_user.partner_unit_id, period))
    return send_table(table_or_404(tables, table), ext, "unit", period)
