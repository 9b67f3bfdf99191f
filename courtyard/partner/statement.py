"""The partner unit's statement: pledges, payments, refunds and invoices for a period."""

from flask import render_template
from flask_login import current_user

from courtyard.access import unit_in_scope
from courtyard.models.types import utcnow
from courtyard.partner import bp
from courtyard.services.money.unit_statements import unit_statement_data
from courtyard.shared_pages.statements import chosen_period


@bp.route("/statement")
def statement():
    unit = unit_in_scope(current_user.partner_unit_id)
    period, form = chosen_period(utcnow())
    return render_template("partner/statement.html", unit=unit, form=form, statement=unit_statement_data(unit, period))
