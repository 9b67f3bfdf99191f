"""The county's dashboard, its tables' exports and the monthly report."""

from datetime import date, timedelta

from flask import Response, abort, current_app, render_template
from flask_login import current_user

from courtyard.localtime import local_today
from courtyard.county import bp
from courtyard.exports.county_report import monthly_report_data, render_monthly_report_pdf
from courtyard.exports.dashboard_tables import county_tables
from courtyard.extensions import db
from courtyard.models.types import utcnow
from courtyard.services.dashboards.dashboard_county import county_dashboard
from courtyard.services.operations import audit
from courtyard.shared_pages.dashboards import county_filters, query_string, recent_county_dashboard, send_table, table_or_404
from courtyard.text.display_names import TIER_LABELS


@bp.route("/dashboard")
def dashboard():
    now = utcnow()
    filters, form = county_filters(now)
    query = query_string()
    figures, body = recent_county_dashboard(filters, now, query)
    return render_template("county/dashboard.html", d=figures, body=body, form=form, query=query,
                           report_months=report_months(filters, now))


def report_months(filters, now):
    """The months offered as one-click reports: last month, this month, and a month being looked at."""
    this_month = local_today(now).replace(day=1)
    months = [(this_month - timedelta(days=1)).replace(day=1), this_month]
    if filters.period.kind == "month" and filters.period.start not in months:
        months.append(filters.period.start)
    return months


@bp.route("/dashboard/<table>.<any(csv, xlsx):ext>")
def dashboard_table(table, ext):
    now = utcnow()
    filters, _form = county_filters(now)
    tables = county_tables(county_dashboard(filters, now, tier_labels=TIER_LABELS))
    return send_table(table_or_404(tables, table), ext, "county", filters.period)


@bp.route("/reports/<int(fixed_digits=4):year>-<int(fixed_digits=2):month>.pdf")
def monthly_report(year, month):
    """The one-click monthly report for a calendar month (Asia/Shanghai)."""
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        abort(404)
    now = utcnow()
    body = render_monthly_report_pdf(monthly_report_data(date(year, month, 1), now), current_app.config["COUNTY_NAME"])
    audit.record(current_user, "monthly_report_printed", "county", None, month=f"{year:04d}-{month:02d}")
    db.session.commit()
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=county-report-{year:04d}-{month:02d}.pdf"})
