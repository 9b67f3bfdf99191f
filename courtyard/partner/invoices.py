"""A partner unit's invoices: what it asked for, what was issued (to download) and what was reversed."""

from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import joinedload

from courtyard.shared_pages import invoices as invoice_pages
from courtyard.models import Invoice
from courtyard.web.paging import page_of
from courtyard.partner import bp
from courtyard.services.money import invoices as documents

invoice_pages.register(bp)


@bp.route("/invoices")
def invoice_list():
    page = page_of(documents.invoices_of_unit(current_user.partner_unit_id).options(joinedload(Invoice.pledge)))
    return render_template("partner/invoices.html", page=page)
