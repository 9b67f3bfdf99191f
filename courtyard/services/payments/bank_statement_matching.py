"""Matching a bank statement's credits to the pledges waiting for their transfer, and resolving each line.

A credit whose memo names a waiting pledge (its reference, e.g. ``CY7KQ2M9XA``) with the pledge's exact
amount is ``matched``; the county confirms those in one step, and each is recorded as that pledge's bank
transfer exactly as when it is typed in by hand (:func:`courtyard.services.pledges.pledges.record_transfer`:
paid, ledger, audit, the unit told). The rest are matched by hand or set aside with a note. A line already kept
(same fingerprint) is never recorded again, so uploading a file twice, or one that overlaps, changes nothing.
Services flush; the page commits.
"""

import re
from collections import Counter
from datetime import datetime, time, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import OPEN_LINE_STATES, Pledge, StatementImport, StatementLine
from courtyard.services.operations import audit
from courtyard.services.payments.bank_statement_reading import read_credits
from courtyard.services.pledges import pledges
from courtyard.text.formatting import fen

REFERENCE = re.compile(r"CY[%s]{8}" % pledges.REFERENCE_ALPHABET)
CLAIMING_STATES = ("matched", "confirmed")  # a line in these states speaks for its pledge
CHUNK = 500


class NothingNew(Exception):
    """Every credit of the file was recorded by an earlier upload; nothing was written."""

    def __init__(self, credit_count):
        super().__init__(f"{credit_count} lines seen before")
        self.credit_count = credit_count


def references_in(memo):
    """The distinct pledge references in a memo, read without spaces, dashes or case."""
    squeezed = re.sub(r"[\s\-_]", "", memo or "").upper()
    return sorted(set(REFERENCE.findall(squeezed)))


def import_statement(actor, filename, stream, layout, now):
    """Read the file, keep its new credits each with what it matches; returns the :class:`StatementImport`.

    All or nothing: a bad row refuses the file (ImportRejected); a file with nothing new raises NothingNew."""
    credits = read_credits(filename, stream, layout)
    known = set()
    prints = [c.fingerprint for c in credits]
    for start in range(0, len(prints), CHUNK):
        known.update(db.session.scalars(select(StatementLine.fingerprint).where(
            StatementLine.fingerprint.in_(prints[start:start + CHUNK]))))
    fresh = [c for c in credits if c.fingerprint not in known]
    if not fresh:
        raise NothingNew(len(credits))
    statement = StatementImport(filename=(filename or "")[:255], preset_name=layout.name,
                                uploaded_by_id=getattr(actor, "id", None), uploaded_at=now,
                                credit_count=len(credits), new_count=len(fresh))
    db.session.add(statement)
    db.session.flush()
    try:
        with db.session.begin_nested():  # another upload of the same lines at the same moment: refused whole
            _keep_lines(statement, fresh)
    except IntegrityError as error:
        raise DomainError(_l("Another upload recorded some of these lines just now. Upload the file again."),
                          "file") from error
    audit.record(actor, "bank_statement_imported", "statement_import", statement.id, file=statement.filename,
                 layout=layout.name, credits=len(credits), new=len(fresh))
    return statement


def _keep_lines(statement, fresh):
    named = _pledges_named(fresh)
    claimed = _claimed_pledges([p.id for p in named.values()])
    for credit in fresh:
        state, pledge, note = _classify(credit.amount_fen, references_in(credit.memo), named, claimed)
        if state == "matched":
            claimed[pledge.id] = credit.row
        db.session.add(StatementLine(
            import_id=statement.id, row_number=credit.row, fingerprint=credit.fingerprint, booked_on=credit.booked_on,
            amount_fen=credit.amount_fen, payer_name=credit.payer_name, payer_account=credit.payer_account,
            memo=credit.memo, bank_serial=credit.serial, state=state, pledge_id=pledge.id if pledge else None,
            note=str(note)[:255]))
    db.session.flush()


def _pledges_named(credits):
    references = sorted({r for c in credits for r in references_in(c.memo)})
    found = {}
    for start in range(0, len(references), CHUNK):
        found.update({p.reference: p for p in db.session.scalars(select(Pledge).where(
            Pledge.reference.in_(references[start:start + CHUNK])))})
    return found


def _claimed_pledges(pledge_ids):
    """{pledge id: row} of pledges a kept line already matches or confirmed."""
    claimed = {}
    for start in range(0, len(pledge_ids), CHUNK):
        claimed.update(db.session.execute(select(StatementLine.pledge_id, StatementLine.row_number).where(
            StatementLine.pledge_id.in_(pledge_ids[start:start + CHUNK]),
            StatementLine.state.in_(CLAIMING_STATES))).tuples().all())
    return claimed


def _classify(amount_fen, references, named, claimed):
    """(state, pledge or None, note) of a credit."""
    if not references:
        return "unknown_reference", None, _l("No pledge reference in the memo.")
    if len(references) > 1:
        return "unknown_reference", None, _l("The memo names several pledges: %(refs)s", refs="、".join(references))
    pledge = named.get(references[0])
    if pledge is None:
        return "unknown_reference", None, _l("%(ref)s is not a pledge reference.", ref=references[0])
    if pledge.state == "paid" or pledge.id in claimed:
        return "duplicate", pledge, _l("Pledge %(ref)s is paid already or matched by another line.", ref=pledge.reference)
    if pledge.state != "awaiting_transfer":
        return "unknown_reference", pledge, _l("Pledge %(ref)s is not waiting for a transfer.", ref=pledge.reference)
    if amount_fen != pledge.total_fen:
        return "amount_differs", pledge, _l("The pledge is %(total)s.", total=fen(pledge.total_fen))
    return "matched", pledge, ""


