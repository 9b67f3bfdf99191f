"""The page that reverses a household's accepted goods or hosting fee, shared by the work team (its village)
and the county (every village): a required reason, then the effect on the household's statement, then
the confirmed reversal. ``register(bp)`` adds it to a blueprint under that blueprint's name."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from courtyard.access import earning_in_scope
from courtyard.errors import DomainError
from courtyard.models.types import utcnow
from courtyard.services.money import ledger_reversals
from courtyard.web.form_pages import attach_error


class LineReversalForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Give the reason for the reversal.")), Length(max=500)])
    confirmed = HiddenField()


def ledger_reverse(transaction_id):
    """GET: the line and a reason; POST: the effect on the statement; POST confirmed: the reversal."""
    earning = earning_in_scope(transaction_id)
    bp, form = request.blueprint, LineReversalForm()
    effect = ledger_reversals.effect(earning)
    shown = form.validate_on_submit()
    if shown and form.confirmed.data == "yes":
        try:
            ledger_reversals.reverse_line(current_user, earning, form.reason.data, utcnow())
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Reversed; the household's statement shows the correction."), "success")
            return redirect(url_for(f"{bp}.household_money_page", household_id=earning.household_id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("statements/line_reverse.html", bp=bp, earning=earning, form=form, effect=effect,
                           preview=shown and not form.form_errors), status


def register(bp):
    bp.add_url_rule("/ledger/<int:transaction_id>/reverse", view_func=ledger_reverse, methods=["GET", "POST"])
