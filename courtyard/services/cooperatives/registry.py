"""The county registers cooperatives (合作社 / 网店 / 家庭农场), their member households and their users.

Services flush; the caller (form page, CLI, demo) commits.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.text.identifiers import is_mobile_phone, normalize_digits
from courtyard.models import COOPERATIVE_KINDS, FEE_KINDS, Cooperative, CooperativeMember, Household, Township
from courtyard.services.operations import audit

MAX_SHARES = 1000
MAX_FEE_PERMILLE = 300  # a fee of at most 30 % of the price
MAX_FEE_PER_UNIT_FEN = 100_000


@dataclass
class CooperativeDetails:
    name: str
    kind: str
    township_id: int
    legal_person: str
    licence_number: str
    contact_phone: str = ""
    bank_account: str = ""
    fee_kind: str = "none"
    fee_value: int = 0


def _check(details, cooperative_id):
    name, licence = details.name.strip(), details.licence_number.strip().upper()
    if not name:
        raise DomainError(_l("Give the cooperative's name."), "name")
    if details.kind not in COOPERATIVE_KINDS:
        raise DomainError(_l("Choose a kind from the list."), "kind")
    if db.session.get(Township, details.township_id) is None:
        raise DomainError(_l("Choose a township from the list."), "township")
    if not details.legal_person.strip():
        raise DomainError(_l("Give the legal person's name."), "legal_person")
    if not licence or len(licence) > 40:
        raise DomainError(_l("Give the business licence number (at most 40 characters)."), "licence_number")
    for column, value, field, message in (
            (Cooperative.name, name, "name", _l("A cooperative of this name is registered.")),
            (Cooperative.licence_number, licence, "licence_number", _l("A cooperative with this licence is registered."))):
        query = select(Cooperative.id).where(column == value)
        if cooperative_id:
            query = query.where(Cooperative.id != cooperative_id)
        if db.session.scalar(query):
            raise DomainError(message, field)
    phone = normalize_digits(details.contact_phone or "")
    if phone and not is_mobile_phone(phone):
        raise DomainError(_l("Enter an 11-digit mobile number."), "contact_phone")
    account = normalize_digits(details.bank_account or "")
    if account and not 8 <= len(account) <= 30:
        raise DomainError(_l("A bank account number has 8 to 30 digits."), "bank_account")
    if details.fee_kind not in FEE_KINDS:
        raise DomainError(_l("Choose how the fee is counted."), "fee_kind")
    top = {"none": 0, "percent": MAX_FEE_PERMILLE, "per_unit": MAX_FEE_PER_UNIT_FEN}[details.fee_kind]
    value = details.fee_value or 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise DomainError(_l("Enter a fee from 0 to %(n)s.", n=top), "fee_value")
    return name, licence, phone, account, value


def save_cooperative(actor, details, cooperative=None):
    """Register a cooperative, or change one's details and fee terms; flushed, not committed."""
    name, licence, phone, account, fee_value = _check(details, cooperative.id if cooperative else None)
    cooperative = cooperative or Cooperative()
    cooperative.name, cooperative.kind, cooperative.township_id = name, details.kind, details.township_id
    cooperative.legal_person, cooperative.licence_number = details.legal_person.strip(), licence
    cooperative.contact_phone, cooperative.fee_kind, cooperative.fee_value = phone, details.fee_kind, fee_value
    if account:
        cooperative.bank_account, cooperative.bank_account_last4 = account, account[-4:]
    db.session.add(cooperative)
    db.session.flush()
    audit.record(actor, "cooperative_saved", "cooperative", cooperative.id, name=name, fee_kind=details.fee_kind,
                 fee_value=fee_value)
    return cooperative


def add_member(actor, cooperative, household_id, shares=1):
    """A household supplies through the cooperative from now on, with ``shares``; flushed."""
    household = db.session.get(Household, household_id)
    if household is None or not household.active:
        raise DomainError(_l("Choose an active household."), "household")
    if isinstance(shares, bool) or not isinstance(shares, int) or not 1 <= shares <= MAX_SHARES:
        raise DomainError(_l("Enter a whole number of shares from 1 to %(n)s.", n=MAX_SHARES), "shares")
    existing = db.session.scalar(select(CooperativeMember).where(CooperativeMember.household_id == household_id))
    if existing is not None and existing.cooperative_id != cooperative.id:
        raise DomainError(_l("This household already supplies through another cooperative."), "household")
    member = existing or CooperativeMember(cooperative_id=cooperative.id, household_id=household_id)
    member.shares = shares
    db.session.add(member)
    db.session.flush()
    audit.record(actor, "cooperative_member_saved", "cooperative", cooperative.id, household_id=household_id,
                 shares=shares)
    return member


def remove_member(actor, cooperative, household_id):
    """The household no longer supplies through the cooperative (declarations already split stay); flushed."""
    member = db.session.scalar(select(CooperativeMember).where(
        CooperativeMember.cooperative_id == cooperative.id, CooperativeMember.household_id == household_id))
    if member is None:
        raise DomainError(_l("This household is not a member."), "household")
    db.session.delete(member)
    audit.record(actor, "cooperative_member_removed", "cooperative", cooperative.id, household_id=household_id)
    db.session.flush()


def cooperative_of(household_id):
    """The cooperative a household supplies through, or None."""
    return db.session.scalar(select(Cooperative).join(CooperativeMember).where(
        CooperativeMember.household_id == household_id))
