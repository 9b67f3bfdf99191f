"""What every role's dashboard shares: the filter form in the query string, and sending a table's export."""

from flask import Response, abort, current_app, render_template, request, stream_with_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from wtforms import SelectField

from courtyard.exports.dashboard_tables import csv_stream, xlsx_bytes
from courtyard.extensions import db
from courtyard.models import Campaign, Township, Village
from courtyard.services.dashboards.dashboard_county import DASHBOARD_CAMPAIGN_STATES, DashboardFilters, county_dashboard
from courtyard.shared_pages.statements import XLSX, PeriodForm, chosen_period
from courtyard.text.display_names import TIER_LABELS
from courtyard.web.long_select import LongSelect
from courtyard.web.short_cache import remembered


def _id_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class DashboardFilterForm(PeriodForm):
    """Period, township, village and campaign; choices are filled in from the database by the view."""

    township = SelectField(_l("Township"), coerce=_id_or_none, choices=[], widget=LongSelect())
    village = SelectField(_l("Village"), coerce=_id_or_none, choices=[], widget=LongSelect())
    campaign = SelectField(_l("Campaign"), coerce=_id_or_none, choices=[], widget=LongSelect())


def _choices(rows):
    return [(None, _l("All"))] + [(row_id, label) for row_id, label in rows]


def county_filters(now, *, village_id=None):
    """The filters asked for in the query string and their form, errors shown next to the fields.

    A value that is not one of the choices (a village that does not exist, text for an id) is reported
    on its field and left out of the filters. With ``village_id`` (a work team) the place is fixed.
    """
    period, period_form = chosen_period(now)
    form = DashboardFilterForm(request.args)
    form.period.errors, form.start.errors, form.end.errors = (
        period_form.period.errors, period_form.start.errors, period_form.end.errors)
    form.campaign.choices = _choices(db.session.execute(
        select(Campaign.id, Campaign.title).where(Campaign.state.in_(DASHBOARD_CAMPAIGN_STATES))
        .order_by(Campaign.opens_at.desc(), Campaign.id)).all())
    if village_id is None:
        form.township.choices = _choices(db.session.execute(select(Township.id, Township.name)
                                                            .order_by(Township.name)).all())
        form.village.choices = _choices(db.session.execute(
            select(Village.id, Township.name + " " + Village.name).join(Township)
            .order_by(Township.name, Village.name)).all())
    chosen = {}
    for field in (form.campaign,) if village_id else (form.township, form.village, form.campaign):
        field.errors = []
        try:
            value = field.coerce(request.args.get(field.name)) if request.args.get(field.name) else None
        except ValueError:
            value = None
            field.errors = [str(_l("Not a valid choice."))]
        if value is not None and value not in {c[0] for c in field.choices}:
            field.errors, value = [str(_l("Not a valid choice."))], None
        field.data = value
        chosen[field.name] = value
    filters = DashboardFilters(period=period, township_id=chosen.get("township"),
                               village_id=village_id or chosen.get("village"), campaign_id=chosen.get("campaign"))
    return filters, form


def send_table(table, fmt, stem, period):
    """A table as a CSV (streamed) or XLSX download named after it and the period."""
    name = f"{stem}-{table.name}-{period.start:%Y%m%d}-{period.last_day:%Y%m%d}.{fmt}"
    headers = {"Content-Disposition": f"attachment; filename={name}"}
    if fmt == "csv":
        return Response(stream_with_context(csv_stream(table)), mimetype="text/csv; charset=utf-8", headers=headers)
    return Response(xlsx_bytes(table), mimetype=XLSX, headers=headers)


def table_or_404(tables, name):
    if name not in tables:
        abort(404)
    return tables[name]


def query_string():
    """The filters' query string, to carry them into the export links."""
    return request.query_string.decode()


def recent_county_dashboard(filters, now, query):
    """The dashboard's figures for ``filters`` and their part of the page (drawn from ``dashboards/_figures.html``),
    computed at most ``DASHBOARD_CACHE_SECONDS`` ago in this process (the page shows when: ``drawn_at``).

    The kept part holds no one's session or form token, only figures and links, so any county user may be
    shown it; with 300 villages it is most of the page's drawing time.
    """
    def draw():
        figures = county_dashboard(filters, now, tier_labels=TIER_LABELS)
        body = render_template("dashboards/_figures.html", d=figures, query=query, show_money=True,
                               export_endpoint="county.dashboard_table", tables=("campaigns", "villages", "tiers"))
        return figures, Markup(body)

    return remembered("county_dashboard", (filters, str(get_locale()), query),
                      current_app.config["DASHBOARD_CACHE_SECONDS"], draw)
