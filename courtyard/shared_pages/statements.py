"""What every role's statement pages share: choosing the period, and sending the exports."""

from datetime import date

from flask import Response, abort, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from courtyard.exports.statement import render_statements_csv, render_statements_pdf, render_statements_xlsx
from courtyard.localtime import LOCAL_ZONE, local_today, period_of
from courtyard.text.display_names import PERIOD_LABELS
from courtyard.web.form_fields import options

MAX_CUSTOM_DAYS = 3 * 366
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)  # year 1 or 9999 would overflow the time zone sums
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(FlaskForm):
    """The period of a statement, sent in the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), choices=options(PERIOD_LABELS.items()), default="year")
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()], description=_l("Only for dates of your choice."))


def chosen_period(now):
    """The period asked for in the query string (this year by default) and its form, with errors shown."""
    form = PeriodForm(request.args)
    today = local_today(now)
    if not form.validate():
        return period_of("year", today), form
    for field in (form.start, form.end):
        if field.data and not EARLIEST <= field.data <= LATEST:
            field.errors = [*field.errors, str(_l("Choose a date from %(first)s to %(last)s.", first=EARLIEST.year,
                                                   last=LATEST.year))]
            return period_of("year", today), form
    start = form.start.data or today
    if form.period.data == "custom":
        end = form.end.data or today
        if end < start:
            form.end.errors = [str(_l("The end date is before the start date."))]
            return period_of("year", today), form
        if (end - start).days > MAX_CUSTOM_DAYS:
            form.end.errors = [str(_l("Choose at most three years."))]
            return period_of("year", today), form
        return period_of("custom", start, end), form
    return period_of(form.period.data, start), form


def export_period(now):
    """The period of a download: a bad one answers 400 with the reason, never a file for another period."""
    period, form = chosen_period(now)
    errors = [error for field in (form.period, form.start, form.end) for error in field.errors]
    if errors:
        abort(400, description=str(errors[0]))
    return period


def _name(period, stem):
    return f"{stem}-{period.start:%Y%m%d}-{period.last_day:%Y%m%d}"


def export(statements, period, fmt, stem, county, now):
    """The statements as a PDF, CSV or XLSX download."""
    name = _name(period, stem)
    if fmt == "pdf":
        body, mimetype = render_statements_pdf(statements, county, now.astimezone(LOCAL_ZONE)), "application/pdf"
    elif fmt == "csv":
        body, mimetype = render_statements_csv(statements), "text/csv; charset=utf-8"
    else:
        body, mimetype = render_statements_xlsx(statements), XLSX
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"})

