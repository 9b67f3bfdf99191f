"""An invoice's life: asked for by the unit (requested), issued by the county's finance staff with its number,
date, amount and e-invoice file (issued), reversed with the red-letter invoice (红冲) when a refund after
issuing needs it (reversed). Each change is one function here, checked against the transition table; the
unit is told of issuing and reversing. Services flush; the page commits.
"""

import re
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.text.formatting import fen
from courtyard.models import INVOICE_TRANSITIONS, Invoice
from courtyard.messages.pledge_letters import notify
from courtyard.services.operations import audit

NUMBER = re.compile(r"^\d{8,20}$")  # 8 digits (paper and older e-invoices) to 20 (全电发票)


def _move(invoice, to_state):
    if to_state not in INVOICE_TRANSITIONS[invoice.state]:
        raise DomainError({"issued": _l("Only an invoice asked for and not yet issued can be issued."),
                           "reversed": _l("Only an issued invoice can be reversed.")}[to_state])
    invoice.state = to_state


def request_invoice(actor, pledge, title, tax_number, now):
    """The unit asks for an invoice for its paid pledge, for what it paid and was not refunded."""
    if pledge.state != "paid":
        raise DomainError(_l("An invoice can be asked for once the pledge is paid."))
    if pledge.invoice is not None:
        raise DomainError(_l("An invoice for this pledge is asked for or issued already."))
    amount = pledge.total_fen - pledge.refunded_fen
    if amount <= 0:
        raise DomainError(_l("This pledge was refunded in full; there is nothing to invoice."))
    invoice = Invoice(pledge=pledge, unit_id=pledge.unit_id, state="requested", title=title.strip(),
                      tax_number=tax_number.strip().upper(), amount_fen=amount, requested_at=now,
                      requested_by_id=getattr(actor, "id", None))
    db.session.add(invoice)
    db.session.flush()
    audit.record(actor, "invoice_requested", "invoice", invoice.id, pledge_id=pledge.id, title=invoice.title)
    return invoice


def issue_invoice(actor, invoice, number, issued_on, amount_fen, file_name, file_kind, now):
    """Finance issued the invoice in the tax system: its number, date, amount and the e-invoice file."""
    number = (number or "").strip()
    if not NUMBER.match(number):
        raise DomainError(_l("An invoice number has 8 to 20 digits."), "number")
    if db.session.scalar(select(Invoice.id).where(Invoice.number == number, Invoice.id != invoice.id)):
        raise DomainError(_l("Another invoice has this number."), "number")
    paid = invoice.pledge.total_fen - invoice.pledge.refunded_fen
    if not 0 < amount_fen <= paid:
        raise DomainError(_l("The amount is more than zero and at most what the unit paid and kept: %(paid)s.",
                             paid=fen(paid)), "amount")
    _move(invoice, "issued")
    invoice.number, invoice.issued_on, invoice.amount_fen = number, issued_on, amount_fen
    invoice.file_name, invoice.file_kind = file_name, file_kind
    invoice.issued_at, invoice.issued_by_id = now, getattr(actor, "id", None)
    db.session.flush()
    audit.record(actor, "invoice_issued", "invoice", invoice.id, pledge_id=invoice.pledge_id, number=number,
                 amount_fen=amount_fen)
    notify("invoice_issued", invoice.pledge, invoice=invoice, now=now)
    return invoice


def reverse_invoice(actor, invoice, red_number, reason, now):
    """The invoice was reversed in the tax system (红冲) with a red-letter invoice; a new one may then be asked for."""
    red_number, reason = (red_number or "").strip(), " ".join((reason or "").split())
    if not NUMBER.match(red_number):
        raise DomainError(_l("An invoice number has 8 to 20 digits."), "red_number")
    if red_number == invoice.number:
        raise DomainError(_l("The red-letter invoice has a number of its own."), "red_number")
    if not reason:
        raise DomainError(_l("Say why, for the unit and the audit log."), "reason")
    _move(invoice, "reversed")
    invoice.red_number, invoice.reversal_reason = red_number, reason[:255]
    invoice.reversed_at, invoice.reversed_by_id = now, getattr(actor, "id", None)
    db.session.flush()
    audit.record(actor, "invoice_reversed", "invoice", invoice.id, pledge_id=invoice.pledge_id, red_number=red_number,
                 reason=invoice.reversal_reason)
    notify("invoice_reversed", invoice.pledge, invoice=invoice, now=now)
    return invoice


def county_list(show, now, overdue_days):
    """The county's list, newest asked first: ``waiting`` (asked for), ``overdue`` (asked for more than
    ``overdue_days`` ago), ``issued``, ``reversed`` or ``all``."""
    query = select(Invoice)
    if show in ("waiting", "overdue"):
        query = query.where(Invoice.state == "requested")
    elif show in ("issued", "reversed"):
        query = query.where(Invoice.state == show)
    if show == "overdue":
        query = query.where(Invoice.requested_at <= now - timedelta(days=overdue_days))
    return query.order_by(Invoice.requested_at.desc(), Invoice.id.desc())


def invoices_of_unit(unit_id):
    """A unit's invoices, newest asked first."""
    return select(Invoice).where(Invoice.unit_id == unit_id).order_by(Invoice.requested_at.desc(), Invoice.id.desc())
