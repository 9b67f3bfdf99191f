"""Building campaigns with packages on offer, units with addresses, for the pledge tests."""

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import (
    Campaign, CampaignPackage, CampaignStateChange, DeliveryAddress, Package, PackageItem, PartnerUnit, ProduceItem,
)

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


def make_campaign(app, *, cap=50, price_fen=16800, mode="all_or_nothing", goal_kind="packages", goal_value=10,
                  state="open", limit_per_unit=None, limit_per_address=None, packages=1, around=NOW):
    """An open campaign (by default) running from 10 days before ``around`` to 10 days after."""
    with app.app_context():
        offers = []
        for n in range(packages):
            item = db.session.query(ProduceItem).filter_by(name=f"土豆{n}").one_or_none() or \
                ProduceItem(name=f"土豆{n}", category="garden", unit="袋", price_fen=1500)
            package = Package(name=f"秋菜套餐{n}-{datetime.now().timestamp()}", price_fen=price_fen,
                              lines=[PackageItem(item=item, quantity=2)])
            offers.append(CampaignPackage(package=package, price_fen=price_fen, cap=cap, sold=0))
        campaign = Campaign(title="2026 囤年货", story="", mode=mode, goal_kind=goal_kind, goal_value=goal_value,
                            opens_at=around - timedelta(days=10), closes_at=around + timedelta(days=10), state=state,
                            limit_per_unit=limit_per_unit, limit_per_address=limit_per_address, offers=offers,
                            changes=[CampaignStateChange(from_state=None, to_state=state, at=around - timedelta(days=10))])
        db.session.add(campaign)
        db.session.commit()
        return SimpleNamespace(id=campaign.id, offer_ids=[o.id for o in campaign.offers])


def make_buyer(app, name=None, budget_fen=10_000_000, addresses=1, email=""):
    with app.app_context():
        unit = PartnerUnit(name=name or f"单位{datetime.now().timestamp()}", kind="government", annual_budget_fen=budget_fen,
                           contact_email=email)
        db.session.add(unit)
        db.session.flush()
        entries = [DeliveryAddress(unit_id=unit.id, label=f"食堂{n}", address=f"县城路{n}号") for n in range(addresses)]
        db.session.add_all(entries)
        db.session.commit()
        return SimpleNamespace(id=unit.id, address_ids=[a.id for a in entries])
