"""Paying households what they are owed: one by one, or everything owed in a village as a batch.

A payout can never exceed what is owed: the household's row is locked (PostgreSQL), the payout
written, and the balance checked again inside the same transaction before it commits.
"""

import secrets
import time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import events as message_events
from courtyard.models import PAYOUT_METHODS, Household, LedgerTransaction, PayoutBatch
from courtyard.services.money.ledger import Leg, check_not_overpaid, lock_households, owed_by_campaign, owed_in_village, post
from courtyard.services.operations import audit
from courtyard.text.formatting import fen

WRITE_RETRIES = 8


def _retrying(write):
    """SQLite lets one writer in at a time; a writer that finds the database busy tries again."""
    for attempt in range(WRITE_RETRIES):
        try:
            return write()
        except OperationalError as error:
            db.session.rollback()
            if "locked" not in str(error) and "busy" not in str(error).lower() or attempt == WRITE_RETRIES - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
        except DomainError:
            db.session.rollback()
            raise


def _check(household, amount_fen, method, reference):
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise DomainError(_l("The amount must be more than zero."), "amount")
    if method not in PAYOUT_METHODS:
        raise DomainError(_l("Choose bank transfer or cash."), "method")
    if method == "bank" and not household.bank_card_last4:
        raise DomainError(_l("This household has no bank card on record; pay in cash or add the card first."), "method")
    if len((reference or "").strip()) > 60:
        raise DomainError(_l("The reference is at most 60 characters."), "reference")


def _post_payout(actor, household, amount_fen, method, reference, at, batch=None):
    """Write the payout, oldest campaign's debt first; flushed, not committed."""
    lock_households({household.id})
    legs, left = [], amount_fen
    for campaign_id, owed in owed_by_campaign(household.id).items():
        part = min(owed, left) if owed > 0 else 0
        if part:
            legs += [Leg("household_payable", part, household_id=household.id, campaign_id=campaign_id),
                     Leg("bank", -part, campaign_id=campaign_id)]
            left -= part
    if left:
        owed = sum(v for v in owed_by_campaign(household.id).values())
        raise DomainError(_l("At most %(owed)s is owed to this household.", owed=fen(max(owed, 0))), "amount")
    payout = post("payout", legs, at=at, actor=actor, household_id=household.id, method=method,
                  reference=(reference or "").strip(), batch_id=batch.id if batch else None,
                  source_ref=f"payout:{household.id}:{secrets.token_hex(8)}")
    check_not_overpaid({household.id})
    audit.record(actor, "payout_recorded", "household", household.id, amount_fen=amount_fen, method=method,
                 payout_id=payout.id, batch_id=batch.id if batch else None)
    message_events.payout_made(payout, household, at)
    return payout


def record_payout(actor, household, amount_fen, method, reference, at):
    """Pay one household part or all of what it is owed; committed. Returns the payout transaction."""
    _check(household, amount_fen, method, reference)

    def write():
        payout = _post_payout(actor, household, amount_fen, method, reference, at)
        db.session.commit()
        return payout

    return _retrying(write)


def pay_village(actor, village_id, method, at):
    """Pay every household of the village everything it is owed, as one batch; committed.

    For a bank batch, households without a bank card are left out (pay them in cash). Returns the
    batch, or raises if nobody can be paid.
    """
    if method not in PAYOUT_METHODS:
        raise DomainError(_l("Choose bank transfer or cash."), "method")

    def write():
        owed = owed_in_village(village_id)
        households = db.session.scalars(select(Household).where(Household.id.in_(owed)).order_by(Household.id)).all()
        payable = [h for h in households if owed[h.id] > 0 and (method == "cash" or h.bank_card_last4)]
        if not payable:
            raise DomainError(_l("Nobody in this village can be paid this way: nothing is owed, or no bank card is on record."))
        batch = PayoutBatch(village_id=village_id, method=method, created_by_id=getattr(actor, "id", None), created_at=at,
                            reference=f"PB{at.strftime('%Y%m%d')}{secrets.token_hex(3).upper()}")
        db.session.add(batch)
        db.session.flush()
        for household in payable:
            _post_payout(actor, household, owed[household.id], method, batch.reference, at, batch)
        audit.record(actor, "payout_batch_recorded", "payout_batch", batch.id, households=len(payable),
                     amount_fen=sum(owed[h.id] for h in payable), method=method)
        db.session.commit()
        return batch

    return _retrying(write)


def payouts_of(household_id):
    return db.session.scalars(select(LedgerTransaction).where(
        LedgerTransaction.kind == "payout", LedgerTransaction.household_id == household_id)
        .order_by(LedgerTransaction.occurred_at.desc(), LedgerTransaction.id.desc())).all()