def _received_at(line):
    """Noon, China time, of the day the bank booked the credit."""
    return datetime.combine(line.booked_on, time(12), LOCAL_ZONE).astimezone(timezone.utc)


def _record(actor, line, pledge, now, action):
    transfer = pledges.record_transfer(actor, pledge, line.amount_fen,
                                      line.bank_serial or f"对账单{line.import_id}-{line.row_number}", _received_at(line), now)
    line.state, line.pledge_id, line.bank_transfer_id = "confirmed", pledge.id, transfer.id
    line.resolved_by_id, line.resolved_at = getattr(actor, "id", None), now
    audit.record(actor, action, "statement_line", line.id, pledge_id=pledge.id, amount_fen=line.amount_fen)


def confirm_matched(actor, statement, now):
    """Record every matched line of the upload as its pledge's transfer; returns (confirmed, no longer matching).

    A pledge paid or expired since the upload is not recorded: its line becomes a duplicate or unknown."""
    lines = db.session.scalars(select(StatementLine).where(
        StatementLine.import_id == statement.id, StatementLine.state == "matched").order_by(StatementLine.row_number)
        .with_for_update()).all()
    if not lines:
        raise DomainError(_l("No matched lines are waiting to be confirmed."))
    confirmed = changed = 0
    for line in lines:
        pledge = db.session.get(Pledge, line.pledge_id, with_for_update=True)
        state, _, note = _classify(line.amount_fen, [pledge.reference], {pledge.reference: pledge}, {})
        if state != "matched":
            line.state, line.note = state, str(note)[:255]
            changed += 1
            continue
        _record(actor, line, pledge, now, "statement_line_confirmed")
        confirmed += 1
    return confirmed, changed


def match_by_hand(actor, line, reference, now):
    """Record an open line as the transfer of the pledge the county picked (by its reference)."""
    if line.state not in OPEN_LINE_STATES:
        raise DomainError(_l("This line is dealt with already."))
    refs = references_in(reference)
    pledge = db.session.scalar(select(Pledge).where(Pledge.reference == refs[0]).with_for_update()) if refs else None
    if pledge is None:
        raise DomainError(_l("Choose a pledge: no pledge has this reference."), "reference")
    if pledge.state != "awaiting_transfer":
        raise DomainError(_l("Pledge %(ref)s is not waiting for a transfer.", ref=pledge.reference), "reference")
    if line.amount_fen != pledge.total_fen:
        raise DomainError(_l("This credit is %(amount)s but pledge %(ref)s is %(total)s; only an exact amount is "
                             "recorded. Set the line aside and settle the difference with the unit.",
                             amount=fen(line.amount_fen), ref=pledge.reference, total=fen(pledge.total_fen)), "reference")
    other = db.session.scalar(select(StatementLine).where(
        StatementLine.pledge_id == pledge.id, StatementLine.state == "matched", StatementLine.id != line.id))
    if other is not None:
        raise DomainError(_l("Line %(row)s of upload %(upload)s matches this pledge already; confirm or set it aside first.",
                             row=other.row_number, upload=other.import_id), "reference")
    _record(actor, line, pledge, now, "statement_line_matched_by_hand")


def set_aside(actor, line, note, now):
    """Close an open line without recording a transfer (returned to the payer, not ours, …), with a note."""
    if line.state not in OPEN_LINE_STATES:
        raise DomainError(_l("This line is dealt with already."))
    note = " ".join((note or "").split())
    if not note:
        raise DomainError(_l("Say what was done with this money."), "note")
    line.state, line.note = "set_aside", note[:255]
    line.resolved_by_id, line.resolved_at = getattr(actor, "id", None), now
    audit.record(actor, "statement_line_set_aside", "statement_line", line.id, note=line.note)


def state_counts(statement_id):
    """{state: lines} of one upload."""
    return Counter(dict(db.session.execute(select(StatementLine.state, func.count()).where(
        StatementLine.import_id == statement_id).group_by(StatementLine.state)).tuples().all()))


def open_counts(statement_ids):
    """{upload id: lines still open} for a page of uploads."""
    if not statement_ids:
        return {}
    return dict(db.session.execute(select(StatementLine.import_id, func.count()).where(
        StatementLine.import_id.in_(statement_ids), StatementLine.state.in_(OPEN_LINE_STATES))
        .group_by(StatementLine.import_id)).tuples().all())


def waiting_pledges_of_amount(amount_fen, limit=50):
    """Pledges waiting for a transfer of exactly this amount, oldest first: the ones to pick from by hand."""
    return db.session.scalars(select(Pledge).where(Pledge.state == "awaiting_transfer", Pledge.total_fen == amount_fen)
                              .order_by(Pledge.created_at, Pledge.id).limit(limit)).all()
