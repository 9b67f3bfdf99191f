"""A purchase contract's states and the one function per transition that every path calls.

draft → signed (the signed scan is uploaded) → active → fulfilled, or ended early with a reason
from signed or active. Each transition is audited; services flush, the caller commits.
"""

from flask_babel import lazy_gettext as _l

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.services.operations import audit

TRANSITIONS = {
    "draft": ("signed",),
    "signed": ("active", "ended"),
    "active": ("fulfilled", "ended"),
    "fulfilled": (),
    "ended": (),
}


def _move(actor, contract, to, now, **detail):
    if to not in TRANSITIONS[contract.state]:
        raise DomainError(_l("This contract cannot go from %(state)s to %(to)s.", state=contract.state, to=to))
    before = contract.state
    contract.state, contract.changed_at = to, now
    audit.record(actor, "contract_" + to, "purchase_contract", contract.id, before=before, **detail)
    db.session.flush()
    return contract


def sign(actor, contract, scan_name, now):
    """Both parties signed: the scan of the signed paper (already stored) is kept with the contract."""
    if not scan_name:
        raise DomainError(_l("Upload the scan of the signed contract."), "scan")
    contract.scan = scan_name
    return _move(actor, contract, "signed", now, scan=scan_name)


def activate(actor, contract, now):
    """The contract takes effect: its floor price applies to allocations from now on."""
    return _move(actor, contract, "active", now)


def fulfil(actor, contract, now):
    return _move(actor, contract, "fulfilled", now)


def end_early(actor, contract, reason, now):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason for ending the contract early."), "reason")
    contract.end_reason = reason
    return _move(actor, contract, "ended", now, reason=reason)
