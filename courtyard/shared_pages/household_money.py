"""The household money page that the work team and the county share: statement, payouts, reversals;
and the bank file of a payout batch, which both send.

Each blueprint registers the three views under its own name with ``register(bp)``; scope checks come
from ``courtyard.access`` (a team sees its village only, the county every household).
"""

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from courtyard.access import household_in_scope, payout_batch_in_scope, payout_in_scope
from courtyard.errors import DomainError
from courtyard.exports.payouts import render_bank_csv, render_voucher_pdf, voucher_data
from courtyard.extensions import db
from courtyard.models.types import utcnow
from courtyard.services.money import ledger, payouts
from courtyard.services.money.statements import statement_data
from courtyard.services.operations import audit
from courtyard.services.places.households import load_bank_cards
from courtyard.shared_pages.statements import chosen_period
from courtyard.text.display_names import PAYOUT_METHOD_LABELS
from courtyard.text.formatting import fen
from courtyard.web.form_fields import MoneyField, options
from courtyard.web.form_pages import attach_error
from courtyard.web.paging import page_of_list

REQUIRED = _l("This field is required.")


class PayoutForm(FlaskForm):
    amount = MoneyField(_l("Amount (yuan)"), validators=[DataRequired(REQUIRED)], render_kw={"inputmode": "decimal"})
    method = SelectField(_l("Paid by"), choices=options(PAYOUT_METHOD_LABELS.items()), validators=[DataRequired(REQUIRED)])
    reference = StringField(_l("Bank reference or receipt number"), validators=[Length(max=60)])


class ReverseForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Give the reason for the reversal.")), Length(max=500)])


def household_money_page(household_id):
    household = household_in_scope(household_id)
    bp = request.blueprint
    form = PayoutForm()
    if form.validate_on_submit():
        try:
            payout = payouts.record_payout(current_user, household, form.amount.data, form.method.data,
                                           form.reference.data or "", utcnow())
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Payout of %(amount)s recorded.", amount=fen(payout.amount_fen)), "success")
            return redirect(url_for(f"{bp}.household_money_page", household_id=household.id))
    period, period_form = chosen_period(utcnow())
    statement = statement_data(household, period)
    return render_template("statements/household_money.html", bp=bp, household=household, form=form,
                           period_form=period_form, statement=statement, lines_page=page_of_list(statement.lines),
                           owed=ledger.owed_fen(household.id), payouts=payouts.payouts_of(household.id),
                           reverse_form=ReverseForm(), query=request.query_string.decode()), 422 if form.errors else 200


def payout_reverse(payout_id):
    payout = payout_in_scope(payout_id)
    form = ReverseForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the reversal."), "error")
    else:
        try:
            ledger.reverse(current_user, payout, form.reason.data, utcnow())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Payout reversed; the household is owed the amount again."), "success")
    return redirect(url_for(f"{request.blueprint}.household_money_page", household_id=payout.household_id))


def payout_voucher(payout_id):
    payout = payout_in_scope(payout_id)
    body = render_voucher_pdf(voucher_data(payout, current_app.config["COUNTY_NAME"]))
    return current_app.response_class(body, mimetype="application/pdf",
                                      headers={"Content-Disposition": f"inline; filename=payout-{payout.id}.pdf"})


def register(bp):
    bp.add_url_rule("/households/<int:household_id>/money", view_func=household_money_page, methods=["GET", "POST"])
    bp.add_url_rule("/payouts/<int:payout_id>/reverse", view_func=payout_reverse, methods=["POST"])
    bp.add_url_rule("/payouts/<int:payout_id>/voucher.pdf", view_func=payout_voucher)


def bank_file(batch_id):
    """A payout batch's bank file: full card numbers, decrypted only here, and the export is audited."""
    batch = payout_batch_in_scope(batch_id)
    load_bank_cards(payout.household_id for payout in batch.payouts)
    body = render_bank_csv(batch)
    audit.record(current_user, "bank_file_exported", "payout_batch", batch.id, payouts=len(batch.payouts))
    db.session.commit()
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=payouts-{batch.reference}.csv"})
