"""The scenario ladder: one season of one village, built stage by stage through the real services.

    campaign → pledged → paid → planned → allocated → collected → packed → delivered

Each stage takes the scene the stage before it returned (a ``SimpleNamespace`` of plain ids and values, no
session held open), does one step of the season as the product would, and returns the same scene grown by
what it added. :class:`Ladder` climbs to any stage with options; ``tests/support/ladder_fixtures.py`` offers a
fixture per stage with the defaults.

The defaults: a flexible campaign offering one package (2 units of one item, ¥168, cap 100) open around
:data:`NOW`; a unit with one address (and a contact mail) that pledges ``boxes=3`` packages by transfer and pays;
a village whose three households (the first with a PIN) declare ``capacities=(4, 4, 4)`` units; a plan of two
delivery dates 14 days apart from :data:`FIRST_DAY`; the first round allocated at its cut-off, everything
brought (``reject`` units of the first household with goods rejected), packed into boxes and delivered.
"""

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import AllocationLine, AllocationRun, CampaignPackage, Delivery, DeliveryRound, Household, Pledge
from courtyard.services.deliveries import deliveries, delivery_rounds, packing
from courtyard.services.pledges import pledges
from courtyard.services.supply import collection, supply
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import NOW, make_buyer, make_campaign

FIRST_DAY = date(2026, 12, 20)
STAGES = ("campaign", "pledged", "paid", "planned", "allocated", "collected", "packed", "delivered")


def open_campaign(app, make, *, capacities=(4, 4, 4), email="canteen@example.cn"):
    """An open flexible campaign, a unit with an address, a village and its households (the first with a PIN)."""
    campaign, unit = make_campaign(app, cap=100, mode="flexible"), make_buyer(app, email=email)
    village = make.village()
    households = [make.household(village, name=f"王秀{n}英", with_pin=n == 0) for n in range(len(capacities))]
    with app.app_context():
        item_id = db.session.get(CampaignPackage, campaign.offer_ids[0]).package.lines[0].item_id
    return SimpleNamespace(campaign_id=campaign.id, offer_id=campaign.offer_ids[0], item_id=item_id, unit_id=unit.id,
                           address_id=unit.address_ids[0], village=village, households=households,
                           capacities=capacities, now=NOW)


def pledge(app, scene, *, boxes=3):
    """The unit pledges ``boxes`` packages to its address, to pay by transfer."""
    with app.app_context():
        made = pledges.create_pledge(None, scene.unit_id, scene.campaign_id,
                                     [LineInput(scene.offer_id, scene.address_id, boxes)], "transfer", NOW)
        db.session.commit()
        scene.pledge_id, scene.boxes = made.id, boxes
    return scene


def pay(app, scene):
    """The county records the unit's bank transfer for the whole pledge."""
    with app.app_context():
        row = db.session.get(Pledge, scene.pledge_id)
        pledges.record_transfer(None, row, row.total_fen, "B1", NOW, NOW)
        db.session.commit()
    return scene


def plan(app, scene):
    """The households declare what they can supply; the county plans two delivery dates 14 days apart."""
    with app.app_context():
        for household, units in zip(scene.households, scene.capacities):
            supply.record(None, db.session.get(Household, household.id), scene.campaign_id, scene.item_id, units, NOW)
        db.session.commit()
        delivery_rounds.set_plan(None, scene.offer_id, NOW, dates=[FIRST_DAY, FIRST_DAY + timedelta(days=14)],
                                 cutoff_days=3)
        db.session.commit()
        scene.round_ids = [r.id for r in db.session.query(DeliveryRound).order_by(DeliveryRound.number)]
    return scene


def allocate(app, scene):
    """The first round is allocated at its cut-off; ``scene.now`` moves to two days later (collection time)."""
    with app.app_context():
        round_ = db.session.get(DeliveryRound, scene.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        db.session.commit()
        scene.now = round_.cutoff_at + timedelta(days=2)
        scene.lines = {line.household_id: line.units for line in db.session.scalars(
            select(AllocationLine).join(AllocationRun).where(AllocationRun.round_id == round_.id))}
    return scene


def collect(app, scene, *, reject=0):
    """Every household brings its units (``reject`` of them rejected, first households first); collection ends."""
    with app.app_context():
        round_ = db.session.get(DeliveryRound, scene.round_ids[0])
        for household_id in list(scene.lines):
            units = db.session.scalar(select(AllocationLine.units).join(AllocationRun).where(
                AllocationRun.round_id == round_.id, AllocationLine.household_id == household_id))
            if units:
                bad = min(reject, units)
                collection.record_collection(None, round_, household_id, scene.item_id, units - bad, bad,
                                             "质量不合格" if bad else "", scene.now)
                reject -= bad
        collection.finish_collection(None, round_, scene.village.id, scene.now)
        db.session.commit()
    return scene


def pack(app, scene):
    """The round is packed into boxes with trace codes; ``scene.result`` is what packing returned."""
    with app.app_context():
        scene.result = packing.pack_round(None, db.session.get(DeliveryRound, scene.round_ids[0]), scene.now)
        db.session.commit()
        scene.delivery_id = db.session.scalar(select(Delivery.id))
    return scene


def deliver(app, scene):
    """The county ships the delivery and marks it delivered an hour before its promised time."""
    with app.app_context():
        delivery = db.session.get(Delivery, scene.delivery_id)
        deliveries.advance(None, delivery, scene.now)
        deliveries.advance(None, delivery, delivery.promised_by - timedelta(hours=1))
        db.session.commit()
    return scene


class Ladder:
    """Climb to a stage with options: ``ladder.packed(reject=1)``, ``ladder.planned(boxes=5, capacities=(2,))``.

    Options go to the stage that takes them: ``capacities``, ``email`` (campaign), ``boxes`` (pledged),
    ``reject`` (collected).
    """

    def __init__(self, app, make):
        self.app, self.make = app, make

    def campaign(self, capacities=(4, 4, 4), email="canteen@example.cn"):
        return open_campaign(self.app, self.make, capacities=capacities, email=email)

    def pledged(self, boxes=3, **options):
        return pledge(self.app, self.campaign(**options), boxes=boxes)

    def paid(self, **options):
        return pay(self.app, self.pledged(**options))

    def planned(self, **options):
        return plan(self.app, self.paid(**options))

    def allocated(self, **options):
        return allocate(self.app, self.planned(**options))

    def collected(self, reject=0, **options):
        return collect(self.app, self.allocated(**options), reject=reject)

    def packed(self, **options):
        return pack(self.app, self.collected(**options))

    def delivered(self, **options):
        return deliver(self.app, self.packed(**options))
