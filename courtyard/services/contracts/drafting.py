"""The county drafts a purchase contract: buyer, seller, product, season, quantities, floor price, term, place.

A draft is checked field by field (a :class:`DomainError` names the field) and gets a number
(``HT-<year>-<id>``). Services flush; the caller commits.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Cooperative, Household, PartnerUnit, ProduceItem, PurchaseContract
from courtyard.services.operations import audit

MAX_UNITS = 100_000
MAX_FLOOR_FEN = 1_000_000


@dataclass
class ContractTerms:
    item_id: int
    season: str
    min_units: int
    max_units: int
    floor_price_fen: int
    starts_on: date
    ends_on: date
    delivery_place: str
    household_id: int | None = None
    cooperative_id: int | None = None
    unit_id: int | None = None  # None: the county buys
    every_days: int | None = None
    units_each_time: int | None = None


def _whole(value, low, high, field):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DomainError(_l("Enter a whole number from %(low)s to %(high)s.", low=low, high=high), field)


def _check(terms):
    if (terms.household_id is None) == (terms.cooperative_id is None):
        raise DomainError(_l("Choose either a household or a cooperative as the seller."), "seller")
    if terms.household_id is not None and db.session.get(Household, terms.household_id) is None:
        raise DomainError(_l("Choose a household from the list."), "seller")
    if terms.cooperative_id is not None and db.session.get(Cooperative, terms.cooperative_id) is None:
        raise DomainError(_l("Choose a cooperative from the list."), "seller")
    if terms.unit_id is not None and db.session.get(PartnerUnit, terms.unit_id) is None:
        raise DomainError(_l("Choose a unit from the list."), "buyer")
    if db.session.get(ProduceItem, terms.item_id) is None:
        raise DomainError(_l("Choose an item from the list."), "item")
    if not (terms.season or "").strip():
        raise DomainError(_l("Name the season, for example 2026 秋."), "season")
    _whole(terms.min_units, 0, MAX_UNITS, "min_units")
    _whole(terms.max_units, max(terms.min_units, 1), MAX_UNITS, "max_units")
    _whole(terms.floor_price_fen, 1, MAX_FLOOR_FEN, "floor_price")
    if terms.every_days is not None:
        _whole(terms.every_days, 1, 366, "every_days")
    if terms.units_each_time is not None:
        _whole(terms.units_each_time, 1, terms.max_units, "units_each_time")
    if terms.starts_on is None or terms.ends_on is None or terms.ends_on < terms.starts_on:
        raise DomainError(_l("The term must end on or after the day it starts."), "ends_on")
    if not (terms.delivery_place or "").strip():
        raise DomainError(_l("Say where the goods are delivered."), "delivery_place")


def draft(actor, terms, now):
    """A new draft contract with ``terms``; flushed."""
    _check(terms)
    contract = PurchaseContract(
        number=f"HT-{now.year}-{now.strftime('%m%d%H%M%S%f')}", unit_id=terms.unit_id, household_id=terms.household_id,
        cooperative_id=terms.cooperative_id, item_id=terms.item_id, season=terms.season.strip()[:40],
        min_units=terms.min_units, max_units=terms.max_units, every_days=terms.every_days,
        units_each_time=terms.units_each_time, floor_price_fen=terms.floor_price_fen, starts_on=terms.starts_on,
        ends_on=terms.ends_on, delivery_place=terms.delivery_place.strip()[:120], state="draft",
        created_by_id=getattr(actor, "id", None), created_at=now)
    db.session.add(contract)
    db.session.flush()
    contract.number = f"HT-{now.year}-{contract.id:05d}"
    audit.record(actor, "contract_drafted", "purchase_contract", contract.id, number=contract.number)
    db.session.flush()
    return contract
