"""Campaigns with chosen packages (ordinary or adoption), paid pledges and declared capacity, for these tests."""

from datetime import timedelta
from itertools import count
from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import (
    Campaign, CampaignPackage, CampaignStateChange, DeliveryAddress, Household, Package, PackageItem, Pledge, ProduceItem,
)
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from courtyard.services.supply import supply
from tests.support.campaigns import NOW

_seq = count(1)


def item(app, name, price_fen=1500, unit="只"):
    """A produce item by name, created once."""
    with app.app_context():
        found = db.session.query(ProduceItem).filter_by(name=name).one_or_none()
        if found is None:
            found = ProduceItem(name=name, category="poultry", unit=unit, price_fen=price_fen)
            db.session.add(found)
            db.session.commit()
        return found.id


def campaign(app, offers, state="open", around=NOW):
    """An open campaign offering ``offers``: ``[(kind, {item_id: quantity}, cap)]``, from 10 days before
    ``around`` to 10 days after; returns ids by position."""
    with app.app_context():
        made = []
        for kind, contents, cap in offers:
            package = Package(name=f"套餐{next(_seq)}", price_fen=20000, kind=kind,
                              lines=[PackageItem(item_id=i, quantity=q) for i, q in contents.items()])
            made.append(CampaignPackage(package=package, price_fen=20000, cap=cap, sold=0))
        c = Campaign(title=f"年货{next(_seq)}", story="", mode="flexible", goal_kind="packages", goal_value=5,
                     opens_at=around - timedelta(days=10), closes_at=around + timedelta(days=10), state=state, offers=made,
                     changes=[CampaignStateChange(from_state=None, to_state=state, at=around - timedelta(days=10))])
        db.session.add(c)
        db.session.commit()
        return SimpleNamespace(id=c.id, offer_ids=[o.id for o in c.offers], package_ids=[o.package_id for o in c.offers])


def paid_pledge(app, unit, campaign_id, quantities, now=NOW):
    """A pledge of ``{offer_id: quantity}`` paid by transfer; returns its id."""
    with app.app_context():
        address = db.session.query(DeliveryAddress).filter_by(unit_id=unit.id).first()
        if address is None:
            address = DeliveryAddress(unit_id=unit.id, label="食堂", address="县城路1号")
            db.session.add(address)
            db.session.commit()
        pledge = pledges.create_pledge(None, unit.id, campaign_id, [LineInput(o, address.id, q) for o, q in quantities.items()],
                                       "transfer", now)
        pledges.record_transfer(None, db.session.get(Pledge, pledge.id), pledge.total_fen, "B1", now, now)
        return pledge.id


def declare(app, campaign_id, capacities):
    """Record ``{(household_id, item_id): units}``."""
    with app.app_context():
        for (household_id, item_id), units in capacities.items():
            supply.record(None, db.session.get(Household, household_id), campaign_id, item_id, units, NOW)
        db.session.commit()


def offer_caps(app, offer_ids):
    with app.app_context():
        return [db.session.get(CampaignPackage, o).declared_cap for o in offer_ids]
