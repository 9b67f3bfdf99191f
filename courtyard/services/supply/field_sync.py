"""Collection-day changes sent from phones that recorded them offline: each applied once, in order.

A change says what one household brought of one item (units accepted, units rejected, why) and when
the phone recorded it. Its id, made on the phone, is the idempotency key: a change sent twice is
answered from the :class:`FieldChange` row kept the first time. Conflicts are answered in words:

- the collection was closed before the change arrived: nothing is recorded, the change is kept;
- another member already recorded the same household and item differently: the later recording wins
  (the earlier one is reversed in the ledger), both are logged and both are shown.

:func:`apply_changes` takes the changes in the order the phone sent them (oldest first).

Checkpoints: each change is applied and kept in a transaction of its own (:func:`checkpoint`), so a
change refused or sent twice at once rolls back only itself and the ones before it stay recorded.
"""

from datetime import datetime, timezone
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import (
    AllocationLine, CollectionRecord, DeliveryRound, FieldChange, Household, LedgerTransaction, User,
)
from courtyard.services.money import ledger
from courtyard.services.operations import audit
from courtyard.services.supply import collection, collection_shortfall
from courtyard.services.operations.checkpoint import checkpoint

MAX_BATCH = 500


class Change(NamedTuple):
    """One change as the phone sent it, checked for shape."""

    change_id: str
    round_id: int
    household_id: int
    item_id: int
    accepted: int
    rejected: int
    reason: str
    made_at: datetime


class ChangeResult(NamedTuple):
    """What became of a change, for the phone to show."""

    change_id: str
    outcome: str
    message: str
    other: dict | None  # the other member's recording, in a conflict
    reallocated: bool = False  # units this household did not bring went to others: the sheet's figures changed


