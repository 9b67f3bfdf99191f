"""Pledging: a partner unit orders packages in an open campaign, within stock, limits and budget."""

import secrets
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages.pledge_letters import notify
from courtyard.models import (
    HOLDING_STATES, PAYMENT_METHODS, BankTransfer, Campaign, CardPayment, DeliveryAddress, PartnerUnit, Pledge, PledgeLine,
)
from courtyard.services.campaigns import stock
from courtyard.services.campaigns.campaigns import accepts_pledges
from courtyard.services.money.budgets import budget_of
from courtyard.services.operations import audit
from courtyard.services.pledges import pledge_states
from courtyard.services.pledges.transfer_holds import check_open_transfers
from courtyard.text.formatting import fen

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
WRITE_RETRIES = 8
CARD_ABANDONED_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class LineInput:
    offer_id: int
    address_id: int
    quantity: int


def new_reference():
    """A short code for receipts and bank transfers, without look-alike characters."""
    return "CY" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def create_pledge(actor, unit_id, campaign_id, lines, method, now):
    """Create a pledge holding stock; card pledges wait for payment, transfers for the money to arrive.

    On SQLite a concurrent writer may make the transaction fail to start writing; it is retried.
    """
    for attempt in range(WRITE_RETRIES):
        try:
            return _create_pledge(actor, unit_id, campaign_id, lines, method, now)
        except OperationalError as error:
            db.session.rollback()
            if "locked" not in str(error) and "busy" not in str(error).lower() or attempt == WRITE_RETRIES - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
        except IntegrityError as error:  # the sold <= cap constraint, or a reference clash
            db.session.rollback()
            if attempt == WRITE_RETRIES - 1:
                raise DomainError(_l("Those packages have just sold out."), "lines") from error
        except DomainError:
            db.session.rollback()
            raise


def _create_pledge(actor, unit_id, campaign_id, lines, method, now):
    if method not in PAYMENT_METHODS:
        raise DomainError(_l("Choose card or bank transfer."), "method")
    unit = db.session.scalar(select(PartnerUnit).where(PartnerUnit.id == unit_id).with_for_update())
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not accepts_pledges(campaign, now):
        raise DomainError(_l("This campaign is not taking pledges now."))
    merged = _merge(lines)
    if not merged:
        raise DomainError(_l("Choose at least one package."), "lines")
    offers = {o.id: o for o in campaign.offers if o.active}
    addresses = {a.id: a for a in db.session.scalars(select(DeliveryAddress).where(
        DeliveryAddress.unit_id == unit.id, DeliveryAddress.active.is_(True)))}
    for line in merged:
        if line.offer_id not in offers:
            raise DomainError(_l("Choose packages offered in this campaign."), "lines")
        if line.address_id not in addresses:
            raise DomainError(_l("Choose one of your unit's delivery addresses."), "lines")
        if line.quantity <= 0 or line.quantity > 10000:
            raise DomainError(_l("Each quantity is from 1 to 10000."), "lines")
    _check_limits(campaign, unit, merged)
    if method == "transfer":
        check_open_transfers(unit.id, campaign.id)
    total = sum(line.quantity * offers[line.offer_id].price_fen for line in merged)
    budget = budget_of(unit, now)
    if total > budget.remaining_fen and not unit.allow_over_budget:
        raise DomainError(_l("This pledge costs %(total)s but only %(left)s of your unit's budget is left this year.",
                             total=fen(total), left=fen(max(budget.remaining_fen, 0))), "lines")
    quantities = defaultdict(int)
    for line in merged:
        quantities[line.offer_id] += line.quantity
    stock.reserve(dict(quantities))
    pledge = Pledge(
        campaign_id=campaign.id, unit_id=unit.id, user_id=getattr(actor, "id", None), method=method,
        state="payment_pending" if method == "card" else "awaiting_transfer", total_fen=total, refunded_fen=0,
        reference=new_reference(), created_at=now, over_budget_allowed=total > budget.remaining_fen,
        transfer_due_at=now + timedelta(days=campaign.transfer_grace_days) if method == "transfer" else None,
        lines=[PledgeLine(offer_id=l.offer_id, address_id=l.address_id, quantity=l.quantity,
                          unit_price_fen=offers[l.offer_id].price_fen) for l in merged],
    )
    db.session.add(pledge)
    db.session.flush()
    audit.record(actor, "pledge_created", "pledge", pledge.id, total_fen=total, method=method)
    if method == "transfer":
        notify("pledge_awaiting_transfer", pledge)
    db.session.commit()
    return pledge


