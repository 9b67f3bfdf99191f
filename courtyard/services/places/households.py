"""Registering households: create, edit, deactivate and reactivate, with checks and audit."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, undefer

from courtyard.errors import DomainError
from courtyard.exports.cells import FORMULA_STARTS
from courtyard.extensions import db
from courtyard.models import TIERS, CapacityDeclaration, Household
from courtyard.models import User, Village
from courtyard.models.types import blind_index
from courtyard.services.operations import audit
from courtyard.services.supply import supply_caps
from courtyard.text.identifiers import is_bank_card, is_mobile_phone, is_resident_id, normalize_digits


@dataclass
class HouseholdData:
    """What a work team records for a household; ``None`` for a sensitive number keeps the stored one."""

    head_name: str
    tier: str
    member_count: int = 1
    members: str = ""
    phone: str = ""
    id_number: str | None = None
    bank_card: str | None = None
    notes: str = ""


def check(data, household_id=None):
    """Normalise and check the data; returns a list of (field, message) problems."""
    problems = []
    data.head_name = (data.head_name or "").strip()
    data.phone = normalize_digits(data.phone)
    if not data.head_name or len(data.head_name) > 40:
        problems.append(("head_name", _l("Enter the head of household's name (at most 40 characters).")))
    elif data.head_name.startswith(FORMULA_STARTS):  # a spreadsheet would run it as a formula
        problems.append(("head_name", _l("A name cannot start with = + - or @.")))
    if data.tier not in TIERS:
        problems.append(("tier", _l("Choose poor, monitored or lifted.")))
    if not isinstance(data.member_count, int) or not 1 <= data.member_count <= 30:
        problems.append(("member_count", _l("Enter the number of people, from 1 to 30.")))
    if data.phone and not is_mobile_phone(data.phone):
        problems.append(("phone", _l("Enter an 11-digit mobile number starting with 1.")))
    elif data.phone and _taken(Household.phone, data.phone, household_id):
        problems.append(("phone", _l("Another household already has this phone number.")))
    if data.id_number:
        data.id_number = normalize_digits(data.id_number)
        if not is_resident_id(data.id_number):
            problems.append(("id_number", _l("This is not a valid 18-character resident ID number.")))
        elif _taken(Household.id_number_index, blind_index(data.id_number), household_id):
            problems.append(("id_number", _l("Another household already has this ID number.")))
    if data.bank_card:
        data.bank_card = normalize_digits(data.bank_card)
        if not is_bank_card(data.bank_card):
            problems.append(("bank_card", _l("A bank card number has 12 to 19 digits.")))
    return problems


def _taken(column, value, household_id):
    query = select(Household.id).where(column == value)
    if household_id:
        query = query.where(Household.id != household_id)
    return db.session.scalar(query) is not None


def apply_data(household, data):
    household.head_name = data.head_name
    household.tier = data.tier
    household.member_count = data.member_count
    household.members = (data.members or "").strip()
    household.phone = data.phone or None
    household.notes = (data.notes or "").strip()
    if data.id_number:
        household.id_number = data.id_number
        household.id_number_index = blind_index(data.id_number)
        household.id_number_last4 = data.id_number[-4:]
    if data.bank_card:
        household.bank_card = data.bank_card
        household.bank_card_last4 = data.bank_card[-4:]
    if household.account is not None and household.phone:
        household.account.login = household.phone
        household.account.display_name = household.head_name


def _raise_first(problems):
    if problems:
        field, message = problems[0]
        raise DomainError(message, field)


def _summary(household):
    return {"head_name": household.head_name, "tier": household.tier, "member_count": household.member_count,
            "phone": household.phone, "id_last4": household.id_number_last4, "card_last4": household.bank_card_last4}


def create(actor, village_id, data):
    """Add a household to the village."""
    _raise_first(check(data))
    household = Household(village_id=village_id, active=True)
    apply_data(household, data)
    db.session.add(household)
    db.session.flush()
    audit.record(actor, "household_created", "household", household.id, after=_summary(household))
    db.session.flush()
    return household


def update(actor, household, data):
    """Change a household's record; a household with a login must keep a phone number."""
    problems = check(data, household.id)
    if household.account is not None and not data.phone:
        problems.append(("phone", _l("This household logs in with its phone number; it cannot be removed.")))
    _raise_first(problems)
    before = _summary(household)
    apply_data(household, data)
    audit.record(actor, "household_updated", "household", household.id, before=before, after=_summary(household))
    db.session.flush()
    return household


def set_active(actor, household, active):
    """Deactivate (keeps the record and history, closes the login) or reactivate.

    Only active households' declarations count, so what the household's open rounds may sell follows.
    """
    household.active = active
    if household.account is not None:
        household.account.active = active
        if not active:
            household.account.end_sessions()
    db.session.flush()
    for campaign_id in sorted(set(db.session.scalars(select(CapacityDeclaration.campaign_id).where(
            CapacityDeclaration.household_id == household.id)))):
        supply_caps.refresh(campaign_id)
    audit.record(actor, "household_reactivated" if active else "household_deactivated", "household", household.id)
    db.session.flush()


def load_bank_cards(household_ids):
    """Load the households with their bank card numbers (deferred everywhere else), in one query: for the bank file."""
    return db.session.scalars(select(Household).where(Household.id.in_(set(household_ids)))
                              .options(undefer(Household.bank_card))).all()


def active_by_tier(village_id=None):
    """{tier: number of active households}, in the village or (None) the whole county."""
    query = select(Household.tier, func.count(Household.id)).where(Household.active.is_(True))
    if village_id is not None:
        query = query.where(Household.village_id == village_id)
    return dict(db.session.execute(query.group_by(Household.tier)).all())


def with_login(village_id):
    """How many of the village's households have a working login."""
    return db.session.scalar(select(func.count(User.id)).join(Household, User.household_id == Household.id)
                             .where(Household.village_id == village_id, User.active.is_(True)))


def of_village(village_id, *, active_only=False, with_place=False):
    """The village's households (only the active ones with ``active_only``) by name; ``with_place`` loads
    their village and township with them."""
    query = select(Household).where(Household.village_id == village_id).order_by(Household.head_name, Household.id)
    if active_only:
        query = query.where(Household.active.is_(True))
    if with_place:
        query = query.options(joinedload(Household.village).joinedload(Village.township))
    return db.session.scalars(query).all()


def by_ids(household_ids):
    """These households, by name."""
    return db.session.scalars(select(Household).where(Household.id.in_(list(household_ids)))
                              .order_by(Household.head_name, Household.id)).all()


def ids_of_village(village_id):
    """A subquery of the village's household ids (to narrow another query to one village)."""
    return select(Household.id).where(Household.village_id == village_id)