def _whole(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= collection.MAX_UNITS:
        raise DomainError(_("Enter a whole number of units from 0 to %(n)s.", n=collection.MAX_UNITS))
    return value


def parse_changes(payload):
    """The ``changes`` list of a sync request as :class:`Change` tuples; a malformed one is a DomainError."""
    changes = payload.get("changes") if isinstance(payload, dict) else None
    if not isinstance(changes, list) or len(changes) > MAX_BATCH:
        raise DomainError(_("Send a list of at most %(n)s changes.", n=MAX_BATCH))
    parsed = []
    for raw in changes:
        try:
            change_id = str(raw["id"]).strip()
            made_at = datetime.fromisoformat(str(raw["made_at"]).replace("Z", "+00:00"))
            ids = [int(raw[k]) for k in ("round_id", "household_id", "item_id")]
        except (KeyError, TypeError, ValueError):
            raise DomainError(_("A change from the phone could not be read.")) from None
        if not 8 <= len(change_id) <= 64 or made_at.tzinfo is None:
            raise DomainError(_("A change from the phone could not be read."))
        parsed.append(Change(change_id, *ids, _whole(raw.get("accepted")), _whole(raw.get("rejected", 0)),
                             str(raw.get("reason") or "").strip()[:500], made_at.astimezone(timezone.utc)))
    return parsed


def _stored(row, other=None):
    return ChangeResult(row.change_id, row.outcome, row.message, other)


def _recording(record, made_at, who):
    return {"accepted": record.units_accepted, "rejected": record.units_rejected, "reason": record.reject_reason,
            "made_at": made_at.isoformat(), "by": who}


def _last_made_at(record):
    """When the phone made the recording that stands (or when the server saved it, for a plain form)."""
    row = db.session.scalar(select(FieldChange).where(
        FieldChange.record_id == record.id, FieldChange.outcome.in_(("applied", "replaced")))
        .order_by(FieldChange.id.desc()).limit(1))
    if row is not None:
        return row.made_at, row.user
    return record.recorded_at, db.session.get(User, record.recorded_by_id) if record.recorded_by_id else None


def _closed(round_, village_id):
    day = collection.collection_day(round_.id, village_id)
    return round_.state != "allocated" or day is None or day.finished_at is not None


def _replace(actor, round_, record, change, now):
    """Make the later recording stand: reverse the earlier one's ledger posting, post the new one."""
    run = collection.round_run(round_.id, record.household.village_id)
    line = db.session.scalar(select(AllocationLine).where(
        AllocationLine.run_id == run.id, AllocationLine.household_id == record.household_id,
        AllocationLine.item_id == record.item_id))
    if change.accepted > line.units:
        raise DomainError(_("The units this household did not bring were already given to other households."))
    if change.rejected and not change.reason:
        raise DomainError(_("Say why units were rejected."))
    posted = next((t for t in db.session.scalars(select(LedgerTransaction).where(
        LedgerTransaction.kind == "goods_accepted", or_(LedgerTransaction.source_ref == f"collection:{record.id}",
                                                   LedgerTransaction.source_ref.like(f"collection:{record.id}:%")))
        .order_by(LedgerTransaction.id.desc())) if t.reversed_by is None), None)
    if posted is not None:
        fee = ledger.find(f"{posted.source_ref}:fee")
        if fee is not None and fee.reversed_by is None:  # the fee first, so the household is never owed less than nothing
            ledger.reverse(actor, fee, _("A later recording of the same household replaced this one."), now)
        ledger.reverse(actor, posted, _("A later recording of the same household replaced this one."), now)
    record.units_accepted, record.units_rejected = change.accepted, change.rejected
    record.reject_reason = change.reason if change.rejected else ""
    record.recorded_by_id, record.recorded_at = getattr(actor, "id", None), now
    if change.accepted:
        collection.post_accepted(actor, round_.campaign_id, record.household_id, record.item_id, change.accepted,
                                 record.unit_price_fen, now, f"collection:{record.id}:{change.change_id}")
    if change.accepted < line.units:
        why = change.reason or _("Brought %(accepted)s of %(allocated)s units on collection day.",
                                 accepted=change.accepted, allocated=line.units)
        collection_shortfall.confirm(actor, run, record.household_id, record.item_id, change.accepted, why, now)


def _conflict(actor, round_, record, change, now):
    """Another member recorded this household and item differently: keep the later; returns (outcome, message, other)."""
    earlier_at, earlier_by = _last_made_at(record)
    other = _recording(record, earlier_at, earlier_by.display_name if earlier_by else "")
    if change.made_at > earlier_at:
        try:
            _replace(actor, round_, record, change, now)
        except DomainError as error:
            db.session.rollback()
            return "kept_other", _("Another member recorded this household too, and yours could not replace it: %(why)s",
                                   why=error.message), other
        return "replaced", _("Another member recorded this household too. Yours is later, so yours is kept; "
                             "both are in the log."), other
    return "kept_other", _("Another member recorded this household later. Theirs is kept; both are in the log."), other


def _apply_one(actor, village_id, change, now):
    round_ = db.session.get(DeliveryRound, change.round_id)
    household = db.session.get(Household, change.household_id)
    row = FieldChange(change_id=change.change_id, user_id=getattr(actor, "id", None), round_id=round_.id,
                      household_id=household.id, item_id=change.item_id, accepted=change.accepted,
                      rejected=change.rejected, reason=change.reason, made_at=change.made_at, received_at=now,
                      outcome="applied", message="")
    other, allocated = None, _allocated_units(round_, household, change.item_id)
    record = db.session.scalar(select(CollectionRecord).where(
        CollectionRecord.round_id == round_.id, CollectionRecord.household_id == household.id,
        CollectionRecord.item_id == change.item_id))
    if _closed(round_, village_id):
        row.outcome = "closed"
        row.message = _("The collection of this round was closed before this change arrived, so it was not recorded. "
                        "It is kept; tell the county office.")
    elif record is not None and (record.units_accepted, record.units_rejected) == (change.accepted, change.rejected):
        row.outcome, row.record_id = "same", record.id
        row.message = _("Already recorded the same way.")
    elif record is not None:
        row.outcome, row.message, other = _conflict(actor, round_, record, change, now)
        row.record_id = record.id
        audit.record(actor, "field_change_conflict", "collection_record", record.id, change_id=change.change_id,
                     kept=row.outcome, theirs=other, yours={"accepted": change.accepted, "rejected": change.rejected,
                                                           "reason": change.reason, "made_at": change.made_at.isoformat()})
    else:
        db.session.add(row)
        try:
            goods = collection.record_collection(actor, round_, household.id, change.item_id, change.accepted,
                                                 change.rejected, change.reason, now)
        except DomainError as error:
            db.session.rollback()
            row = FieldChange(**{c: getattr(row, c) for c in _COLUMNS}, outcome="refused", message=str(error.message))
        else:
            row.record_id = goods.record_id
            checkpoint()  # this change, on its own
            return _stored(row)._replace(reallocated=change.accepted < allocated)
    db.session.add(row)
    checkpoint()  # this change, on its own
    return _stored(row, other)._replace(reallocated=row.outcome == "replaced" and change.accepted < allocated)


def _allocated_units(round_, household, item_id):
    run = collection.round_run(round_.id, household.village_id)
    if run is None:
        return 0
    return db.session.scalar(select(AllocationLine.units).where(
        AllocationLine.run_id == run.id, AllocationLine.household_id == household.id,
        AllocationLine.item_id == item_id)) or 0


_COLUMNS = ("change_id", "user_id", "round_id", "household_id", "item_id", "accepted", "rejected", "reason",
            "made_at", "received_at")


def apply_changes(actor, village_id, changes, now):
    """Apply ``changes`` (:class:`Change`, in the phone's order) once each; returns a :class:`ChangeResult` per change.

    The caller has checked that every change's round and household belong to ``village_id``.
    """
    results = []
    for change in changes:
        seen = db.session.scalar(select(FieldChange).where(FieldChange.change_id == change.change_id))
        if seen is not None:
            results.append(_stored(seen))
            continue
        try:
            results.append(_apply_one(actor, village_id, change, now))
        except IntegrityError:  # the same change arrived twice at once: the other request applied it
            db.session.rollback()
            results.append(_stored(db.session.scalar(select(FieldChange).where(FieldChange.change_id == change.change_id))))
    return results