def _merge(lines):
    totals = defaultdict(int)
    for line in lines:
        if line.quantity:
            totals[(line.offer_id, line.address_id)] += line.quantity
    return [LineInput(offer_id, address_id, quantity) for (offer_id, address_id), quantity in sorted(totals.items())]


def _held_quantity(campaign, *conditions):
    return db.session.scalar(
        select(func.coalesce(func.sum(PledgeLine.quantity), 0)).join(Pledge)
        .where(Pledge.campaign_id == campaign.id, Pledge.state.in_(HOLDING_STATES), *conditions)
    )


def _check_limits(campaign, unit, lines):
    if campaign.limit_per_unit:
        held = _held_quantity(campaign, Pledge.unit_id == unit.id)
        if held + sum(l.quantity for l in lines) > campaign.limit_per_unit:
            raise DomainError(_l("Each unit may pledge at most %(n)s packages in this campaign; yours has %(held)s.",
                                 n=campaign.limit_per_unit, held=held), "lines")
    if campaign.limit_per_address:
        per_address = defaultdict(int)
        for line in lines:
            per_address[line.address_id] += line.quantity
        for address_id, quantity in per_address.items():
            held = _held_quantity(campaign, PledgeLine.address_id == address_id)
            if held + quantity > campaign.limit_per_address:
                raise DomainError(_l("Each delivery address may receive at most %(n)s packages in this campaign.",
                                     n=campaign.limit_per_address), "lines")


def record_transfer(actor, pledge, amount_fen, bank_reference, received_on, now):
    """The county records a bank transfer for a pledge: it must match the amount due."""
    if pledge.state != "awaiting_transfer":
        raise DomainError(_l("This pledge is not waiting for a transfer."))
    if amount_fen != pledge.total_fen:
        raise DomainError(_l("The transfer must be exactly %(total)s; record a different amount with the bank first.",
                             total=fen(pledge.total_fen)), "amount")
    db.session.add(BankTransfer(pledge_id=pledge.id, amount_fen=amount_fen, bank_reference=bank_reference.strip(),
                                received_on=received_on, recorded_by_id=getattr(actor, "id", None), recorded_at=now))
    pledge_states.mark_paid(pledge, now, via="transfer", actor=actor, received_on=received_on, amount_fen=amount_fen,
                            bank_reference=bank_reference)
    db.session.commit()


def expire_unpaid(now, *, card_abandoned_after=CARD_ABANDONED_AFTER):
    """Give back the packages of pledges nobody paid; safe to run twice. Returns how many expired.

    Transfers not received by their due time expire, and so do card pledges whose card was never
    submitted (no card payment started) within ``card_abandoned_after``.
    """
    transfers = select(Pledge).where(Pledge.state == "awaiting_transfer", Pledge.transfer_due_at <= now)
    abandoned = select(Pledge).where(
        Pledge.state == "payment_pending", Pledge.method == "card", Pledge.created_at <= now - card_abandoned_after,
        ~select(CardPayment.id).where(CardPayment.pledge_id == Pledge.id).exists())
    due = db.session.scalars(transfers).all() + db.session.scalars(abandoned).all()
    for pledge in due:
        pledge_states.mark_expired(pledge)
    db.session.commit()
    return len(due)


def request_invoice(actor, pledge, title, tax_number, now):
    if pledge.state != "paid":
        raise DomainError(_l("An invoice can be asked for once the pledge is paid."))
    if pledge.invoice_issued_at:
        raise DomainError(_l("The invoice has already been issued."))
    pledge.invoice_title, pledge.invoice_tax_number, pledge.invoice_requested_at = title.strip(), tax_number.strip().upper(), now
    audit.record(actor, "invoice_requested", "pledge", pledge.id, title=pledge.invoice_title)
    db.session.commit()


def mark_invoice_issued(actor, pledge, now):
    if not pledge.invoice_requested_at:
        raise DomainError(_l("No invoice was asked for."))
    pledge.invoice_issued_at = now
    audit.record(actor, "invoice_issued", "pledge", pledge.id)
    notify("invoice_issued", pledge)
    db.session.commit()


def add_address(actor, unit, label, address, contact_name="", contact_phone=""):
    if not label.strip() or not address.strip():
        raise DomainError(_l("Give the address a name and the address itself."), "label")
    entry = DeliveryAddress(unit_id=unit.id, label=label.strip(), address=address.strip(),
                            contact_name=contact_name.strip(), contact_phone=contact_phone.strip(), active=True)
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "address_added", "delivery_address", entry.id)
    db.session.commit()
    return entry

