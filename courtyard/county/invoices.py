"""County pages for invoices: the requests (those waiting longer than ``INVOICE_OVERDUE_DAYS`` apart), issuing
one with its e-invoice file, reversing one (红冲)."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from courtyard.shared_pages import invoices as invoice_pages
from courtyard.county import bp
from courtyard.county.invoice_forms import IssueForm, ReverseForm
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.web.form_pages import attach_error
from courtyard.models import Invoice
from courtyard.models.types import utcnow
from courtyard.web.paging import page_of
from courtyard.services.money import invoices as documents
from courtyard.services.money.invoice_files import stored_invoice_file

SHOWN = ("waiting", "overdue", "issued", "reversed", "all")

invoice_pages.register(bp)


@bp.route("/invoices")
def invoice_list():
    show = request.args.get("show") if request.args.get("show") in SHOWN else "waiting"
    days, now = current_app.config["INVOICE_OVERDUE_DAYS"], utcnow()
    page = page_of(documents.county_list(show, now, days).options(joinedload(Invoice.unit), joinedload(Invoice.pledge)))
    return render_template("county/invoices.html", page=page, show=show, days=days, now=now)


@bp.route("/invoices/<int:invoice_id>", methods=["GET", "POST"])
def invoice_detail(invoice_id):
    invoice = db.get_or_404(Invoice, invoice_id)
    issue = IssueForm(prefix="issue", data={"amount": invoice.amount_fen})
    reverse = ReverseForm(prefix="reverse")
    action, now = request.form.get("action"), utcnow()
    form = issue if action == "issue" else reverse
    if request.method == "POST" and form.validate_on_submit():
        try:
            if action == "issue":
                with stored_invoice_file(issue.file.data) as (name, kind):
                    documents.issue_invoice(current_user, invoice, issue.number.data, issue.issued_on.data,
                                            issue.amount.data, name, kind, now)
                    db.session.commit()
                flash(_("Invoice issued; the unit is told and can download it."), "success")
            else:
                documents.reverse_invoice(current_user, invoice, reverse.red_number.data, reverse.reason.data, now)
                db.session.commit()
                flash(_("Invoice reversed; the unit is told."), "success")
            return redirect(url_for("county.invoice_detail", invoice_id=invoice.id))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
    status = 422 if request.method == "POST" else 200
    return render_template("county/invoice.html", invoice=invoice, issue=issue, reverse=reverse), status
