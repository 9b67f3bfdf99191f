"""The household's own money: what it earned, was paid and is owed, line by line, and as a PDF."""

from flask import current_app, render_template, request
from flask_login import current_user

from courtyard.access import household_in_scope
from courtyard.household import bp
from courtyard.models.types import utcnow
from courtyard.services.money.statements import statement_data
from courtyard.shared_pages.statements import chosen_period, export, export_period
from courtyard.web.paging import page_of_list


@bp.route("/statement")
def statement():
    household = household_in_scope(current_user.household_id)
    period, form = chosen_period(utcnow())
    statement = statement_data(household, period)
    return render_template("household/statement.html", household=household, form=form, statement=statement,
                           lines_page=page_of_list(statement.lines), query=request.query_string.decode())


@bp.route("/statement.pdf")
def statement_pdf():
    household = household_in_scope(current_user.household_id)
    now = utcnow()
    period = export_period(now)
    return export([statement_data(household, period)], period, "pdf", "statement", current_app.config["COUNTY_NAME"], now)
